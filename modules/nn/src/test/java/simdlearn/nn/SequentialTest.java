package simdlearn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

class SequentialTest {
  static final TrainingKernels V = TrainingKernels.vector();
  static final TrainingKernels S = TrainingKernels.scalar();

  static Sequential d2l46(int inputs) {
    return Sequential.builder(inputs).linear(256).relu().dropout(0.2).linear(256).relu()
        .dropout(0.5).linear(10).build(new Init.Normal(0.01), 42);
  }

  static float[] randomRows(Random r, int rows, int width) {
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  @Test
  void parametersAreNamedByPositionAndBiasesDoNotDecay() {
    Sequential net = d2l46(784);
    assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias"),
        net.parameters().stream().map(Parameter::name).toList());
    assertEquals(List.of(true, false, true, false, true, false),
        net.parameters().stream().map(Parameter::decays).toList());
    assertEquals("784-256-256-10 (linear(784->256), relu, dropout(0.2), linear(256->256), relu,"
        + " dropout(0.5), linear(256->10))", net.describe());
    assertEquals(784, net.inputs());
    assertEquals(10, net.outputs());
  }

  @Test
  void architectureRoundTripsThroughSpecs() {
    Sequential net = d2l46(784);
    Sequential again = Sequential.fromSpecs(net.inputShape(), net.architecture());
    assertEquals(net.architecture(), again.architecture());
    assertEquals(net.describe(), again.describe());
    assertEquals(0f, again.parameters().get(0).value().get(3, 5), "rebuilt with zero weights");
  }

  @Test
  void oneLinearLayerDrawsWhatItsSeedGives() {
    Sequential net = Sequential.builder(784).linear(10).build(new Init.Normal(0.01), 42);
    SplittableRandom rng = new SplittableRandom(42);
    float[] w = net.parameters().get(0).value().data();
    for (int i = 0; i < w.length; i++) {
      assertEquals((float) (rng.nextGaussian() * 0.01), w[i], "weight " + i);
    }
    assertTrue(Arrays.equals(new float[10], net.parameters().get(1).value().data()), "zero bias");
    Sequential same = Sequential.builder(784).linear(10).build(new Init.Normal(0.01), 42);
    assertArrayEquals(w, same.parameters().get(0).value().data());
  }

  @Test
  void initSchemesHaveTheirScales() {
    int in = 400;
    int out = 300;
    float[] w = new float[in * out];
    SplittableRandom rng = new SplittableRandom(1);
    new Init.XavierUniform().fill(w, 0, in * out, in, out, rng);
    double a = Math.sqrt(6.0 / (in + out));
    double max = 0;
    for (float v : w) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= a && max > 0.99 * a, "xavier uniform bound " + a + ", max " + max);
    assertEquals(Math.sqrt(2.0 / (in + out)), std(w, new Init.XavierNormal(), in, out), 0.01 * a);
    assertEquals(Math.sqrt(2.0 / in), std(w, new Init.He(), in, out), 0.01 * Math.sqrt(2.0 / in));
    assertEquals(0.01, std(w, new Init.Normal(0.01), in, out), 2e-4);
    new Init.Zeros().fill(w, 0, in * out, in, out, rng);
    assertTrue(Arrays.equals(new float[w.length], w));
    assertThrows(IllegalArgumentException.class, () -> Init.parse("glorot", 0.01));
    assertEquals("he", Init.parse("kaiming", 0.01).id());
  }

  static double std(float[] w, Init init, int in, int out) {
    init.fill(w, 0, in * out, in, out, new SplittableRandom(7));
    double s = 0;
    for (float v : w) {
      s += (double) v * v;
    }
    return Math.sqrt(s / w.length);
  }

  @Test
  void vectorAndScalarBackendsAgree() {
    Sequential net = Sequential.builder(37).linear(19).tanh().linear(23).sigmoid().linear(5)
        .build(new Init.XavierUniform(), 3);
    Random r = new Random(4);
    int n = 11;
    float[] x = randomRows(r, n, 37);
    float[] dOut = randomRows(r, n, 5);
    Sequential.Workspace wv = run(net, V, x, dOut, n);
    Sequential.Workspace ws = run(net, S, x, dOut, n);
    assertClose(ws.output(), wv.output(), n * 5, "outputs");
    for (int p = 0; p < net.parameters().size(); p++) {
      assertClose(ws.gradient(p), wv.gradient(p), ws.gradient(p).length, "gradient " + p);
    }
  }

  @Test
  void gatheredGradientsAreTheSumOfTheShardsGradients() {
    // A trainer's shards leave the wide layer's weight gradient to gatherGradient, which computes
    // it block by block over all shards; every other gradient is summed. On the vector backend
    // the result is the bits of summing per-shard gradients in shard order.
    Sequential net = Sequential.builder(100).linear(70).relu().linear(3)
        .build(new Init.XavierNormal(), 5);
    Random r = new Random(9);
    int[] rows = {40, 33, 20};
    List<GradientBlock> blocks = net.gradientBlocks();
    for (TrainingKernels k : List.of(V, S)) {
      Network.Workspace[] shards = new Network.Workspace[rows.length];
      Sequential.Workspace[] plain = new Sequential.Workspace[rows.length];
      for (int s = 0; s < rows.length; s++) {
        float[] x = randomRows(r, rows[s], 100);
        float[] dOut = randomRows(r, rows[s], 3);
        plain[s] = run(net, k, x, dOut, rows[s]);
        shards[s] = runIn(net.newShardWorkspace(40), net, k, x, dOut, rows[s]);
      }
      assertEquals(null, shards[0].gradient(0), "the wide weight's gradient is left to gather");
      int[] covered = new int[net.parameters().stream().mapToInt(p -> p.value().size()).sum()];
      for (GradientBlock b : blocks) {
        net.gatherGradient(k, b, shards, rows.length);
        int base = 0;
        for (int p = 0; p < b.parameter(); p++) {
          base += net.parameters().get(p).value().size();
        }
        for (int i = 0; i < b.rows(); i++) {
          for (int c = 0; c < b.cols(); c++) {
            covered[base + b.rowStart(i) + c]++;
          }
        }
      }
      assertTrue(Arrays.stream(covered).allMatch(c -> c == 1), "blocks cover each element once");
      for (int p = 0; p < net.parameters().size(); p++) {
        float[] sum = plain[0].gradient(p).clone();
        for (int s = 1; s < rows.length; s++) {
          for (int i = 0; i < sum.length; i++) {
            sum[i] += plain[s].gradient(p)[i];
          }
        }
        float[] gathered = net.parameters().get(p).grad().toArray();
        if (k == V) {
          assertArrayEquals(sum, gathered, 0f, "vector gradient " + p);
        } else {
          assertClose(sum, gathered, sum.length, "scalar gradient " + p);
        }
      }
    }
    assertThrows(IllegalStateException.class, () -> net.gatherGradient(V, blocks.get(0),
        new Network.Workspace[] {net.newShardWorkspace(4)}, 1));
  }

  @Test
  void packedWeightsGiveTheBitsOfThePlainForwardAndFollowRepacks() {
    Sequential net = Sequential.builder(100).linear(70).relu().linear(3)
        .build(new Init.XavierNormal(), 5);
    float[] x = randomRows(new Random(4), 33, 100);
    GradientBlock first = net.gradientBlocks().get(0);
    float[] w = net.parameters().get(0).value().data();
    for (TrainingKernels k : List.of(V, S)) {
      Sequential.Workspace plain = net.newWorkspace(33);
      Sequential.Workspace packed = net.newWorkspace(33);
      packed.pass().packedWeights(true);
      net.packWeights(k);
      net.forward(k, plain, new Rows(100).floats(x, 0), 33);
      net.forward(k, packed, new Rows(100).floats(x, 0), 33);
      assertArrayEquals(plain.output(), packed.output(), 0f, k.backend() + " packed forward");
      // A step changes the first block's columns: the pack follows once that block is repacked.
      for (int row = 0; row < first.rows(); row++) {
        for (int c = 0; c < first.cols(); c++) {
          w[first.rowStart(row) + c] += 0.25f;
        }
      }
      net.forward(k, plain, new Rows(100).floats(x, 0), 33);
      net.forward(k, packed, new Rows(100).floats(x, 0), 33);
      // (Passes that do not ask for packs, like plain's, read the weight itself.)
      assertNotEquals(Arrays.toString(plain.output()), Arrays.toString(packed.output()),
          "a stale pack is read until repacked");
      net.repackWeights(k, first);
      net.forward(k, packed, new Rows(100).floats(x, 0), 33);
      assertArrayEquals(plain.output(), packed.output(), 0f, k.backend() + " after the repack");
    }
  }

  static Sequential.Workspace run(Sequential net, TrainingKernels k, float[] x, float[] dOut,
      int n) {
    return runIn(net.newWorkspace(n), net, k, x, dOut, n);
  }

  static Sequential.Workspace runIn(Sequential.Workspace ws, Sequential net, TrainingKernels k,
      float[] x, float[] dOut, int n) {
    ws.pass().training(1, 0, 0, 0);
    net.forward(k, ws, new Rows(net.inputs()).floats(x, 0), n);
    System.arraycopy(dOut, 0, ws.outputGradient(), 0, dOut.length);
    net.backward(k, ws, n);
    return ws;
  }

  static void assertClose(float[] expected, float[] actual, int n, String what) {
    for (int i = 0; i < n; i++) {
      assertEquals(expected[i], actual[i], 1e-5f * Math.max(1f, Math.abs(expected[i])),
          what + " at " + i);
    }
  }

  @Test
  void dropoutMasksDoNotDependOnHowABatchIsSplitIntoShards() {
    // Masks are keyed by (seed, layer, epoch, batch, row in the batch): the same bits whether a
    // batch is one shard or two, on one thread or several.
    Sequential net = Sequential.builder(30).dropout(0.2).tanh().dropout(0.5).build();
    Random r = new Random(8);
    int n = 12;
    float[] x = randomRows(r, n, 30);
    float[] all = forward(net, x, 0, n, 0, 3);
    float[] split = new float[n * 30];
    System.arraycopy(forward(net, x, 0, 5, 0, 3), 0, split, 0, 5 * 30);
    System.arraycopy(forward(net, x, 5 * 30, 7, 5, 3), 0, split, 5 * 30, 7 * 30);
    assertArrayEquals(all, split, "same bits whatever the shards");
    assertNotEquals(Arrays.toString(all), Arrays.toString(forward(net, x, 0, n, 0, 4)),
        "another epoch draws other masks");
  }

  /** A training pass of epoch {@code epoch}, batch 17, over rows from batch row {@code first}. */
  static float[] forward(Sequential net, float[] x, int off, int n, int first, int epoch) {
    Sequential.Workspace ws = net.newWorkspace(n);
    ws.pass().training(42, epoch, 17, first);
    net.forward(V, ws, new Rows(net.inputs()).floats(x, off), n);
    return Arrays.copyOf(ws.output(), n * net.outputs());
  }

  @Test
  void dropoutIsTheIdentityWhenEvaluatingAndScalesWhenTraining() {
    Dropout d = new Dropout(1000, 0.3f, 0);
    float[] x = new float[1000];
    Arrays.fill(x, 2f);
    float[] out = new float[1000];
    Layer.State s = d.newState(1);
    d.forward(V, s, new Rows(1000).floats(x, 0), 1, out, new Pass());
    assertArrayEquals(x, out, "evaluation");
    d.forward(V, s, new Rows(1000).floats(x, 0), 1, out, new Pass().training(5, 0, 0, 0));
    int kept = 0;
    for (float v : out) {
      assertTrue(v == 0f || v == 2f / 0.7f, "zero or scaled by 1/(1-p): " + v);
      kept += v != 0 ? 1 : 0;
    }
    assertEquals(700, kept, 5 * Math.sqrt(1000 * 0.21), "about 1 - p kept");
    float[] dIn = new float[1000];
    float[] ones = new float[1000];
    Arrays.fill(ones, 1f);
    d.backward(V, s, null, out, ones, 1, dIn);
    for (int i = 0; i < 1000; i++) {
      assertEquals(out[i] == 0 ? 0f : 1f / 0.7f, dIn[i], 1e-6f, "gradient through the mask");
    }
  }

  @Test
  void gatheredBytesGiveTheSameResultsAsTheirFloats() {
    Random r = new Random(12);
    int examples = 40;
    int width = 50;
    byte[] px = new byte[examples * width];
    r.nextBytes(px);
    int[] order = new int[examples];
    for (int i = 0; i < examples; i++) {
      order[i] = (i * 7) % examples;
    }
    for (int hidden : new int[] {10, 64}) { // narrow: bytes read in place; wide: floats first
      Sequential net = Sequential.builder(width).linear(hidden).relu().linear(3)
          .build(new Init.Normal(0.1), 2);
      int n = 9;
      float[] floats = new float[n * width];
      V.gatherBytesToFloats(n, width, px, order, 4, 1f / 255f, floats, 0);
      float[] dOut = randomRows(r, n, 3);
      Sequential.Workspace a = net.newWorkspace(n);
      net.forward(V, a, new Rows(width).gathered(px, order, 4, 1f / 255f), n);
      System.arraycopy(dOut, 0, a.outputGradient(), 0, dOut.length);
      net.backward(V, a, n);
      Sequential.Workspace b = run(net, V, floats, dOut, n);
      assertClose(b.output(), a.output(), n * 3, "outputs, hidden " + hidden);
      assertClose(b.gradient(0), a.gradient(0), hidden * width, "first weights, hidden " + hidden);
    }
  }

  @Test
  void badShapesAreRefusedWithClearMessages() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(
        new Linear(784, 256, true), new ReLU(128))));
    assertEquals("layer 1 (relu) takes 128 but gets 256 from layer 0 (linear(784->256))",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Sequential.builder(784).linear(0));
    assertTrue(e.getMessage().contains("at least one output"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Sequential.builder(784).linear(10).dropout(1.0));
    assertTrue(e.getMessage().contains("dropout must be in [0, 1)"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Sequential.builder(784).linear(10).dropout(-0.1));
    assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of()));
    e = assertThrows(IllegalArgumentException.class, () -> LayerTypes.get("conv9d"));
    assertTrue(e.getMessage().startsWith("unknown layer type 'conv9d': linear, relu"),
        e.getMessage());
    Sequential net = Sequential.builder(4).linear(2).build();
    e = assertThrows(IllegalArgumentException.class,
        () -> net.forward(V, net.newWorkspace(2), new Rows(5).floats(new float[10], 0), 2));
    assertTrue(e.getMessage().contains("5 values but the network takes 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> net.forward(V, net.newWorkspace(2), new Rows(4).floats(new float[12], 0), 3));
    assertThrows(IllegalStateException.class, () -> net.backward(V, net.newWorkspace(2), 2));
  }
}
