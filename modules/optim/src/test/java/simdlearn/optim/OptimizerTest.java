package simdlearn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import simdlearn.kernel.Backend;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;

class OptimizerTest {

  static Parameter param(float... w) {
    return Parameter.of("w", FloatMatrix.of(w));
  }

  static void setGrad(Parameter p, float... g) {
    System.arraycopy(g, 0, p.grad().data(), 0, g.length);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void sgdIsD2lsUpdate(Backend backend) {
    // d2l: param -= lr * param.grad / batch_size, with the gradient of a summed loss.
    Parameter p = param(1f, 2f, -3f);
    Optimizer sgd = new Sgd(Kernels.of(backend));
    sgd.init(List.of(p));
    setGrad(p, 4f, -8f, 2f); // summed over a batch of 4
    sgd.step(0.1f, 1f / 4);
    assertArrayEquals(new float[] {0.9f, 2.2f, -3.05f}, p.value().toArray(), 1e-6f);
    assertEquals(1, sgd.steps());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void momentumAndNesterovByHand(Backend backend) {
    Kernels k = Kernels.of(backend);
    Parameter p = param(1f);
    Optimizer m = new Sgd(k, 0.9f, false, 0f);
    m.init(List.of(p));
    setGrad(p, 1f);
    m.step(0.1f, 1f); // v = 1, w = 1 - 0.1 = 0.9
    setGrad(p, 0.5f);
    m.step(0.1f, 1f); // v = 0.9 + 0.5 = 1.4, w = 0.9 - 0.14 = 0.76
    assertEquals(0.76f, p.value().get(0, 0), 1e-6f);

    Parameter q = param(1f);
    Optimizer n = new Sgd(k, 0.9f, true, 0f);
    n.init(List.of(q));
    setGrad(q, 1f);
    n.step(0.1f, 1f); // v = 1, w = 1 - 0.1 * (1 + 0.9) = 0.81
    setGrad(q, 0.5f);
    n.step(0.1f, 1f); // v = 1.4, w = 0.81 - 0.1 * (0.5 + 1.26) = 0.634
    assertEquals(0.634f, q.value().get(0, 0), 1e-6f);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void decoupledWeightDecay(Backend backend) {
    Parameter p = param(2f, -1f);
    Optimizer sgd = new Sgd(Kernels.of(backend), 0f, false, 0.5f);
    sgd.init(List.of(p));
    setGrad(p, 1f, 1f);
    sgd.step(0.1f, 1f); // w * (1 - 0.05) - 0.1 * g
    assertArrayEquals(new float[] {1.8f, -1.05f}, p.value().toArray(), 1e-6f);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void weightDecayNeverTouchesBiases(Backend backend) {
    Parameter w = param(2f, -1f);
    Parameter b = Parameter.bias("b", FloatMatrix.of(new float[] {2f, -1f}));
    for (Optimizer o : List.of(new Sgd(Kernels.of(backend), 0f, false, 0.5f),
        new Sgd(Kernels.of(backend), 0.9f, true, 0.5f),
        new Adam(Kernels.of(backend), 0.9f, 0.999f, 1e-8f, 0.5f))) {
      w.value().copyFrom(FloatMatrix.of(new float[] {2f, -1f}));
      b.value().copyFrom(FloatMatrix.of(new float[] {2f, -1f}));
      o.init(List.of(w, b));
      setGrad(w, 0f, 0f);
      setGrad(b, 0f, 0f);
      o.step(0.1f, 1f); // a zero gradient: only decay can move a parameter
      assertArrayEquals(new float[] {1.9f, -0.95f}, w.value().toArray(), 1e-6f, o + " decays w");
      assertArrayEquals(new float[] {2f, -1f}, b.value().toArray(), 0f, o + " leaves b alone");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void adamFollowsThePublishedRule(Backend backend) {
    // Minimise f(w) = 1/2 sum a_i (w_i - c_i)^2 for 25 steps; compare with Algorithm 1 in double.
    float[] a = {1f, 10f, 0.1f};
    float[] c = {3f, -1f, 0.5f};
    Parameter p = param(0f, 0f, 0f);
    float lr = 0.05f;
    float wd = 0.01f;
    Optimizer adam = new Adam(Kernels.of(backend), 0.9f, 0.999f, 1e-8f, wd);
    adam.init(List.of(p));
    double[] w = new double[3];
    double[] m = new double[3];
    double[] v = new double[3];
    for (int t = 1; t <= 25; t++) {
      for (int i = 0; i < 3; i++) {
        p.grad().data()[i] = a[i] * (p.value().data()[i] - c[i]);
      }
      adam.step(lr, 1f);
      for (int i = 0; i < 3; i++) {
        double g = a[i] * (w[i] - c[i]);
        w[i] *= 1 - lr * wd;
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double mhat = m[i] / (1 - Math.pow(0.9, t));
        double vhat = v[i] / (1 - Math.pow(0.999, t));
        w[i] -= lr * mhat / (Math.sqrt(vhat) + 1e-8);
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(w[i], p.value().data()[i], 1e-5, "step " + t + " w[" + i + "]");
      }
    }
    // Adam's first step moves each weight by about lr, whatever the gradient's size.
    Parameter q = param(0f, 0f);
    Optimizer fresh = adam.copy();
    fresh.init(List.of(q));
    setGrad(q, 1000f, -0.001f);
    fresh.step(0.01f, 1f);
    assertArrayEquals(new float[] {-0.01f, 0.01f}, q.value().toArray(), 1e-6f);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void stepsInRangesGiveTheBitsOfWholeSteps(Backend backend) {
    // Ranges start at multiples of the vector length and end at one or at the end (the trainer's
    // gradient blocks): an element's update must not depend on the range it came in.
    Kernels k = Kernels.of(backend);
    java.util.Random r = new java.util.Random(7);
    for (Optimizer proto : List.of(new Sgd(k), new Sgd(k, 0.9f, false, 0.01f),
        new Sgd(k, 0.9f, true, 0f), new Adam(k, 0.9f, 0.999f, 1e-8f, 0.05f))) {
      float[] w0 = new float[203];
      for (int i = 0; i < w0.length; i++) {
        w0[i] = (float) r.nextGaussian();
      }
      Parameter whole = param(w0.clone());
      Parameter ranged = param(w0.clone());
      Parameter bias = Parameter.bias("b", FloatMatrix.of(new float[] {0.5f, -2f, 3f}));
      Parameter rangedBias = Parameter.bias("b", FloatMatrix.of(new float[] {0.5f, -2f, 3f}));
      Optimizer a = proto.copy();
      Optimizer b = proto.copy();
      a.init(List.of(whole, bias));
      b.init(List.of(ranged, rangedBias));
      for (int t = 0; t < 4; t++) {
        for (int i = 0; i < w0.length; i++) {
          float g = (float) r.nextGaussian();
          whole.grad().data()[i] = g;
          ranged.grad().data()[i] = g;
        }
        setGrad(bias, t, -t, 0.5f);
        setGrad(rangedBias, t, -t, 0.5f);
        a.step(0.1f, 0.25f);
        b.beginStep(0.1f);
        b.stepRange(0, 128, 75, 0.1f, 0.25f); // out of order: ranges are independent
        b.stepRange(1, 0, 3, 0.1f, 0.25f);
        b.stepRange(0, 0, 64, 0.1f, 0.25f);
        b.stepRange(0, 64, 64, 0.1f, 0.25f);
      }
      assertArrayEquals(whole.value().toArray(), ranged.value().toArray(), 0f, proto.toString());
      assertArrayEquals(bias.value().toArray(), rangedBias.value().toArray(), 0f, proto.toString());
      assertEquals(a.steps(), b.steps());
      assertEquals(a.state().buffers().keySet(), b.state().buffers().keySet());
      a.state().buffers().forEach((name, v) ->
          assertArrayEquals(v, b.state().buffers().get(name), 0f, proto + " " + name));
      assertThrows(IndexOutOfBoundsException.class, () -> b.stepRange(0, 200, 4, 0.1f, 1f));
      assertThrows(IllegalArgumentException.class, () -> b.beginStep(Float.NaN));
    }
  }

  @Test
  void stateSavesAndRestores() {
    Kernels k = Kernels.vector();
    Parameter p = param(1f, 2f);
    Optimizer adam = new Adam(k);
    adam.init(List.of(p));
    for (int t = 0; t < 3; t++) {
      setGrad(p, 0.3f * t + 1, -0.2f);
      adam.step(0.01f, 1f);
    }
    OptimizerState snapshot = adam.state();
    float[] atSnapshot = p.value().toArray();
    for (int t = 0; t < 2; t++) {
      setGrad(p, 0.5f, 0.5f);
      adam.step(0.01f, 1f);
    }
    float[] expected = p.value().toArray();

    Parameter p2 = Parameter.of("w", FloatMatrix.of(atSnapshot));
    Optimizer resumed = adam.copy();
    resumed.init(List.of(p2));
    resumed.restore(snapshot);
    assertEquals(3, resumed.steps());
    for (int t = 0; t < 2; t++) {
      setGrad(p2, 0.5f, 0.5f);
      resumed.step(0.01f, 1f);
    }
    assertArrayEquals(expected, p2.value().toArray(), 0f, "restored state continues identically");
    assertEquals("adam", snapshot.optimizer());
    assertTrue(snapshot.buffers().containsKey("w/adam.m"));

    resumed.reset();
    assertEquals(0, resumed.steps());
    assertThrows(IllegalArgumentException.class, () -> new Sgd(k).restore(snapshot));
    assertTrue(adam.copy().toString().contains("beta1=0.9"), adam.toString());
  }

  @Test
  void schedules() {
    assertEquals(0.1f, new LearningRateSchedule.Constant(0.1f).lr(7.3));
    LearningRateSchedule step = new LearningRateSchedule.Step(0.1f, 3, 0.5f);
    assertEquals(0.1f, step.lr(2.99), 1e-7f);
    assertEquals(0.05f, step.lr(3), 1e-7f);
    assertEquals(0.025f, step.lr(6.5), 1e-7f);
    LearningRateSchedule cos = new LearningRateSchedule.Cosine(0.1f, 0.001f, 10);
    assertEquals(0.1f, cos.lr(0), 1e-7f);
    assertEquals(0.0505f, cos.lr(5), 1e-6f);
    assertEquals(0.001f, cos.lr(10), 1e-7f);
    assertEquals(0.001f, cos.lr(12), 1e-7f);
  }

  @Test
  void badArguments() {
    Kernels k = Kernels.vector();
    Parameter p = param(1f);
    Optimizer sgd = new Sgd(k);
    assertThrows(IllegalStateException.class, () -> sgd.step(0.1f, 1f), "step before init");
    sgd.init(List.of(p));
    var e = assertThrows(IllegalArgumentException.class, () -> sgd.step(-0.1f, 1f));
    assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> sgd.step(Float.NaN, 1f));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(k, 1f, false, 0f));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(k, 0f, true, 0f));
    assertThrows(IllegalArgumentException.class, () -> new Adam(k, 0.9f, 1f, 1e-8f, 0f));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(k, 0f, false, -1f));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.Constant(-1f));
    assertThrows(IllegalArgumentException.class,
        () -> sgd.init(List.of(param(1f), param(2f))), "duplicate names");

    SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(k);
    FloatMatrix z = FloatMatrix.zeros(2, 3);
    var label = assertThrows(IllegalArgumentException.class,
        () -> ce.lossAndGradient(z, new int[] {0, 3}, new float[2], FloatMatrix.zeros(2, 3), 1f));
    assertTrue(label.getMessage().contains("label 3 of row 1 is outside 0..2"), label.getMessage());
    var shape = assertThrows(IllegalArgumentException.class,
        () -> ce.lossAndGradient(z, new int[] {0, 1}, new float[2], FloatMatrix.zeros(3, 2), 1f));
    assertTrue(shape.getMessage().contains("does not match"), shape.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ce.lossAndGradient(z, new int[] {0, 1}, new float[2], z, 1f), "aliasing");
    assertThrows(IllegalArgumentException.class, () -> RegressionLoss.huber(0));
    assertThrows(IllegalArgumentException.class, () -> RegressionLoss.byName("hinge"));
    assertThrows(IllegalArgumentException.class, () -> new BinaryLogisticLoss()
        .lossAndGradient(FloatMatrix.zeros(1, 1), new int[] {2}, new float[1],
            FloatMatrix.zeros(1, 1), 1f));
  }
}
