package simdlearn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import simdlearn.kernel.training.TrainingKernels;

/** Convolution and pooling against the book's small examples (d2l 6.2-6.5), exactly. */
class ConvolutionTest {
  static final TrainingKernels K = TrainingKernels.vector();

  /** One example through one layer. */
  static float[] forward(Layer layer, float[] x) {
    float[] out = new float[layer.outputs()];
    layer.forward(K, layer.newState(1), new Rows(layer.inputs()).floats(x, 0), 1, out,
        new Pass());
    return out;
  }

  static Conv2d conv(int c, int h, int w, Conv2d.Spec spec, float... weights) {
    Conv2d conv = new Conv2d(new Shape.Planes(c, h, w), spec);
    System.arraycopy(weights, 0, conv.parameters().get(0).value().data(), 0, weights.length);
    return conv;
  }

  static float[] range(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }

  @Test
  void corr2dAndTheEdgeDetector() {
    // 6.2.1: X = 0..8 as 3x3, K = [[0, 1], [2, 3]].
    Conv2d c = conv(1, 3, 3, new Conv2d.Spec(1, 1, 2, 2, 0, 0, 1, 1, false), 0, 1, 2, 3);
    assertArrayEquals(new float[] {19, 25, 37, 43}, forward(c, range(9)));
    // 6.2.3: ones with a dark band in columns 2-5, K = [[1, -1]]: 1 at the left edge, -1 right.
    float[] x = new float[6 * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 8 >= 2 && i % 8 < 6 ? 0 : 1;
    }
    Conv2d edge = conv(1, 6, 8, new Conv2d.Spec(1, 1, 1, 2, 0, 0, 1, 1, false), 1, -1);
    float[] y = forward(edge, x);
    assertEquals(6 * 7, y.length);
    for (int r = 0; r < 6; r++) {
      assertArrayEquals(new float[] {0, 1, 0, 0, 0, -1, 0}, java.util.Arrays.copyOfRange(y,
          r * 7, r * 7 + 7));
    }
  }

  @Test
  void learningTheEdgeDetectorsKernel() {
    // 6.2.4: a 1x2 kernel without bias learns [1, -1] from X and Y in 10 steps at lr 0.03,
    // on the summed squared error (d2l: [[1.0010, -0.9739]] or so from its random start; from
    // [0.3, 0.7] here: [1.040, -0.932]).
    float[] x = new float[6 * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 8 >= 2 && i % 8 < 6 ? 0 : 1;
    }
    Conv2d truth = conv(1, 6, 8, new Conv2d.Spec(1, 1, 1, 2, 0, 0, 1, 1, false), 1, -1);
    float[] y = forward(truth, x);
    Conv2d learner = conv(1, 6, 8, new Conv2d.Spec(1, 1, 1, 2, 0, 0, 1, 1, false), 0.3f, 0.7f);
    Layer.State state = learner.newState(1);
    float[] w = learner.parameters().get(0).value().data();
    for (int step = 0; step < 10; step++) {
      float[] out = new float[y.length];
      learner.forward(K, state, new Rows(48).floats(x, 0), 1, out, new Pass());
      float[] dOut = new float[y.length];
      for (int i = 0; i < y.length; i++) {
        dOut[i] = 2 * (out[i] - y[i]);
      }
      learner.backward(K, state, new Rows(48).floats(x, 0), out, dOut, 1, null);
      float[] dW = state.gradient(0);
      for (int i = 0; i < w.length; i++) {
        w[i] -= 0.03f * dW[i];
      }
    }
    assertArrayEquals(new float[] {1, -1}, w, 0.1f, java.util.Arrays.toString(w));
  }

  @Test
  void outputShapesWithPaddingAndStride() {
    // 6.3: an 8x8 input.
    Shape in = Shape.planes(1, 8, 8);
    assertEquals(Shape.planes(1, 8, 8), Conv2d.Spec.of(1, 1, 3, 1, 1).build(in, 0).outputShape());
    assertEquals(Shape.planes(1, 8, 8), new Conv2d.Spec(1, 1, 5, 3, 2, 1, 1, 1, true)
        .build(in, 0).outputShape());
    assertEquals(Shape.planes(1, 4, 4), Conv2d.Spec.of(1, 1, 3, 1, 2).build(in, 0).outputShape());
    assertEquals(Shape.planes(1, 2, 2), new Conv2d.Spec(1, 1, 3, 5, 0, 1, 3, 4, true)
        .build(in, 0).outputShape());
    var e = assertThrows(IllegalArgumentException.class,
        () -> Conv2d.Spec.of(3, 1, 3, 0, 1).build(in, 0));
    assertEquals("conv2d takes 3 channels but gets 1 (1x8x8)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Conv2d.Spec.of(1, 1, 9, 0, 1).build(in, 0));
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Conv2d.Spec.of(1, 1, 3, 0, 1).build(Shape.features(64), 0));
    assertTrue(e.getMessage().contains("takes channels x height x width planes"), e.getMessage());
  }

  @Test
  void multipleChannelsAndTheOneByOneConvolution() {
    // 6.4.1: two input channels (0..8 and 1..9), kernels [[0,1],[2,3]] and [[1,2],[3,4]].
    float[] x = new float[18];
    for (int i = 0; i < 9; i++) {
      x[i] = i;
      x[9 + i] = i + 1;
    }
    Conv2d c = conv(2, 3, 3, new Conv2d.Spec(2, 1, 2, 2, 0, 0, 1, 1, false), 0, 1, 2, 3, 1, 2,
        3, 4);
    assertArrayEquals(new float[] {56, 72, 104, 120}, forward(c, x));
    // 6.4.3: a 1x1 convolution is a dense layer applied at every pixel.
    java.util.Random r = new java.util.Random(3);
    float[] planes = new float[3 * 3 * 3];
    float[] k = new float[2 * 3];
    for (int i = 0; i < planes.length; i++) {
      planes[i] = r.nextFloat();
    }
    for (int i = 0; i < k.length; i++) {
      k[i] = r.nextFloat();
    }
    float[] y = forward(conv(3, 3, 3, new Conv2d.Spec(3, 2, 1, 1, 0, 0, 1, 1, false), k), planes);
    for (int o = 0; o < 2; o++) {
      for (int p = 0; p < 9; p++) {
        double dense = 0;
        for (int ci = 0; ci < 3; ci++) {
          dense += (double) k[o * 3 + ci] * planes[ci * 9 + p];
        }
        assertEquals(dense, y[o * 9 + p], 1e-5);
      }
    }
  }

  @Test
  void poolingWithPaddingAndStrideOverChannels() {
    // 6.5.1: X = 0..8 as 3x3, 2x2 windows, stride 1.
    Shape x3 = Shape.planes(1, 3, 3);
    assertArrayEquals(new float[] {4, 5, 7, 8},
        forward(new MaxPool2d.Spec(2, 2, 1, 1, 0, 0).build(x3, 0), range(9)));
    assertArrayEquals(new float[] {2, 3, 5, 6},
        forward(new AvgPool2d.Spec(2, 2, 1, 1, 0, 0).build(x3, 0), range(9)));
    // 6.5.2: X = 0..15 as 4x4; a 3x3 window (stride 3), then padding 1 and stride 2.
    Shape x4 = Shape.planes(1, 4, 4);
    assertArrayEquals(new float[] {10}, forward(MaxPool2d.Spec.of(3, 3, 0).build(x4, 0),
        range(16)));
    assertArrayEquals(new float[] {5, 7, 13, 15}, forward(MaxPool2d.Spec.of(3, 2, 1)
        .build(x4, 0), range(16)));
    // 6.5.3: two channels, X and X + 1: each pooled on its own.
    float[] two = new float[32];
    for (int i = 0; i < 16; i++) {
      two[i] = i;
      two[16 + i] = i + 1;
    }
    assertArrayEquals(new float[] {5, 7, 13, 15, 6, 8, 14, 16},
        forward(MaxPool2d.Spec.of(3, 2, 1).build(Shape.planes(2, 4, 4), 0), two));
    assertThrows(IllegalArgumentException.class, () -> MaxPool2d.Spec.of(2, 2, 2));
  }

  @Test
  void maxPoolingRoutesTheGradientToTheFirstLargest() {
    Layer pool = new MaxPool2d.Spec(2, 2, 2, 2, 0, 0).build(Shape.planes(1, 2, 4), 0);
    Layer.State state = pool.newState(1);
    float[] x = {3, 3, 1, 2, 0, 1, 2, 2};
    float[] out = new float[2];
    pool.forward(K, state, new Rows(8).floats(x, 0), 1, out, new Pass());
    assertArrayEquals(new float[] {3, 2}, out);
    float[] dIn = new float[8];
    pool.backward(K, state, null, out, new float[] {10, 20}, 1, dIn);
    assertArrayEquals(new float[] {10, 0, 0, 20, 0, 0, 0, 0}, dIn, "ties: the first in order");
  }

  /**
   * The vector and scalar backends agree on awkward shapes: one channel, odd sizes, padding of
   * half the kernel, stride 3, a 1x1 kernel, a kernel as large as the input.
   */
  @Test
  void vectorAndScalarAgreeOnAwkwardShapes() {
    TrainingKernels s = TrainingKernels.scalar();
    int[][] cases = { // c, h, w, out, kh, kw, ph, pw, sh, sw
        {1, 7, 5, 2, 3, 3, 1, 1, 1, 1}, {3, 9, 11, 4, 5, 5, 2, 2, 3, 3},
        {2, 6, 6, 3, 1, 1, 0, 0, 1, 1}, {2, 5, 4, 3, 5, 4, 0, 0, 1, 1},
        {1, 13, 3, 1, 3, 2, 1, 1, 3, 2}, {5, 4, 4, 7, 2, 2, 1, 1, 2, 2},
        // 16 channels and more: several panels of the weights.
        {3, 9, 11, 16, 5, 5, 2, 2, 3, 3}, {2, 6, 5, 17, 3, 3, 1, 1, 1, 1},
        {6, 14, 14, 16, 5, 5, 0, 0, 1, 1}, {1, 4, 4, 20, 4, 4, 0, 0, 1, 1}};
    java.util.Random r = new java.util.Random(5);
    for (int[] c : cases) {
      Conv2d.Spec spec = new Conv2d.Spec(c[0], c[3], c[4], c[5], c[6], c[7], c[8], c[9], true);
      Conv2d conv = new Conv2d(new Shape.Planes(c[0], c[1], c[2]), spec);
      conv.initialise(new Init.XavierUniform(), new java.util.SplittableRandom(c[1]));
      int n = 3;
      float[] x = gaussian(r, n * conv.inputs());
      float[] dOut = gaussian(r, n * conv.outputs());
      float[][] results = new float[4][];
      int at = 0;
      for (TrainingKernels k : List.of(K, s)) {
        Layer.State state = conv.newState(n);
        float[] out = new float[n * conv.outputs()];
        Rows rows = new Rows(conv.inputs()).floats(x, 0);
        conv.forward(k, state, rows, n, out, new Pass());
        float[] dIn = new float[x.length];
        conv.backward(k, state, rows, out, dOut, n, dIn);
        results[at++] = out;
        results[at++] = concat(state.gradient(0), state.gradient(1), dIn);
      }
      String what = java.util.Arrays.toString(c);
      assertArrayEquals(results[2], results[0], 1e-4f, "forward " + what);
      assertArrayEquals(results[3], results[1], 2e-4f, "gradients " + what);
    }
  }

  @Test
  void forwardAndGradientsAreTheDefinition() {
    // Against the definition summed in double, for channel counts on and off the micro-kernels'
    // panel heights and each of Conv2d's three paths: planes of at most 7x7 outputs (the shard's
    // examples side by side), larger ones at stride 2 (columns per example) and at stride 1 with
    // and without padding (read from the planes through shifts, no columns).
    java.util.Random r = new java.util.Random(8);
    int[][] geometries = { // h, w, ph, pw, sh, sw
        {7, 6, 1, 0, 2, 1}, {16, 9, 1, 0, 2, 1}, {10, 9, 1, 1, 1, 1}, {10, 9, 0, 0, 1, 1},
        {10, 9, 2, 1, 1, 1}};
    for (int out : new int[] {4, 16, 19}) {
      for (int[] g : geometries) {
        checkDefinition(r, out, g);
      }
    }
  }

  private static void checkDefinition(java.util.Random r, int out, int[] g) {
    int c = 3;
    int h = g[0];
    int w = g[1];
    int ph = g[2];
    int pw = g[3];
    int sh = g[4];
    int sw = g[5];
    Conv2d.Spec spec = new Conv2d.Spec(c, out, 3, 2, ph, pw, sh, sw, true);
    Conv2d conv = new Conv2d(new Shape.Planes(c, h, w), spec);
    conv.initialise(new Init.XavierUniform(), new java.util.SplittableRandom(out));
    conv.parameters().get(1).value().set(0, out - 1, 0.5f);
    Shape.Planes o = (Shape.Planes) conv.outputShape();
    int n = 3;
    float[] x = gaussian(r, n * conv.inputs());
    float[] dOut = gaussian(r, n * conv.outputs());
    Layer.State state = conv.newState(n);
    float[] y = new float[dOut.length];
    Rows rows = new Rows(conv.inputs()).floats(x, 0);
    conv.forward(K, state, rows, n, y, new Pass());
    float[] dx = new float[x.length];
    conv.backward(K, state, rows, y, dOut, n, dx);
    float[] wt = conv.parameters().get(0).value().toArray();
    float[] b = conv.parameters().get(1).value().toArray();
    double[] ey = new double[y.length];
    double[] edw = new double[wt.length];
    double[] edb = new double[b.length];
    double[] edx = new double[x.length];
    for (int e = 0; e < n; e++) {
      for (int co = 0; co < out; co++) {
        for (int oy = 0; oy < o.height(); oy++) {
          for (int ox = 0; ox < o.width(); ox++) {
            int yi = e * conv.outputs() + (co * o.height() + oy) * o.width() + ox;
            double sum = b[co];
            edb[co] += dOut[yi];
            for (int ci = 0; ci < c; ci++) {
              for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                  int yy = oy * sh - ph + i;
                  int xx = ox * sw - pw + j;
                  if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                    continue;
                  }
                  int xi = e * conv.inputs() + (ci * h + yy) * w + xx;
                  int wi = ((co * c + ci) * 3 + i) * 2 + j;
                  sum += (double) wt[wi] * x[xi];
                  edw[wi] += (double) dOut[yi] * x[xi];
                  edx[xi] += (double) dOut[yi] * wt[wi];
                }
              }
            }
            ey[yi] = sum;
          }
        }
      }
    }
    String what = out + " channels, " + java.util.Arrays.toString(g);
    assertClose(ey, y, what + " forward");
    assertClose(edw, state.gradient(0), what + " weight gradient");
    assertClose(edb, state.gradient(1), what + " bias gradient");
    assertClose(edx, dx, what + " input gradient");
  }

  static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " [" + i
          + "]");
    }
  }

  static float[] gaussian(java.util.Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] all = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Test
  void specsDescribeAndRebuildConvolutionalNetworks() {
    Sequential lenet = Sequential.builder(Shape.planes(1, 28, 28)).conv2d(6, 5, 2, 1).sigmoid()
        .avgPool2d(2, 2, 0).conv2d(16, 5, 0, 1).sigmoid().avgPool2d(2, 2, 0).flatten()
        .linear(120).sigmoid().linear(84).sigmoid().linear(10).build(new Init.XavierUniform(), 1);
    assertEquals("1x28x28-6x28x28-16x10x10-120-84-10 (conv2d(1->6, 5x5, pad 2), sigmoid,"
        + " avg-pool2d(2x2), conv2d(6->16, 5x5), sigmoid, avg-pool2d(2x2), flatten,"
        + " linear(400->120), sigmoid, linear(120->84), sigmoid, linear(84->10))",
        lenet.describe());
    assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias",
        "9.weight", "9.bias", "11.weight", "11.bias"),
        lenet.parameters().stream().map(p -> p.name()).toList());
    assertEquals(6, lenet.parameter("0.weight").value().rows());
    assertEquals(25, lenet.parameter("0.weight").value().cols(), "out x (in kh kw)");
    Sequential again = Sequential.fromSpecs(lenet.inputShape(), lenet.architecture());
    assertEquals(lenet.describe(), again.describe());
  }
}
