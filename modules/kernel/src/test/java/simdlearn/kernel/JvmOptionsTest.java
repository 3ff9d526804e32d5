package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher's JIT options (bin/lib/jvm.options) name real classes and methods: HotSpot
 * ignores a CompileCommand whose pattern matches nothing, so a renamed kernel would silently lose
 * its tuning.
 */
class JvmOptionsTest {
  static final Path OPTIONS = Path.of("../../bin/lib/jvm.options");
  /** {@code -XX:CompileCommand=COMMAND,CLASS::METHOD[,VALUE]}. */
  static final Pattern COMMAND =
      Pattern.compile("-XX:CompileCommand=(\\w+),([\\w.]+)::([\\w*]+)(,.*)?");

  static List<String> options() throws Exception {
    List<String> all = new ArrayList<>();
    for (String line : Files.readAllLines(OPTIONS)) {
      String code = line.replaceFirst("#.*", "").strip();
      if (!code.isEmpty()) {
        all.addAll(Arrays.asList(code.split("\\s+")));
      }
    }
    return all;
  }

  @Test
  void everyCompileCommandNamesAnExistingMethod() throws Exception {
    int checked = 0;
    for (String option : options()) {
      if (!option.startsWith("-XX:CompileCommand=") || option.equals("-XX:CompileCommand=quiet")) {
        continue;
      }
      Matcher m = COMMAND.matcher(option);
      assertTrue(m.matches(), "not a CLASS::METHOD command: " + option);
      Class<?> c;
      try {
        c = Class.forName(m.group(2));
      } catch (ClassNotFoundException e) {
        fail(option + ": no class " + m.group(2));
        return;
      }
      Pattern method = Pattern.compile(m.group(3).replace("*", ".*"));
      assertTrue(Arrays.stream(c.getDeclaredMethods()).anyMatch(x ->
          method.matcher(x.getName()).matches()), option + ": no method of " + c.getSimpleName()
          + " matches " + m.group(3));
      checked++;
    }
    assertTrue(checked >= 5, "the compile commands were read: " + checked);
  }

  @Test
  void optionsAreJvmFlagsOnly() throws Exception {
    List<String> options = options();
    assertFalse(options.isEmpty());
    for (String option : options) {
      assertTrue(option.startsWith("-XX:"), "only -XX options belong here: " + option);
    }
  }
}
