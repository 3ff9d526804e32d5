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
import simdlearn.kernel.Backend;
import simdlearn.kernel.Kernels;

/**
 * GEMM at the softmax-regression training shapes and on squares. GFLOP/s = 2*m*n*k / time; the
 * shape names give m x k times k x n, with {@code T} marking an operand read transposed.
 * <ul>
 *   <li>{@code fwd_256x784_784x10}: logits = X W with W stored 784 x 10 (packs W^T, 31 KiB);
 *   <li>{@code fwd_256x784_10x784T}: logits = X W^T with W stored 10 x 784, the trainer's layout;
 *   <li>{@code grad_784x256T_256x10}: dW = X^T G, the gradient in the 784 x 10 layout;
 *   <li>{@code grad_10x256T_256x784}: dW^T = G^T X, the gradient in the trainer's 10 x 784 layout;
 *   <li>{@code square_N}: N x N times N x N, 1000 for the tails, powers of two for the rest;
 *   <li>{@code tall_60000x784_784x256}: a whole Fashion-MNIST epoch through a 256-unit layer.
 * </ul>
 * {@code threads} above 1 runs {@link Kernels#gemmParallel} (same bits as one thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class GemmBenchmark {
  @Param({"vector", "scalar"})
  public String backend;

  @Param({"fwd_256x784_784x10", "fwd_256x784_10x784T", "grad_784x256T_256x10",
      "grad_10x256T_256x784", "square_128", "square_512", "square_1000", "square_1024",
      "square_2048", "tall_60000x784_784x256"})
  public String shape;

  @Param({"1"})
  public int threads;

  Kernels k;
  boolean ta;
  boolean tb;
  int m;
  int n;
  int kk;
  float[] a;
  float[] b;
  float[] c;

  @Setup
  public void setUp() {
    k = Kernels.of(Backend.parse(backend));
    switch (shape) {
      case "fwd_256x784_784x10" -> set(false, false, 256, 10, 784);
      case "fwd_256x784_10x784T" -> set(false, true, 256, 10, 784);
      case "grad_784x256T_256x10" -> set(true, false, 784, 10, 256);
      case "grad_10x256T_256x784" -> set(true, false, 10, 784, 256);
      case "square_128" -> set(false, false, 128, 128, 128);
      case "square_512" -> set(false, false, 512, 512, 512);
      case "square_1000" -> set(false, false, 1000, 1000, 1000);
      case "square_1024" -> set(false, false, 1024, 1024, 1024);
      case "square_2048" -> set(false, false, 2048, 2048, 2048);
      case "tall_60000x784_784x256" -> set(false, false, 60000, 256, 784);
      default -> throw new IllegalArgumentException(shape);
    }
    Random r = new Random(3);
    a = Benchmarks.randomArray(r, m * kk);
    b = Benchmarks.randomArray(r, kk * n);
    c = new float[m * n];
  }

  private void set(boolean ta, boolean tb, int m, int n, int k) {
    this.ta = ta;
    this.tb = tb;
    this.m = m;
    this.n = n;
    this.kk = k;
  }

  @Benchmark
  public float[] gemm() {
    if (threads == 1) {
      k.gemm(ta, tb, m, n, kk, 1f, a, 0, ta ? m : kk, b, 0, tb ? kk : n, 0f, c, 0, n);
    } else {
      k.gemmParallel(threads, ta, tb, m, n, kk, 1f, a, 0, ta ? m : kk, b, 0, tb ? kk : n, 0f, c,
          0, n);
    }
    return c;
  }
}
