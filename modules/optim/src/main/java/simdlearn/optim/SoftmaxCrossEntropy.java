package simdlearn.optim;

import java.util.Objects;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;

/**
 * Softmax cross-entropy fused from logits: {@code loss_i = logsumexp(z_i) - z_i[y_i]} and
 * {@code d loss_i / d z_i = softmax(z_i) - onehot(y_i)}.
 *
 * <p>Never forms {@code log(softmax)}: the log-sum-exp is taken around the row maximum, so logits
 * of 1000, -1000 or 1e30 give finite losses and gradients (the two pitfalls d2l 3.7 warns about:
 * exp overflowing in softmax, and log of an underflowed 0 in cross-entropy).
 */
public final class SoftmaxCrossEntropy implements ClassificationLoss {
  /** Below this true-class probability the loss is taken as lse - z_y instead of -log(p_y). */
  static final float MIN_DIRECT_PROBABILITY = 1e-20f;
  private final Kernels kernels;

  public SoftmaxCrossEntropy(Kernels kernels) {
    this.kernels = Objects.requireNonNull(kernels, "kernels");
  }

  @Override
  public String name() {
    return "softmax-cross-entropy";
  }

  @Override
  public double lossAndGradient(FloatMatrix logits, int[] labels, float[] lossOut,
      FloatMatrix grad, float gradScale) {
    ClassificationLoss.check(logits, labels, lossOut, grad, logits.cols());
    int rows = logits.rows();
    int n = logits.cols();
    float[] z = logits.data();
    int zo = logits.offset();
    float[] g = grad.data();
    int go = grad.offset();
    kernels.softmaxRows(rows, n, z, zo, g, go, null, 0);
    double total = 0;
    for (int i = 0; i < rows; i++) {
      int y = go + i * n + labels[i];
      float py = g[y];
      // -log(p_y) is accurate to ~1e-7 while p_y is representable, and costs one log per row.
      // Once p_y underflows (rare: a confident wrong answer) the only finite answer is
      // logsumexp(z_i) - z_y; by then the loss is at least 46, so its rounding is relatively tiny.
      float loss;
      if (py >= MIN_DIRECT_PROBABILITY) {
        loss = (float) -Math.log(py);
      } else {
        kernels.logSumExpRows(1, n, z, zo + i * n, lossOut, i);
        loss = lossOut[i] - z[zo + i * n + labels[i]];
      }
      lossOut[i] = loss;
      total += loss;
      g[y] = py - 1f;
    }
    if (gradScale != 1f) {
      kernels.scale(rows * n, gradScale, g, go);
    }
    return total;
  }

  @Override
  public String toString() {
    return "SoftmaxCrossEntropy[" + kernels.backend().id() + "]";
  }
}
