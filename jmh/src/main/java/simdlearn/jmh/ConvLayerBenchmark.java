package simdlearn.jmh;

import java.util.Random;
import java.util.SplittableRandom;
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
import simdlearn.nn.AvgPool2d;
import simdlearn.nn.BatchNorm;
import simdlearn.nn.Conv2d;
import simdlearn.nn.Init;
import simdlearn.nn.Layer;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.MaxPool2d;
import simdlearn.nn.Pass;
import simdlearn.nn.Rows;
import simdlearn.nn.Shape;
import simdlearn.nn.Sigmoid;

/**
 * Each windowed layer of d2l's LeNet on a batch of 256 examples in one call, forward and
 * backward, one thread (the peer is {@code jmh/peers/pytorch_conv.py}, the same shapes through
 * {@code torch.nn.functional}):
 * <ul>
 *   <li>{@code conv1}: 1x28x28 -> 6x28x28, 5x5, padding 2 (backward: weight and bias gradients
 *       only, as the first layer of a network needs no input gradient);
 *   <li>{@code conv2}: 6x14x14 -> 16x10x10, 5x5 (backward: weight, bias and input gradients);
 *   <li>{@code pool1}, {@code pool2}: 2x2 average pools of 6x28x28 and 16x10x10;
 *       {@code maxpool1}: the max-pool variant of pool1;
 *   <li>{@code sigmoid1}: the sigmoid after conv1 (6x28x28);
 *   <li>{@code bn1}: LeNet-BN's first batch normalisation (6x24x24) in training, the batch's
 *       statistics included (with {@code -p backend=scalar}, the plain loops it replaced).
 * </ul>
 * GFLOP/s: a convolution's forward is {@code 2 * N * outC * outH * outW * inC * kh * kw} FLOPs,
 * its backward the same per gradient computed (one for conv1, two for conv2); a pool counts one
 * FLOP per window element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class ConvLayerBenchmark {
  static final int BATCH = 256;

  @Param({"conv1", "pool1", "conv2", "pool2", "maxpool1", "sigmoid1", "bn1"})
  public String layer;

  @Param({"vector"})
  public String backend;

  TrainingKernels k;
  Layer net;
  Layer.State state;
  Rows in;
  float[] out;
  float[] dOut;
  float[] dIn;
  Pass pass;

  @Setup
  public void setUp() {
    k = TrainingKernels.of(Backend.parse(backend));
    Shape.Planes shape;
    LayerSpec spec;
    boolean inputGradient = true;
    switch (layer) {
      case "conv1" -> {
        shape = new Shape.Planes(1, 28, 28);
        spec = Conv2d.Spec.of(1, 6, 5, 2, 1);
        inputGradient = false;
      }
      case "pool1" -> {
        shape = new Shape.Planes(6, 28, 28);
        spec = AvgPool2d.Spec.of(2, 2, 0);
      }
      case "maxpool1" -> {
        shape = new Shape.Planes(6, 28, 28);
        spec = MaxPool2d.Spec.of(2, 2, 0);
      }
      case "conv2" -> {
        shape = new Shape.Planes(6, 14, 14);
        spec = Conv2d.Spec.of(6, 16, 5, 0, 1);
      }
      case "sigmoid1" -> {
        shape = new Shape.Planes(6, 28, 28);
        spec = new Sigmoid.Spec();
      }
      case "bn1" -> {
        shape = new Shape.Planes(6, 24, 24);
        spec = BatchNorm.Spec.of(6);
      }
      case "pool2" -> {
        shape = new Shape.Planes(16, 10, 10);
        spec = AvgPool2d.Spec.of(2, 2, 0);
      }
      default -> throw new IllegalArgumentException(layer);
    }
    net = spec.build(shape, 0);
    net.initialise(Init.parse("xavier", 0), new SplittableRandom(7));
    state = net.newState(BATCH);
    Random r = new Random(11);
    float[] x = Benchmarks.randomArray(r, BATCH * net.inputs());
    in = new Rows(net.inputs()).floats(x, 0);
    out = new float[BATCH * net.outputs()];
    dOut = Benchmarks.randomArray(r, BATCH * net.outputs());
    dIn = inputGradient ? new float[BATCH * net.inputs()] : null;
    pass = new Pass().training(1, 0, 0, 0);
    net.forward(k, state, in, BATCH, out, pass);
  }

  @Benchmark
  public float[] forward() {
    net.forward(k, state, in, BATCH, out, pass);
    return out;
  }

  @Benchmark
  public Layer.State backward() {
    net.backward(k, state, in, out, dOut, BATCH, dIn);
    return state;
  }
}
