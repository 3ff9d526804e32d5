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
import simdlearn.kernel.training.TrainingKernels;

/**
 * A linear layer's forward pass and weight gradient over one shuffled epoch of Fashion-MNIST-sized
 * pixels (60,000 rows of 784 bytes, shards of 128 rows, 10 outputs), on one thread: read straight
 * from the bytes by the gathered GEMMs, against gathering the shard into floats first and running
 * the float GEMMs on the copy (what the trainer did before). Random pixels stand in for the data.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class GatheredGemmBenchmark {
  static final int ROWS = 60_000;
  static final int PIXELS = 784;
  static final int OUTPUTS = 10;
  static final int SHARD = 128;
  static final float SCALE = 1f / 255f;

  @Param({"vector", "scalar"})
  public String backend;

  /**
   * Distinct rows the epoch's 60,000 indices point into: all of them (rows come from DRAM), or
   * e.g. 1000 (784 KB, cache-resident) to time the kernels' arithmetic alone.
   */
  @Param({"60000"})
  public int distinctRows;

  TrainingKernels k;
  byte[] pixels;
  int[] order;
  float[] w;
  float[] x;
  float[] out;
  float[] g;
  float[] dw;

  @Setup
  public void setUp() {
    k = TrainingKernels.of(Backend.parse(backend));
    Random r = new Random(9);
    pixels = new byte[distinctRows * PIXELS];
    r.nextBytes(pixels);
    order = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      order[i] = i % distinctRows;
    }
    for (int i = ROWS - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    w = Benchmarks.randomArray(r, OUTPUTS * PIXELS);
    g = Benchmarks.randomArray(r, SHARD * OUTPUTS);
    x = new float[SHARD * PIXELS];
    out = new float[SHARD * OUTPUTS];
    dw = new float[OUTPUTS * PIXELS];
  }

  @Benchmark
  public float[] forwardGathered() {
    for (int s = 0; s + SHARD <= ROWS; s += SHARD) {
      k.gemmGatheredNT(SHARD, OUTPUTS, PIXELS, pixels, order, s, SCALE, w, 0, PIXELS, out, 0,
          OUTPUTS);
    }
    return out;
  }

  @Benchmark
  public float[] forwardAfterGather() {
    for (int s = 0; s + SHARD <= ROWS; s += SHARD) {
      k.gatherBytesToFloats(SHARD, PIXELS, pixels, order, s, SCALE, x, 0);
      k.gemm(false, true, SHARD, OUTPUTS, PIXELS, 1f, x, 0, PIXELS, w, 0, PIXELS, 0f, out, 0,
          OUTPUTS);
    }
    return out;
  }

  @Benchmark
  public float[] forwardAndGradientGathered() {
    for (int s = 0; s + SHARD <= ROWS; s += SHARD) {
      k.gemmGatheredNT(SHARD, OUTPUTS, PIXELS, pixels, order, s, SCALE, w, 0, PIXELS, out, 0,
          OUTPUTS);
      k.gemmTNGathered(SHARD, OUTPUTS, PIXELS, g, 0, OUTPUTS, pixels, order, s, SCALE, dw, 0,
          PIXELS);
    }
    return dw;
  }

  @Benchmark
  public float[] forwardAndGradientAfterGather() {
    for (int s = 0; s + SHARD <= ROWS; s += SHARD) {
      k.gatherBytesToFloats(SHARD, PIXELS, pixels, order, s, SCALE, x, 0);
      k.gemm(false, true, SHARD, OUTPUTS, PIXELS, 1f, x, 0, PIXELS, w, 0, PIXELS, 0f, out, 0,
          OUTPUTS);
      k.gemm(true, false, OUTPUTS, PIXELS, SHARD, 1f, g, 0, OUTPUTS, x, 0, PIXELS, 0f, dw, 0,
          PIXELS);
    }
    return dw;
  }
}
