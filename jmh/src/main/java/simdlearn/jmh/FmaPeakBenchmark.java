package simdlearn.jmh;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's fp32 FMA peak as the Vector API reaches it: ten independent accumulator chains
 * (enough to cover the FMA latency on two pipes, and within AVX2's 16 registers), no memory
 * traffic. GFLOP/s = 10 chains * lanes * 2 * {@link #STEPS} / time: the yardstick for the
 * fractions of peak in docs/benchmarks.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class FmaPeakBenchmark {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  public static final int STEPS = 100_000;

  float seed = 1.0000001f;

  @Benchmark
  public float fmaChains() {
    FloatVector m = FloatVector.broadcast(SPECIES, seed);
    FloatVector a = FloatVector.broadcast(SPECIES, 1e-7f);
    FloatVector c0 = a;
    FloatVector c1 = a.add(a);
    FloatVector c2 = c1.add(a);
    FloatVector c3 = c2.add(a);
    FloatVector c4 = c3.add(a);
    FloatVector c5 = c4.add(a);
    FloatVector c6 = c5.add(a);
    FloatVector c7 = c6.add(a);
    FloatVector c8 = c7.add(a);
    FloatVector c9 = c8.add(a);
    for (int i = 0; i < STEPS; i++) {
      c0 = c0.fma(m, a);
      c1 = c1.fma(m, a);
      c2 = c2.fma(m, a);
      c3 = c3.fma(m, a);
      c4 = c4.fma(m, a);
      c5 = c5.fma(m, a);
      c6 = c6.fma(m, a);
      c7 = c7.fma(m, a);
      c8 = c8.fma(m, a);
      c9 = c9.fma(m, a);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}
