package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import simdlearn.testkit.TinyData;
import org.junit.jupiter.api.io.TempDir;

/**
 * The programs of docs/java-api.md compile and run against the modules as a user's code would:
 * each is launched as a Java source file on the module path, on a small generated Fashion-MNIST,
 * and the guide shows exactly these files.
 */
class JavaApiGuideTest {
  static final Path EXAMPLES = Path.of("../../docs/examples");

  @TempDir
  static Path dir;

  @BeforeAll
  static void data() throws IOException {
    TinyData.writeFashionMnist(dir.resolve("fm"), 1200, 200);
  }

  record Run(int status, String output) {}

  static Run run(String example, String module, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", System.getProperty("jdk.module.path"), "--add-modules", module,
        EXAMPLES.resolve(example).toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), example + " did not finish");
    return new Run(p.exitValue(), out);
  }

  @Test
  void fromScratchTrainsWithOnlyTheKernelAndOptimModules() throws Exception {
    Run r = run("FromScratch.java", "simdlearn.optim", dir.resolve("fm").toString(), "3");
    assertEquals(0, r.status(), r.output());
    String last = r.output().lines().filter(l -> l.startsWith("epoch 3")).findFirst().orElseThrow();
    double acc = Double.parseDouble(last.substring(last.lastIndexOf(' ') + 1));
    assertTrue(acc > 0.5, "learns the generated classes: " + last);
  }

  @Test
  void conciseTrainsASequentialWithTheTrainerAndSavesIt() throws Exception {
    Path model = dir.resolve("model.json");
    Run r = run("Concise.java", "simdlearn.train", dir.resolve("fm").toString(), "2",
        model.toString());
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("epoch 2  train loss"), r.output());
    assertTrue(r.output().contains("784-256-10 (linear(784->256), relu, linear(256->10)): test acc"),
        r.output());
    assertEquals("mlp", ModelFile.load(model).kind());
  }

  @Test
  void leNetIsBuiltFromTheLayerApiAndLearns() throws Exception {
    Run r = run("LeNet.java", "simdlearn.train", dir.resolve("fm").toString(), "3");
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains(
        "1x28x28-6x28x28-16x10x10-120-84-10 (conv2d(1->6, 5x5, pad 2)"), r.output());
    // Sigmoid LeNet needs hundreds of steps to leave chance (d2l's first epoch: acc 0.10); the
    // program's learning on the real data is the recipe's (user guide, chapter 6).
    assertEquals(3, r.output().lines().filter(l -> l.startsWith("epoch ")).count(), r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.matches("epoch 3  train loss 2\\.\\d+ .*")),
        r.output());
  }

  @Test
  void aUsersResidualBlockTrainsMeetsItsShardsAndLoadsBack() throws Exception {
    Path model = dir.resolve("my-resnet.json");
    Run r = run("ResidualBlock.java", "simdlearn.train", dir.resolve("fm").toString(), "2",
        model.toString());
    assertEquals(0, r.status(), r.output());
    assertEquals(2, r.output().lines().filter(l -> l.startsWith("epoch ")).count(), r.output());
    // 3 convolutions' and batch norms' tensors outside the blocks and the linear layer's, and
    // 2 x 12 inside: weights, biases, running statistics, under the block's own names.
    assertTrue(r.output().contains("my-residual(16), my-residual(16), global-avg-pool2d,"
        + " flatten, linear(16->10)): test acc "), r.output());
    assertTrue(r.output().strip().endsWith("saved with 32 tensors"), r.output());
    assertTrue(Files.readString(model).contains("\"3.body.3.weight\""), "the block's names");
  }

  /** A guide's java command names the JDK 25 the launcher finds, not whatever java is first. */
  @Test
  void theGuidesJavaCommandsUseAJdk25() throws IOException {
    for (String doc : List.of("java-api.md", "kernel.md", "user-guide.md")) {
      String text = Files.readString(Path.of("../../docs", doc));
      for (String line : text.lines().toList()) {
        assertTrue(!line.stripLeading().startsWith("java "), doc + ": " + line);
      }
    }
    assertTrue(Files.readString(Path.of("../../docs/java-api.md"))
        .contains(". bin/lib/jdk.sh && simdlearn_find_jdk"));
  }

  @Test
  void theGuideShowsTheseExactPrograms() throws IOException {
    String guide = Files.readString(Path.of("../../docs/java-api.md"));
    for (String example : List.of("FromScratch.java", "Concise.java", "LeNet.java",
        "ResidualBlock.java")) {
      assertTrue(guide.contains(Files.readString(EXAMPLES.resolve(example))),
          "docs/java-api.md must show docs/examples/" + example + " verbatim");
    }
  }
}
