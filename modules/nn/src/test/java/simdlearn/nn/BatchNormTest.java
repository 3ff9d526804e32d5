package simdlearn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Batch normalisation against PyTorch 1.13 on fixed inputs (training outputs, input and parameter
 * gradients, running statistics after two steps, evaluation outputs; the figures below are
 * printed by {@code jmh/peers/pytorch_batchnorm.py}), and shards that meet giving the whole
 * minibatch's statistics.
 */
class BatchNormTest {
  // torch 1.13.0a0
  static final float[] DENSE_TRAIN_OUT = {
      7.504844666e-01f, 1.203299642e+00f, 1.503326654e+00f, 1.155975223e+00f, 1.829146385e+00f,
      2.305697441e+00f, 1.843223929e+00f, 8.140019178e-01f, 7.893715501e-01f, -7.557615638e-02f,
      -1.085392594e+00f, -1.017229438e+00f, -1.130566835e+00f, -2.187157154e+00f, -2.063439608e+00f,
      -7.870608568e-01f, 1.064579710e-01f, 9.443148375e-01f, 1.981988192e+00f, 1.845299244e+00f,
      3.002350569e+00f, 4.406606674e+00f, 4.035400867e+00f, 2.009924889e+00f};
  static final float[] DENSE_DX = {
      2.939544618e-01f, 5.694147944e-01f, 6.801595688e-01f, 4.486368895e-01f, 5.271751285e-01f,
      8.293699026e-01f, 8.075872660e-01f, 4.405581951e-01f, 3.984155059e-01f, 4.557950795e-01f,
      2.977178097e-01f, 7.984187454e-02f, -1.177042201e-01f, -3.770849109e-01f, -5.226464272e-01f,
      -3.819783330e-01f, -5.786310434e-01f, -9.020005465e-01f, -8.910061717e-01f, -5.059522986e-01f,
      -5.232098699e-01f, -5.754943490e-01f, -3.718122244e-01f, -8.110628277e-02f};
  static final float[] DENSE_DGAMMA = {
      -6.428874731e-01f, -8.068994880e-01f, -5.684114099e-01f, -2.309144735e-01f};
  static final float[] DENSE_DBETA = {
      -2.581967592e+00f, -2.991625786e+00f, -3.281821251e+00f, -3.435496569e+00f};
  static final float[] DENSE_RUNNING_MEAN = {
      8.316740394e-02f, 1.438394934e-01f, 1.847158521e-01f, 1.977718621e-01f};
  static final float[] DENSE_RUNNING_VAR = {
      3.838291168e+00f, 4.169711590e+00f, 4.253525257e+00f, 4.157892227e+00f};
  static final float[] DENSE_EVAL_OUT = {
      1.364892244e+00f, 2.935038567e+00f, 3.993269205e+00f, 2.963322163e+00f, 3.944033623e+00f,
      5.598806381e+00f, 4.816524982e+00f, 2.137281656e+00f, 1.457873464e+00f, -1.551602036e-01f,
      -2.276796579e+00f, -2.286078930e+00f, -3.132807732e+00f, -5.257458210e+00f, -4.645697594e+00f,
      -1.730104089e+00f, -1.750115305e-01f, 2.309243202e+00f, 5.152622223e+00f, 4.628392220e+00f,
      6.749231339e+00f, 1.067531776e+01f, 1.012613678e+01f, 5.026047230e+00f};
  static final float[] PLANES_TRAIN_OUT = {
      -1.064943969e-01f, 1.708974391e-01f, 4.462386668e-01f, 6.709765792e-01f, 7.988573909e-01f,
      7.943301797e-01f, 6.398277283e-01f, 3.406045139e-01f, -7.385535538e-02f, 2.079382181e+00f,
      1.517645001e+00f, 1.045037508e+00f, 7.418624759e-01f, 6.696445942e-01f, 8.600295782e-01f,
      1.307541847e+00f, 1.967577934e+00f, 2.760283709e+00f, 7.188611031e-01f, 1.336915493e+00f,
      1.783561230e+00f, 1.982445478e+00f, 1.888385296e+00f, 1.495956182e+00f, 8.426828980e-01f,
      6.070257165e-03f, -9.054094553e-01f, 6.461928487e-01f, -1.628568619e-01f, -6.386439800e-01f,
      -6.962292194e-01f, -3.059498668e-01f, 4.996072352e-01f, 1.627277136e+00f, 2.933779001e+00f,
      4.243843079e+00f, 2.238209248e+00f, 2.901648283e+00f, 3.165674925e+00f, 2.976269960e+00f,
      2.340938330e+00f, 1.330149174e+00f, 6.989782304e-02f, -1.273883700e+00f, -2.517157316e+00f,
      -1.380347490e+00f, -2.022142887e+00f, -2.058086872e+00f, -1.461448669e+00f, -2.928016186e-01f,
      1.305443048e+00f, 3.126179695e+00f, 4.924391270e+00f, 6.450120449e+00f};
  static final float[] PLANES_DX = {
      3.850991726e-01f, 4.195319414e-01f, 4.496651590e-01f, 4.743534029e-01f, 4.925426841e-01f,
      5.030028224e-01f, 5.041162968e-01f, 4.937970638e-01f, 4.695928395e-01f, 7.797173411e-02f,
      4.800575227e-02f, -1.137285680e-02f, -1.051763222e-01f, -2.345143855e-01f, -3.954223692e-01f,
      -5.783223510e-01f, -7.682863474e-01f, -9.461626410e-01f, -4.707199931e-01f, -5.027769208e-01f,
      -4.851206839e-01f, -4.125743210e-01f, -2.845134735e-01f, -1.054608673e-01f, 1.148588657e-01f,
      3.620546162e-01f, 6.181724072e-01f, 6.921991110e-01f, 1.002184153e+00f, 1.230408192e+00f,
      1.353769064e+00f, 1.359220982e+00f, 1.245386958e+00f, 1.022790670e+00f, 7.126420140e-01f,
      3.443238735e-01f, 5.199097395e-01f, 2.434819788e-01f, -2.571087331e-02f, -2.707379758e-01f,
      -4.781946242e-01f, -6.390616298e-01f, -7.489475012e-01f, -8.077217937e-01f, -8.186386228e-01f,
      -1.112558246e+00f, -9.871472120e-01f, -8.688172102e-01f, -7.647732496e-01f, -6.739349961e-01f,
      -5.874480605e-01f, -4.906515181e-01f, -3.662302196e-01f, -1.980843246e-01f};
  static final float[] PLANES_DGAMMA = {
      1.125128841e+01f, 2.903725624e+01f};
  static final float[] PLANES_DBETA = {
      -1.873527908e+01f, -3.104297638e+00f};
  static final float[] PLANES_RUNNING_MEAN = {
      6.136741638e-01f, -7.575731874e-01f};
  static final float[] PLANES_RUNNING_VAR = {
      4.529998779e+00f, 7.333043098e+00f};
  static final float[] PLANES_EVAL_OUT = {
      1.004317403e+00f, 1.731714249e+00f, 2.453733921e+00f, 3.043057919e+00f, 3.378396273e+00f,
      3.366524696e+00f, 2.961377144e+00f, 2.176732540e+00f, 1.089905858e+00f, 8.275601268e-01f,
      -7.055446506e-01f, -1.995394588e+00f, -2.822826147e+00f, -3.019924641e+00f, -2.500322104e+00f,
      -1.278962374e+00f, 5.224216580e-01f, 2.685890436e+00f, 3.168624163e+00f, 4.789330959e+00f,
      5.960557938e+00f, 6.482086182e+00f, 6.235435009e+00f, 5.206379414e+00f, 3.493318796e+00f,
      1.299492598e+00f, -1.090655446e+00f, -3.083929539e+00f, -5.292004585e+00f, -6.590532780e+00f,
      -6.747695446e+00f, -5.682537079e+00f, -3.483994007e+00f, -4.063342512e-01f, 3.159396887e+00f,
      6.734851360e+00f, 7.152769089e+00f, 8.892486572e+00f, 9.584836006e+00f, 9.088165283e+00f,
      7.422152042e+00f, 4.771587849e+00f, 1.466865778e+00f, -2.056895256e+00f, -5.317097187e+00f,
      -8.614805222e+00f, -1.036640644e+01f, -1.046450520e+01f, -8.836148262e+00f, -5.646652699e+00f,
      -1.284690499e+00f, 3.684501410e+00f, 8.592217445e+00f, 1.275626850e+01f};

  static float[] values(int n, double a, double b) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (Math.sin(a * i + b) * (1 + 0.1 * i));
    }
    return v;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void denseRowsAsPyTorchsBatchNorm1d(Backend backend) {
    check(TrainingKernels.of(backend), Shape.features(4), 6, DENSE_TRAIN_OUT, DENSE_DX,
        DENSE_DGAMMA, DENSE_DBETA, DENSE_RUNNING_MEAN, DENSE_RUNNING_VAR, DENSE_EVAL_OUT);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void planesAsPyTorchsBatchNorm2d(Backend backend) {
    check(TrainingKernels.of(backend), Shape.planes(2, 3, 3), 3, PLANES_TRAIN_OUT, PLANES_DX,
        PLANES_DGAMMA, PLANES_DBETA, PLANES_RUNNING_MEAN, PLANES_RUNNING_VAR, PLANES_EVAL_OUT);
  }

  private static void check(TrainingKernels k, Shape shape, int n, float[] trainOut, float[] dx,
      float[] dGamma, float[] dBeta, float[] runningMean, float[] runningVar, float[] evalOut) {
    int c = shape instanceof Shape.Planes p ? p.channels() : shape.size();
    BatchNorm bn = new BatchNorm(shape, BatchNorm.Spec.of(c));
    bn.initialise(new Init.Normal(1), null);
    float[] gamma = values(c, 0.9, 0.3);
    for (int i = 0; i < c; i++) {
      bn.parameters().get(0).value().data()[i] = gamma[i] + 1;
    }
    System.arraycopy(values(c, 0.5, 1.1), 0, bn.parameters().get(1).value().data(), 0, c);
    int size = n * shape.size();
    float[] x = values(size, 0.37, 0.1);
    for (int i = 0; i < size; i++) {
      x[i] = x[i] * 3 + 0.5f;
    }
    float[] r = values(size, 0.23, 0.7);
    Layer.State state = bn.newState(n);
    Rows in = new Rows(shape.size()).floats(x, 0);
    float[] out = new float[size];
    bn.forward(k, state, in, n, out, new Pass().training(1, 0, 0, 0));
    assertClose(trainOut, out, "training output");
    float[] dIn = new float[size];
    bn.backward(k, state, in, out, r, n, dIn);
    assertClose(dx, dIn, "input gradient");
    assertClose(dGamma, state.gradient(0), "weight gradient");
    assertClose(dBeta, state.gradient(1), "bias gradient");

    float[] x2 = new float[size];
    for (int i = 0; i < size; i++) {
      x2[i] = x[i] * 0.5f - 1;
    }
    bn.forward(k, state, new Rows(shape.size()).floats(x2, 0), n, out,
        new Pass().training(1, 0, 1, 0));
    assertClose(runningMean, bn.buffers().get(0).value().toArray(), "running mean");
    assertClose(runningVar, bn.buffers().get(1).value().toArray(), "running variance");
    bn.forward(k, bn.newState(n), in, n, out, new Pass());
    assertClose(evalOut, out, "evaluation output");
  }

  static void assertClose(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 2e-6f * Math.max(1, Math.abs(want[i])), what + "[" + i + "]");
    }
  }

  /**
   * A minibatch of 7 rows in shards of 3, 3 and 1 that meet gives the outputs and gradients of
   * the whole batch in one workspace: the statistics are the batch's, not a shard's.
   */
  static List<Sequential> meetingNetworks() {
    return List.of(
        Sequential.builder(Shape.planes(2, 4, 4)).conv2d(3, 3, 1, 1).batchNorm().relu().flatten()
            .linear(5).batchNorm().tanh().linear(3).build(new Init.XavierUniform(), 4),
        // Two meetings inside each block, two blocks in a row, then one more.
        Sequential.builder(Shape.planes(2, 4, 4)).add(new Residual.Spec(2, 3, true, 2))
            .add(new Residual.Spec(3, 3, false, 1)).add(new GlobalAvgPool2d.Spec()).flatten()
            .batchNorm().linear(3).build(new Init.XavierUniform(), 5));
  }

  @ParameterizedTest
  @MethodSource("meetingNetworks")
  void shardsThatMeetNormaliseByTheWholeBatch(Sequential net) {
    TrainingKernels k = TrainingKernels.vector();
    assertTrue(net.meetings() == 2 || net.meetings() == 5, "meetings: " + net.meetings());
    int rows = 7;
    float[] x = values(rows * net.inputs(), 0.31, 0.2);
    float[] r = values(rows * net.outputs(), 0.17, 0.4);

    Sequential.Workspace whole = net.newWorkspace(rows);
    whole.pass().training(3, 0, 0, 0);
    net.forward(k, whole, new Rows(net.inputs()).floats(x, 0), rows);
    System.arraycopy(r, 0, whole.outputGradient(), 0, r.length);
    net.backward(k, whole, rows);

    int[] starts = {0, 3, 6, 7};
    Network.Workspace[] shards = new Network.Workspace[3];
    for (int s = 0; s < 3; s++) {
      shards[s] = net.newShardWorkspace(3);
      shards[s].pass().training(3, 0, 0, starts[s]);
    }
    for (int stage = 0; stage <= net.meetings(); stage++) {
      for (int s = 0; s < 3; s++) {
        net.forward(k, shards[s], new Rows(net.inputs()).floats(x, starts[s] * net.inputs()),
            starts[s + 1] - starts[s], stage);
      }
      if (stage < net.meetings()) {
        net.meetForward(k, stage, shards, 3);
      }
    }
    for (int s = 0; s < 3; s++) {
      int n = starts[s + 1] - starts[s];
      for (int i = 0; i < n * net.outputs(); i++) {
        assertEquals(whole.output()[starts[s] * net.outputs() + i], shards[s].output()[i], 1e-5f,
            "shard " + s + " output " + i);
      }
      System.arraycopy(r, starts[s] * net.outputs(), shards[s].outputGradient(), 0,
          n * net.outputs());
    }
    for (int stage = 0; stage <= net.meetings(); stage++) {
      for (int s = 0; s < 3; s++) {
        net.backward(k, shards[s], starts[s + 1] - starts[s], stage);
      }
      if (stage < net.meetings()) {
        net.meetBackward(k, stage, shards, 3);
      }
    }
    for (int p = 0; p < net.parameters().size(); p++) {
      float[] want = whole.gradient(p);
      float[] sum = new float[want.length];
      for (int s = 0; s < 3; s++) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += shards[s].gradient(p)[i];
        }
      }
      for (int i = 0; i < sum.length; i++) {
        assertEquals(want[i], sum[i], 2e-5f * Math.max(1, Math.abs(want[i])),
            net.parameters().get(p).name() + "[" + i + "]");
      }
    }
  }

  /**
   * Shards on other machines meet through stand-in workspaces here: each sends its part of a
   * meeting as numbers, the stand-ins meet, and each shard takes the outcome in place of the
   * meeting. Outputs, gradients and running statistics are the bits of shards that meet
   * directly.
   */
  @ParameterizedTest
  @MethodSource("meetingNetworks")
  void shardsMeetingThroughStandInsGiveTheSameBits(Sequential direct) {
    // A second copy (same seed): the meetings move each copy's running statistics.
    Sequential remote = meetingNetworks().stream()
        .filter(n -> n.meetings() == direct.meetings()).findFirst().orElseThrow();
    TrainingKernels k = TrainingKernels.vector();
    int rows = 7;
    float[] x = values(rows * direct.inputs(), 0.29, 0.3);
    float[] r = values(rows * direct.outputs(), 0.13, 0.5);
    int[] starts = {0, 3, 6, 7};
    float[][] a = stagedShards(direct, k, x, r, starts, false);
    float[][] b = stagedShards(remote, k, x, r, starts, true);
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], 0f, "result " + i);
    }
  }

  /**
   * Trains 7 rows in three shards that meet directly or through stand-ins; returns the shards'
   * outputs, then their gradients, then the running statistics.
   */
  private static float[][] stagedShards(Sequential net, TrainingKernels k, float[] x, float[] r,
      int[] starts, boolean standIns) {
    int m = net.meetings();
    Network.Workspace[] shards = new Network.Workspace[3];
    Network.Workspace[] stand = new Network.Workspace[3];
    for (int s = 0; s < 3; s++) {
      shards[s] = net.newWorkspace(3);
      shards[s].pass().training(3, 0, 0, starts[s]);
      stand[s] = net.newWorkspace(1);
    }
    for (int pass = 0; pass < 2; pass++) {
      boolean forward = pass == 0;
      for (int stage = 0; stage <= m; stage++) {
        for (int s = 0; s < 3; s++) {
          int n = starts[s + 1] - starts[s];
          if (forward) {
            net.forward(k, shards[s], new Rows(net.inputs()).floats(x, starts[s] * net.inputs()),
                n, stage);
          } else {
            net.backward(k, shards[s], n, stage);
          }
        }
        if (stage == m) {
          break;
        }
        Network.Workspace[] meeting = shards;
        if (standIns) {
          for (int s = 0; s < 3; s++) {
            net.setMeetingPart(stand[s], stage, forward,
                net.meetingPart(shards[s], stage, forward).clone());
          }
          meeting = stand;
        }
        if (forward) {
          net.meetForward(k, stage, meeting, 3);
        } else {
          net.meetBackward(k, stage, meeting, 3);
        }
        if (standIns) {
          double[] outcome = net.meetingOutcome(stand[0], stage, forward);
          for (int s = 0; s < 3; s++) {
            net.setMeetingOutcome(shards[s], stage, forward, outcome.clone());
          }
        }
      }
      if (forward) {
        for (int s = 0; s < 3; s++) {
          int n = starts[s + 1] - starts[s];
          System.arraycopy(r, starts[s] * net.outputs(), shards[s].outputGradient(), 0,
              n * net.outputs());
        }
      }
    }
    java.util.List<float[]> out = new java.util.ArrayList<>();
    for (int s = 0; s < 3; s++) {
      out.add(java.util.Arrays.copyOf(shards[s].output(),
          (starts[s + 1] - starts[s]) * net.outputs()));
      for (int p = 0; p < net.parameters().size(); p++) {
        out.add(shards[s].gradient(p).clone());
      }
    }
    for (StateTensor t : net.buffers()) {
      out.add(t.value().toArray());
    }
    return out.toArray(float[][]::new);
  }

  @Test
  void itsRunningStatisticsAreStateAndItsSpecIsChecked() {
    Sequential net = Sequential.builder(6).linear(4).batchNorm().relu().linear(2)
        .build(new Init.Normal(0.1), 1);
    assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias",
        "1.running_mean", "1.running_var"), net.state().stream().map(StateTensor::name).toList());
    assertArrayEquals(new float[] {1, 1, 1, 1}, net.buffers().get(1).value().toArray());
    assertEquals("6-4-4-2 (linear(6->4), batch-norm(4), relu, linear(4->2))", net.describe());
    var e = assertThrows(IllegalArgumentException.class,
        () -> Sequential.builder(Shape.planes(3, 2, 2)).add(BatchNorm.Spec.of(4)).build());
    assertTrue(e.getMessage().contains("batch-norm takes 4 channels but gets 3x2x2"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BatchNorm.Spec(4, 0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new BatchNorm.Spec(4, 1e-5, 1.5));
  }
}
