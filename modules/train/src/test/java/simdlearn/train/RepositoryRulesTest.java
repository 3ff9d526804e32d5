package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules of the repository that keep CI steady and the working tree clean. */
class RepositoryRulesTest {
  static final Path ROOT = Path.of("../..");
  /** A test may bound a hang, not a speed: no limit under ten minutes. */
  static final long MIN_TIMEOUT_SECONDS = 600;

  @Test
  void wallClockLimitsInTestsOnlyBoundHangs() throws IOException {
    Pattern timeout = Pattern.compile("@Timeout\\((?:value\\s*=\\s*)?(\\d+)(?:,\\s*unit\\s*="
        + "\\s*TimeUnit\\.(\\w+))?\\)|assertTimeout\\w*\\(");
    List<String> found = new ArrayList<>();
    List<Path> tests;
    try (Stream<Path> files = Files.walk(ROOT)) {
      tests = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/test/java/"))
          .filter(p -> !p.toString().contains("/target/")).toList();
    }
    for (Path file : tests) {
      if (file.getFileName().toString().equals("RepositoryRulesTest.java")) {
        continue;
      }
      Matcher m = timeout.matcher(Files.readString(file));
      while (m.find()) {
        if (m.group(1) == null) {
          found.add(file + ": " + m.group() + " (a speed limit)");
          continue;
        }
        long seconds = Long.parseLong(m.group(1)) * switch (m.group(2) == null ? "SECONDS"
            : m.group(2)) {
          case "MINUTES" -> 60;
          case "HOURS" -> 3600;
          case "SECONDS" -> 1;
          default -> 0;
        };
        if (seconds < MIN_TIMEOUT_SECONDS) {
          found.add(file + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), found);
    assertTrue(tests.size() > 20, "the test sources were read: " + tests.size());
  }

  @Test
  void filesTheGuidesWriteIntoTheRootAreIgnored() throws IOException {
    // show's default picture and the Java API guide's model.json and model.onnx land where they
    // are run.
    List<String> ignored = Files.readAllLines(ROOT.resolve(".gitignore"));
    assertTrue(ignored.contains("/samples.png") && ignored.contains("/model.json")
        && ignored.contains("/model.onnx"), ignored.toString());
  }
}
