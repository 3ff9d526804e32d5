package simdlearn.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import simdlearn.kernel.Kernels;
import simdlearn.kernel.PackedMatrix;

/**
 * One minibatch of d2l 4.3's wide layer (784 -> 256, two shards of 128 rows), the two ways the
 * trainer could run each product, on one thread (vector kernels):
 * <ul>
 *   <li>forward {@code H = X W^T}: W^T packed inside every product ({@code forwardPackingPerShard})
 *       or once per batch by {@link Kernels#packB} and read by {@link Kernels#gemmPackedB}
 *       ({@code forwardPackedOnce}), what an optimizer step's repacking allows;
 *   <li>weight gradient {@code dW = dH^T X} in the trainer's 13 blocks of 64 columns, shard after
 *       shard: dH read transposed in place ({@code gradientTransposedInPlace}) or transposed once
 *       per shard with {@link Kernels#transpose} and read row by row
 *       ({@code gradientFromTransposedCopy}, the transposes included), or packed once per shard
 *       as the left factor with {@link Kernels#packA} and read by {@link Kernels#gemmPackedA}
 *       ({@code gradientFromPackedA}, what the trainer does; the packing included).
 * </ul>
 * GFLOP/s = 2 * 128 * 256 * 784 * 2 / time for each.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class WideLayerBenchmark {
  static final int ROWS = 128;
  static final int IN = 784;
  static final int OUT = 256;
  static final int BLOCK = 64;

  Kernels k;
  float[][] x;
  float[][] dh;
  float[][] dhT;
  PackedMatrix[] dhPacked;
  float[] w;
  float[] dw;
  float[] h;
  PackedMatrix wt;

  @Setup
  public void setUp() {
    k = Kernels.vector();
    Random r = new Random(5);
    x = new float[][] {Benchmarks.randomArray(r, ROWS * IN), Benchmarks.randomArray(r, ROWS * IN)};
    dh = new float[][] {Benchmarks.randomArray(r, ROWS * OUT),
        Benchmarks.randomArray(r, ROWS * OUT)};
    dhT = new float[][] {new float[OUT * ROWS], new float[OUT * ROWS]};
    w = Benchmarks.randomArray(r, OUT * IN);
    dw = new float[OUT * IN];
    h = new float[ROWS * OUT];
    wt = k.newPackedB(IN, OUT);
    dhPacked = new PackedMatrix[] {k.newPackedA(OUT, ROWS), k.newPackedA(OUT, ROWS)};
  }

  @Benchmark
  public float[] forwardPackingPerShard() {
    for (float[] shard : x) {
      k.gemm(false, true, ROWS, OUT, IN, 1f, shard, 0, IN, w, 0, IN, 0f, h, 0, OUT);
    }
    return h;
  }

  @Benchmark
  public float[] forwardPackedOnce() {
    k.packB(true, 0, IN, w, 0, IN, wt);
    for (float[] shard : x) {
      k.gemmPackedB(false, ROWS, 1f, shard, 0, IN, wt, 0f, h, 0, OUT);
    }
    return h;
  }

  @Benchmark
  public float[] gradientTransposedInPlace() {
    for (int c = 0; c < IN; c += BLOCK) {
      int cols = Math.min(BLOCK, IN - c);
      for (int s = 0; s < 2; s++) {
        k.gemm(true, false, OUT, cols, ROWS, 1f, dh[s], 0, OUT, x[s], c, IN, s == 0 ? 0f : 1f,
            dw, c, IN);
      }
    }
    return dw;
  }

  @Benchmark
  public float[] gradientFromTransposedCopy() {
    for (int s = 0; s < 2; s++) {
      k.transpose(ROWS, OUT, dh[s], 0, OUT, dhT[s], 0, ROWS);
    }
    for (int c = 0; c < IN; c += BLOCK) {
      int cols = Math.min(BLOCK, IN - c);
      for (int s = 0; s < 2; s++) {
        k.gemm(false, false, OUT, cols, ROWS, 1f, dhT[s], 0, ROWS, x[s], c, IN,
            s == 0 ? 0f : 1f, dw, c, IN);
      }
    }
    return dw;
  }

  @Benchmark
  public float[] gradientFromPackedA() {
    for (int s = 0; s < 2; s++) {
      k.packA(true, dh[s], 0, OUT, dhPacked[s]);
    }
    for (int c = 0; c < IN; c += BLOCK) {
      int cols = Math.min(BLOCK, IN - c);
      for (int s = 0; s < 2; s++) {
        k.gemmPackedA(dhPacked[s], false, cols, 1f, x[s], c, IN, s == 0 ? 0f : 1f, dw, c, IN);
      }
    }
    return dw;
  }
}
