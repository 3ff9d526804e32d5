package simdlearn.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;

/** Vector vs scalar on the vector kernels at the sizes the trainer uses (784 = 28 x 28 pixels). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class KernelBenchmark {
  @Param({"vector", "scalar"})
  public String backend;

  @Param({"784"})
  public int n;

  TrainingKernels k;
  float[] x;
  float[] y;
  float[] logits;
  float[] probs;
  float[] lse;
  byte[] pixels;

  @Setup
  public void setUp() {
    k = TrainingKernels.of(Backend.parse(backend));
    Random r = new Random(1);
    x = Benchmarks.randomArray(r, n);
    y = Benchmarks.randomArray(r, n);
    logits = Benchmarks.randomArray(r, 256 * 10);
    probs = new float[256 * 10];
    lse = new float[256];
    pixels = new byte[256 * 784];
    r.nextBytes(pixels);
  }

  @Benchmark
  public float dot() {
    return k.dot(n, x, 0, y, 0);
  }

  @Benchmark
  public float[] axpy() {
    k.axpy(n, 1e-3f, x, 0, y, 0);
    return y;
  }

  /** Row softmax (with log-sum-exp) of a 256 x 10 batch of logits. */
  @Benchmark
  public void softmax256x10(Blackhole bh) {
    k.softmaxRows(256, 10, logits, 0, probs, 0, lse, 0);
    bh.consume(probs);
  }

  /** A 256-image batch of uint8 pixels to floats in [0, 1]. */
  @Benchmark
  public void bytesToFloats256x784(Blackhole bh) {
    float[] out = probs.length >= pixels.length ? probs : (probs = new float[pixels.length]);
    k.bytesToFloats(pixels.length, pixels, 0, 1f / 255f, out, 0);
    bh.consume(out);
  }
}
