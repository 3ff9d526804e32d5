package simdlearn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own checker (the {@code onnx} Python package, Debian's python3-onnx, which CI installs)
 * on every model kind of {@link ModelExportTest}, with shape inference: no Java port of it
 * exists, so it runs in a child process; without it, ONNX Runtime's load in the other tests is
 * the check.
 */
class OnnxCheckerTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final String CHECK = String.join("\n",
      "import sys, onnx",
      "for f in sys.argv[1:]:",
      "    onnx.checker.check_model(onnx.load(f), full_check=True)",
      "print('checked', len(sys.argv) - 1, 'onnx', onnx.__version__)");

  @TempDir
  Path dir;

  @Test
  @Timeout(600)
  void everyExportPassesOnnxsChecker() throws Exception {
    Assumptions.assumeTrue(hasOnnx(), "python3-onnx is not installed: ONNX Runtime's load is"
        + " the check");
    List<String> command = new ArrayList<>(List.of(PYTHON, "-c", CHECK));
    int i = 0;
    for (ModelExportTest.Case c : ModelExportTest.models()) {
      Path file = dir.resolve("model" + i++ + ".onnx");
      ModelExport.save(c.model(), file, false);
      command.add(file.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes()).strip();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "checker hung");
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.startsWith("checked " + i + " onnx"), output);
  }

  private static boolean hasOnnx() throws Exception {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return false;
    }
    Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
