package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simdlearn.kernel.VectorAvailabilityTest.location;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;

/**
 * Every vector kernel compiles in C1's profiling tier (tier 3), on-stack replacement included.
 * Where that compile is skipped ("out of virtual registers"), a kernel can stay in tier-2 code,
 * whose Vector API calls are not intrinsified: 80x slower, silently (a masked twelve-row kernel
 * in session 12, {@code rowDots2x6} and {@code rowDots6x1} on AVX2 before). The kernel agreement
 * tests run in a child JVM that compiles at the second call and after 64 loop back edges, and
 * stops at tier 3, with the machine's vectors and with AVX2's (16 registers instead of 32).
 */
class TierThreeCompileTest {
  private static final List<String> TIER_THREE_EARLY = List.of("--add-modules",
      "jdk.incubator.vector", "-XX:TieredStopAtLevel=3", "-XX:-BackgroundCompilation",
      "-XX:Tier0InvokeNotifyFreqLog=0", "-XX:Tier0BackedgeNotifyFreqLog=0",
      "-XX:Tier3InvocationThreshold=2", "-XX:Tier3MinInvocationThreshold=1",
      "-XX:Tier3CompileThreshold=2", "-XX:Tier3BackEdgeThreshold=64", "-XX:+PrintCompilation");

  @Test
  @Timeout(600)
  void everyKernelCompilesInTheProfilingTier() throws Exception {
    assertNoSkippedCompile(run(List.of()));
  }

  @Test
  @Timeout(600)
  void everyKernelCompilesInTheProfilingTierWithAvx2() throws Exception {
    assertNoSkippedCompile(run(List.of("-XX:UseAVX=2")));
  }

  private static void assertNoSkippedCompile(String out) {
    assertFalse(out.contains("FAILED"), out);
    assertTrue(out.contains("simdlearn.kernel.internal.VectorKernels::"), "no kernel compiled");
    for (String line : out.split("\n")) {
      boolean ours = line.contains("simdlearn.") && line.contains("COMPILE SKIPPED");
      assertFalse(ours && !line.contains("concurrent class loading"), line);
    }
  }

  private static String run(List<String> options) throws Exception {
    String classPath = String.join(File.pathSeparator, location(Kernels.class),
        location(TierThreeProbe.class), location(Test.class),
        location(AssertionFailedError.class));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(TIER_THREE_EARLY);
    cmd.addAll(options);
    cmd.addAll(List.of("-cp", classPath, TierThreeProbe.class.getName(),
        KernelAgreementTest.class.getName(), LayerKernelAgreementTest.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
