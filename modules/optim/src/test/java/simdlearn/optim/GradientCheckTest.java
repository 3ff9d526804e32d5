package simdlearn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import simdlearn.kernel.Backend;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;

/**
 * Every loss's analytic gradient (in float) against central finite differences of an independent
 * double-precision implementation of the same loss, on random inputs and on extreme logits.
 */
class GradientCheckTest {
  static final Random R = new Random(11);

  /** Central difference of f at x with a step relative to |x|. */
  static double numericDerivative(DoubleUnaryOperator f, double x) {
    double h = 1e-4 * Math.max(1, Math.abs(x));
    return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
  }

  static void assertGradient(double numeric, float analytic, String what) {
    double tol = 2e-4 + 2e-3 * Math.abs(numeric);
    assertTrue(Math.abs(numeric - analytic) <= tol,
        () -> what + ": finite difference " + numeric + " vs analytic " + analytic);
  }

  /** Double-precision reference: log-sum-exp(z) - z[y], both around the max so 1e30 cancels. */
  static double softmaxCe(double[] z, int y) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double s = 0;
    for (double v : z) {
      s += Math.exp(v - max);
    }
    return Math.log(s) - (z[y] - max);
  }

  static float[][] logitRows() {
    float[][] rows = new float[12][];
    for (int i = 0; i < 8; i++) {
      rows[i] = new float[10];
      for (int j = 0; j < 10; j++) {
        rows[i][j] = (float) (R.nextGaussian() * 3);
      }
    }
    rows[8] = new float[] {1000, 0, -1000, 5, 5, 5, 5, 5, 5, 5};
    rows[9] = new float[] {-1000, -1000, -1000, -1000, -1000, -999, -1000, -1000, -1000, -1000};
    rows[10] = new float[] {(float) Math.exp(50), 0, 1, 2, 3, 4, 5, 6, 7, -(float) Math.exp(50)};
    rows[11] = new float[] {1e30f, 1e30f, -1e30f, 0, 0, 0, 0, 0, 0, 0};
    return rows;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void softmaxCrossEntropy(Backend backend) {
    float[][] rows = logitRows();
    int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 2, 5, 9, 1};
    FloatMatrix z = FloatMatrix.of(rows);
    FloatMatrix g = FloatMatrix.zeros(z.rows(), z.cols());
    float[] loss = new float[z.rows()];
    double total = new SoftmaxCrossEntropy(Kernels.of(backend)).lossAndGradient(z, labels, loss, g, 1f);
    double sum = 0;
    for (int i = 0; i < z.rows(); i++) {
      double[] zd = new double[10];
      for (int j = 0; j < 10; j++) {
        zd[j] = rows[i][j];
      }
      double ref = softmaxCe(zd, labels[i]);
      assertTrue(Float.isFinite(loss[i]), "finite loss in row " + i);
      assertEquals(ref, loss[i], 1e-5 * Math.max(1, Math.abs(ref)), "loss row " + i);
      sum += loss[i];
      for (int j = 0; j < 10; j++) {
        final int row = i;
        final int col = j;
        double num = numericDerivative(x -> {
          double[] t = zd.clone();
          t[col] = x;
          return softmaxCe(t, labels[row]);
        }, zd[j]);
        assertTrue(Float.isFinite(g.get(i, j)), "finite gradient");
        assertGradient(num, g.get(i, j), "softmax CE d/dz[" + i + "][" + j + "]");
      }
    }
    assertEquals(sum, total, 1e-6 * Math.abs(sum));
    // Known values: equal logits give log(10); the 1000/-1000 row with label 2 costs 2000.
    assertEquals(2000f, loss[8], 0f);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void gradScaleGivesTheMeanLossGradient(Backend backend) {
    FloatMatrix z = FloatMatrix.of(logitRows());
    int[] labels = new int[12];
    FloatMatrix gSum = FloatMatrix.zeros(12, 10);
    FloatMatrix gMean = FloatMatrix.zeros(12, 10);
    SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(Kernels.of(backend));
    ce.lossAndGradient(z, labels, new float[12], gSum, 1f);
    ce.lossAndGradient(z, labels, new float[12], gMean, 1f / 12);
    for (int i = 0; i < gSum.size(); i++) {
      assertEquals(gSum.data()[i] / 12, gMean.data()[i], 1e-7f);
    }
  }

  @Test
  void probabilityCrossEntropyIsGuardedAndCorrect() {
    FloatMatrix p = FloatMatrix.of(new float[] {0.1f, 0.6f, 0.3f}, new float[] {0.5f, 0.25f, 0.25f},
        new float[] {1f, 0f, 0f});
    int[] labels = {1, 2, 1};
    FloatMatrix g = FloatMatrix.zeros(3, 3);
    float[] loss = new float[3];
    new ProbabilityCrossEntropy().lossAndGradient(p, labels, loss, g, 1f);
    for (int i = 0; i < 2; i++) {
      double pi = p.get(i, labels[i]);
      assertEquals(-Math.log(pi), loss[i], 1e-6);
      assertGradient(numericDerivative(x -> -Math.log(x), pi), g.get(i, labels[i]), "CE on p");
      for (int j = 0; j < 3; j++) {
        if (j != labels[i]) {
          assertEquals(0f, g.get(i, j), "no gradient off the true class");
        }
      }
    }
    assertTrue(Float.isFinite(loss[2]) && loss[2] > 80, "log(0) guarded: " + loss[2]);
    assertEquals(0f, g.get(2, 1));
  }

  /** Losses of one logit per row {@code zs[i]}, every label {@code y}; gradients into g. */
  static float[] binaryLoss(ClassificationLoss l, float[] zs, int y, FloatMatrix g) {
    FloatMatrix z = FloatMatrix.zeros(zs.length, 1);
    for (int i = 0; i < zs.length; i++) {
      z.set(i, 0, zs[i]);
    }
    int[] labels = new int[zs.length];
    java.util.Arrays.fill(labels, y);
    float[] loss = new float[zs.length];
    l.lossAndGradient(z, labels, loss, g, 1f);
    return loss;
  }

  @Test
  void logisticLoss() {
    float[] zs = {-1000, -30, -2.5f, -0.1f, 0, 0.7f, 3, 30, 1000};
    for (int y = 0; y <= 1; y++) {
      FloatMatrix g = FloatMatrix.zeros(zs.length, 1);
      float[] loss = binaryLoss(new BinaryLogisticLoss(), zs, y, g);
      final int label = y;
      DoubleUnaryOperator ref = x -> Math.max(x, 0) - label * x + Math.log1p(Math.exp(-Math.abs(x)));
      for (int i = 0; i < zs.length; i++) {
        assertTrue(Float.isFinite(loss[i]));
        assertEquals(ref.applyAsDouble(zs[i]), loss[i], 1e-5 * Math.max(1, Math.abs(loss[i])));
        assertGradient(numericDerivative(ref, zs[i]), g.get(i, 0), "logistic z=" + zs[i]);
      }
    }
  }

  @Test
  void sigmoidSquaredLoss() {
    float[] zs = {-40, -2.5f, -0.1f, 0, 0.7f, 3, 40};
    for (int y = 0; y <= 1; y++) {
      FloatMatrix g = FloatMatrix.zeros(zs.length, 1);
      float[] loss = binaryLoss(new SigmoidSquaredLoss(), zs, y, g);
      final int label = y;
      DoubleUnaryOperator ref = x -> 0.5 * Math.pow(label - 1 / (1 + Math.exp(-x)), 2);
      for (int i = 0; i < zs.length; i++) {
        assertEquals(ref.applyAsDouble(zs[i]), loss[i], 1e-6);
        assertGradient(numericDerivative(ref, zs[i]), g.get(i, 0), "sigmoid squared z=" + zs[i]);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new SigmoidSquaredLoss().lossAndGradient(
        FloatMatrix.zeros(1, 2), new int[] {0}, new float[1], FloatMatrix.zeros(1, 2), 1f));
  }

  @Test
  void regressionLosses() {
    RegressionLoss[] losses = {RegressionLoss.squared(), RegressionLoss.meanSquared(),
        RegressionLoss.absolute(), RegressionLoss.huber(1.0), RegressionLoss.huber(0.3)};
    DoubleUnaryOperator[] refs = {r -> 0.5 * r * r, r -> r * r, Math::abs,
        r -> Math.abs(r) <= 1 ? 0.5 * r * r : (Math.abs(r) - 0.5),
        r -> Math.abs(r) <= 0.3 ? 0.5 * r * r : 0.3 * (Math.abs(r) - 0.15)};
    for (int l = 0; l < losses.length; l++) {
      int n = 40;
      FloatMatrix pred = FloatMatrix.zeros(n / 2, 2);
      float[] target = new float[n];
      for (int i = 0; i < n; i++) {
        float t = (float) R.nextGaussian();
        float r;
        do {
          r = (float) (R.nextGaussian() * 2); // stay off the kinks at 0 and ±delta
        } while (Math.abs(r) < 0.01 || Math.abs(Math.abs(r) - 1) < 0.01 || Math.abs(Math.abs(r) - 0.3) < 0.01);
        target[i] = t;
        pred.data()[i] = t + r;
      }
      FloatMatrix g = FloatMatrix.zeros(n / 2, 2);
      float[] loss = new float[n / 2];
      double total = losses[l].lossAndGradient(pred, target, 0, loss, g, 1f);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        final int k = i;
        double r = (double) pred.data()[i] - target[i];
        sum += refs[l].applyAsDouble(r);
        final DoubleUnaryOperator f = refs[l];
        double num = numericDerivative(x -> f.applyAsDouble(x - target[k]), pred.data()[k]);
        assertGradient(num, g.data()[i], losses[l] + " element " + i);
      }
      assertEquals(sum, total, 1e-4 * Math.max(1, sum), losses[l].toString());
    }
  }
}
