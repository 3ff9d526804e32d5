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
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;
import simdlearn.optim.SoftmaxCrossEntropy;

/** Fused softmax cross-entropy, forward and backward, on a 256 x 10 batch of logits. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class LossBenchmark {
  @Param({"vector", "scalar"})
  public String backend;

  SoftmaxCrossEntropy loss;
  FloatMatrix logits;
  FloatMatrix grad;
  int[] labels;
  float[] perExample;

  @Setup
  public void setUp() {
    loss = new SoftmaxCrossEntropy(Kernels.of(Backend.parse(backend)));
    Random r = new Random(4);
    logits = FloatMatrix.zeros(256, 10);
    for (int i = 0; i < logits.size(); i++) {
      logits.data()[i] = (float) (r.nextGaussian() * 3);
    }
    grad = FloatMatrix.zeros(256, 10);
    labels = new int[256];
    for (int i = 0; i < 256; i++) {
      labels[i] = r.nextInt(10);
    }
    perExample = new float[256];
  }

  @Benchmark
  public double softmaxCrossEntropy256x10() {
    return loss.lossAndGradient(logits, labels, perExample, grad, 1f / 256);
  }
}
