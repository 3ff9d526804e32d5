package simdlearn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;

/**
 * docs/examples/ExportOnnx.java, shown in docs/java-api.md, runs as a user's program would: a
 * Java source file on the module path, exporting a saved model.
 */
class OnnxGuideTest {
  static final Path EXAMPLE = Path.of("../../docs/examples/ExportOnnx.java");

  @TempDir
  Path dir;

  @Test
  void theExampleExportsASavedModel() throws Exception {
    Model model = ModelExportTest.models().get(2).model();
    Path saved = dir.resolve("model.json");
    ModelFile.save(model, saved);
    Path out = dir.resolve("model.onnx");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", System.getProperty("jdk.module.path"), "--add-modules", "simdlearn.onnx",
        EXAMPLE.toString(), saved.toString(), out.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish");
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains(out + ": input 'input' float32 [N, 1, 9, 11]; outputs 'logits'"
        + " [N, 6], 'probabilities' [N, 6]"), output);
    assertArrayEquals(ModelExport.toOnnx(ModelFile.load(saved)), Files.readAllBytes(out));
  }

  @Test
  void theGuideShowsThisExactProgram() throws Exception {
    assertTrue(Files.readString(Path.of("../../docs/java-api.md"))
        .contains(Files.readString(EXAMPLE)), "docs/java-api.md must show " + EXAMPLE);
  }
}
