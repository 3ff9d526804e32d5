package simdlearn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * Central finite differences against every layer's backward pass, through a network so input
 * gradients are checked too: the loss is {@code L = sum(out * R)} for a fixed random R, so
 * {@code dL/dout = R}. Float arithmetic bounds the accuracy of a difference quotient to about
 * {@code 1e-7 * |L| / h}, hence the tolerances.
 */
class GradientCheckTest {
  static final int ROWS = 5;
  static final double H = 2e-3;

  static List<Named> networks() {
    return List.of(
        new Named("linear", () -> Sequential.builder(7).linear(4).build(new Init.Normal(0.5), 1)),
        new Named("linear without bias",
            () -> Sequential.builder(7).linear(4, false).build(new Init.Normal(0.5), 2)),
        new Named("linear, tanh, linear",
            () -> Sequential.builder(6).linear(9).tanh().linear(3).build(new Init.XavierUniform(), 3)),
        new Named("linear, sigmoid, linear",
            () -> Sequential.builder(6).linear(9).sigmoid().linear(3).build(new Init.XavierNormal(), 4)),
        new Named("linear, relu, linear",
            () -> Sequential.builder(6).linear(9).relu().linear(3).build(new Init.He(), 5)),
        new Named("linear, leaky-relu(0.1), linear",
            () -> Sequential.builder(6).linear(9).add(new LeakyReLU.Spec(0.1)).linear(3)
                .build(new Init.He(), 9)),
        new Named("planes, flatten, linear",
            () -> Sequential.builder(Shape.planes(2, 2, 3)).flatten().linear(4).tanh().linear(3)
                .build(new Init.XavierUniform(), 10)),
        new Named("conv (padding), avg pool, flatten, linear",
            () -> Sequential.builder(Shape.planes(2, 5, 5)).conv2d(3, 3, 1, 1).tanh()
                .avgPool2d(2, 2, 0).flatten().linear(3).build(new Init.XavierUniform(), 11)),
        new Named("conv (stride 2, 1x1 after), max pool with padding",
            () -> Sequential.builder(Shape.planes(1, 7, 6)).conv2d(2, 3, 0, 2).sigmoid()
                .conv2d(2, 1, 0, 1).maxPool2d(3, 2, 1).flatten().linear(2)
                .build(new Init.XavierNormal(), 12)),
        new Named("convs with 16 and 17 channels, stride 2, padding",
            () -> Sequential.builder(Shape.planes(2, 6, 5)).conv2d(16, 3, 1, 2).tanh()
                .conv2d(17, 2, 0, 1).flatten().linear(2).build(new Init.XavierUniform(), 13)),
        new Named("linear, batch-norm, tanh, linear",
            () -> Sequential.builder(6).linear(5).batchNorm().tanh().linear(3)
                .build(new Init.XavierUniform(), 14)),
        new Named("conv, batch-norm over planes, sigmoid, flatten, linear, batch-norm",
            () -> Sequential.builder(Shape.planes(2, 4, 3)).conv2d(3, 3, 1, 1).batchNorm()
                .sigmoid().flatten().linear(4).batchNorm().linear(2)
                .build(new Init.XavierNormal(), 15)),
        new Named("residual blocks (identity and 1x1 stride-2 shortcuts), global average pool",
            () -> Sequential.builder(Shape.planes(2, 5, 5)).add(new Residual.Spec(2, 2, false, 1))
                .add(new Residual.Spec(2, 3, true, 2)).add(new GlobalAvgPool2d.Spec()).flatten()
                .linear(2).build(new Init.XavierUniform(), 17)),
        new Named("batch-norm first",
            () -> Sequential.builder(4).batchNorm().linear(3).build(new Init.Normal(0.5), 16)),
        new Named("tanh first, then linear",
            () -> Sequential.builder(5).tanh().linear(4).build(new Init.Normal(0.5), 6)),
        new Named("dropout between linears",
            () -> Sequential.builder(6).linear(8).dropout(0.4).linear(3).build(new Init.Normal(0.5), 7)),
        new Named("d2l 4.6 in small",
            () -> Sequential.builder(10).linear(12).relu().dropout(0.2).linear(12).relu()
                .dropout(0.5).linear(4).build(new Init.Normal(0.3), 8)));
  }

  record Named(String name, Supplier<Sequential> net) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest
  @MethodSource("networks")
  void backwardMatchesFiniteDifferences(Named named) {
    for (Backend backend : Backend.values()) {
      check(named, TrainingKernels.of(backend));
    }
  }

  static void check(Named named, TrainingKernels k) {
    kinks = 0;
    Sequential net = named.net().get();
    Random r = new Random(named.name().hashCode());
    float[] x = new float[ROWS * net.inputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] weights = new float[ROWS * net.outputs()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) r.nextGaussian();
    }
    Sequential.Workspace ws = net.newWorkspace(ROWS);
    ws.pass().training(99, 1, 2, 3);
    Rows in = new Rows(net.inputs()).floats(x, 0);
    net.forward(k, ws, in, ROWS);
    System.arraycopy(weights, 0, ws.outputGradient(), 0, weights.length);
    net.backward(k, ws, ROWS);

    List<Parameter> ps = net.parameters();
    for (int p = 0; p < ps.size(); p++) {
      float[] value = ps.get(p).value().data();
      float[] analytic = ws.gradient(p).clone();
      for (int t = 0; t < Math.min(12, value.length); t++) {
        int i = r.nextInt(value.length);
        checkElement(value, i, analytic[i], () -> loss(net, k, in, weights),
            named + " " + k.backend() + " " + ps.get(p).name() + "[" + i + "]");
      }
    }
    // The input gradient, through a wrapper whose first layer needs it: compare with dL/dx.
    float[] dx = inputGradient(net, k, x, weights);
    for (int t = 0; t < 12; t++) {
      int i = r.nextInt(x.length);
      checkElement(x, i, dx[i], () -> loss(net, k, in, weights),
          named + " " + k.backend() + " dx[" + i + "]");
    }
    assertTrue(kinks <= 6, named + ": " + kinks + " checks skipped at ReLU kinks");
  }

  static int kinks;

  /**
   * Central difference of the loss in {@code v[i]}. Where the two one-sided differences disagree,
   * the step crossed a ReLU kink (the loss is not differentiable there): that element is skipped.
   */
  static void checkElement(float[] v, int i, double analytic,
      java.util.function.DoubleSupplier loss, String what) {
    float saved = v[i];
    double mid = loss.getAsDouble();
    v[i] = (float) (saved + H);
    double up = loss.getAsDouble();
    v[i] = (float) (saved - H);
    double down = loss.getAsDouble();
    v[i] = saved;
    double right = (up - mid) / H;
    double left = (mid - down) / H;
    if (Math.abs(right - left) > 1e-2 * Math.max(1, Math.abs(right)) + 1e-2) {
      kinks++;
      return;
    }
    assertGradient((up - down) / (2 * H), analytic, what);
  }

  /** dL/dx, running each layer's backward by hand with an input gradient for every layer. */
  static float[] inputGradient(Sequential net, TrainingKernels k, float[] x, float[] dOut) {
    List<Layer> layers = net.layers();
    int n = layers.size();
    Layer.State[] states = new Layer.State[n];
    float[][] outs = new float[n][];
    Rows[] inputs = new Rows[n];
    Pass pass = new Pass().training(99, 1, 2, 3);
    Rows cur = new Rows(net.inputs()).floats(x, 0);
    for (int i = 0; i < n; i++) {
      Layer l = layers.get(i);
      states[i] = l.newState(ROWS);
      outs[i] = new float[ROWS * l.outputs()];
      inputs[i] = cur;
      l.forward(k, states[i], cur, ROWS, outs[i], pass);
      cur = new Rows(l.outputs()).floats(outs[i], 0);
    }
    float[] grad = dOut.clone();
    for (int i = n - 1; i >= 0; i--) {
      float[] dIn = new float[ROWS * layers.get(i).inputs()];
      layers.get(i).backward(k, states[i], inputs[i], outs[i], grad, ROWS, dIn);
      grad = dIn;
    }
    return grad;
  }

  static double loss(Sequential net, TrainingKernels k, Rows in, float[] weights) {
    Sequential.Workspace ws = net.newWorkspace(ROWS);
    ws.pass().training(99, 1, 2, 3); // the same dropout masks as the analytic pass
    net.forward(k, ws, in, ROWS);
    double l = 0;
    float[] out = ws.output();
    for (int i = 0; i < weights.length; i++) {
      l += (double) out[i] * weights[i];
    }
    return l;
  }

  static void assertGradient(double numeric, double analytic, String what) {
    double tol = 2e-3 * Math.max(1, Math.abs(numeric)) + 2e-3;
    assertTrue(Math.abs(numeric - analytic) <= tol,
        what + ": finite difference " + numeric + " vs backward " + analytic);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void reluGradientIsZeroAtAndBelowZero(Backend backend) {
    TrainingKernels k = TrainingKernels.of(backend);
    ReLU relu = new ReLU(4);
    float[] x = {-1f, 0f, 2f, -0f};
    float[] out = new float[4];
    relu.forward(k, Layer.State.NONE, new Rows(4).floats(x, 0), 1, out, new Pass());
    float[] dIn = new float[4];
    relu.backward(k, Layer.State.NONE, null, out, new float[] {5, 5, 5, 5}, 1, dIn);
    assertEquals(List.of(0f, 0f, 5f, 0f), List.of(dIn[0], dIn[1], dIn[2], dIn[3]));
  }
}
