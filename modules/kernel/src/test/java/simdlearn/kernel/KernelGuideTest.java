package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/kernel.md's tour runs against the kernel alone, as a source-file program on the module
 * path, prints what the guide says it prints, and the guide shows exactly that file.
 */
class KernelGuideTest {
  static final Path TOUR = Path.of("../../docs/examples/KernelTour.java");

  @Test
  void theTourRunsOnTheKernelAlone() throws Exception {
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", Path.of(Kernels.class.getProtectionDomain().getCodeSource().getLocation()
            .toURI()).toString(),
        "--add-modules", "simdlearn.kernel", TOUR.toString())).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out + err);
    String guide = Files.readString(Path.of("../../docs/kernel.md"));
    assertTrue(guide.contains(out.strip()), "docs/kernel.md must show the tour's output:\n" + out);
  }

  @Test
  void theGuideShowsTheTourVerbatim() throws Exception {
    String guide = Files.readString(Path.of("../../docs/kernel.md"));
    assertTrue(guide.contains(Files.readString(TOUR)),
        "docs/kernel.md must show docs/examples/KernelTour.java verbatim");
  }
}
