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
import simdlearn.kernel.training.Windows;

/**
 * The data movement of ResNet-18's 3x3 convolutions (padding 1, stride 1) on a shard of 128
 * examples side by side, as {@code Conv2d}'s wide layers lay them out: {@code im2col} writes
 * every example's columns into rows {@code 128 * positions} long, {@code col2imAdd} adds them
 * back. Shapes: channels x plane of each stage (64x7x7, 128x4x4, 256x2x2, 512x1x1).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class WindowsBenchmark {
  static final int SHARD = 128;

  @Param({"64x7", "128x4", "256x2", "512x1"})
  public String planes;

  Windows windows;
  float[] x;
  float[] cols;
  float[] dx;
  int ins;
  int ld;

  @Setup
  public void setUp() {
    int c = Integer.parseInt(planes.substring(0, planes.indexOf('x')));
    int side = Integer.parseInt(planes.substring(planes.indexOf('x') + 1));
    windows = new Windows(c, side, side, 3, 3, 1, 1, 1, 1);
    ins = c * side * side;
    ld = SHARD * windows.outHeight() * windows.outWidth();
    x = new float[SHARD * ins];
    Random r = new Random(6);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    cols = new float[windows.patchSize() * ld];
    dx = new float[x.length];
  }

  @Benchmark
  public float[] im2col() {
    windows.im2col(x, 0, ins, SHARD, cols, 0, ld);
    return cols;
  }

  @Benchmark
  public float[] col2imAdd() {
    windows.col2imAdd(cols, 0, ld, SHARD, dx, 0, ins);
    return dx;
  }
}
