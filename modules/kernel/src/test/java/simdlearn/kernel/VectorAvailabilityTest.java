package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A program on the class path that forgot {@code --add-modules jdk.incubator.vector}: asking for
 * the vector kernels fails with a message saying what to add (never scalar code under the name
 * "vector"), and {@link Kernels#bestAvailable()} falls back with one warning.
 */
class VectorAvailabilityTest {
  record Run(String out, String err) {}

  static Run classPathRun(String... jvmOptions) throws Exception {
    String classes = location(Kernels.class);
    String tests = location(ClassPathProbe.class);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", classes + File.pathSeparator + tests,
        ClassPathProbe.class.getName()));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out + err);
    return new Run(out, err);
  }

  static String location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void withoutTheVectorModuleVectorFailsAndBestAvailableWarns() throws Exception {
    Run r = classPathRun();
    assertTrue(r.out().contains("vector failed: the Vector API module jdk.incubator.vector is not"
        + " in this JVM"), r.out());
    assertTrue(r.out().contains("--add-modules jdk.incubator.vector"), r.out());
    assertTrue(r.out().contains("available: false\nbest: SCALAR\nbest again: SCALAR\n"
        + "default: SCALAR"), r.out());
    assertEquals(1, r.err().split("using the scalar kernels", -1).length - 1,
        "one warning: " + r.err());
  }

  @Test
  void withTheVectorModuleEverythingIsVector() throws Exception {
    Run r = classPathRun("--add-modules", "jdk.incubator.vector");
    assertTrue(r.out().contains("vector: VECTOR\navailable: true\nbest: VECTOR"), r.out());
    assertTrue(!r.err().contains("scalar"), r.err());
  }

  @Test
  void anExplicitVectorRequestFailsRatherThanFallingBack() throws Exception {
    Run r = classPathRun("-Dsimdlearn.backend=vector");
    assertTrue(r.out().contains("default failed: the Vector API module"), r.out());
  }
}
