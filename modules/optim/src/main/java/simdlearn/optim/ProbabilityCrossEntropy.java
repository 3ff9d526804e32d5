package simdlearn.optim;

import simdlearn.kernel.FloatMatrix;

/**
 * The textbook cross-entropy on probabilities, {@code loss_i = -log(p_i[y_i])}, as d2l 3.6 first
 * writes it, for teaching and comparison with the fused {@link SoftmaxCrossEntropy}. The
 * probability is clamped below at {@link #MIN_PROBABILITY} so an underflowed 0 gives a large finite
 * loss (about 87.3) instead of infinity. Gradient with respect to the probabilities:
 * {@code -1 / p_i[y_i]} at the true class, 0 elsewhere (0 where the clamp is active).
 */
public final class ProbabilityCrossEntropy implements ClassificationLoss {
  /** The smallest normal float: {@code -log} of it is about 87.34. */
  public static final float MIN_PROBABILITY = Float.MIN_NORMAL;

  public ProbabilityCrossEntropy() {}

  @Override
  public String name() {
    return "cross-entropy";
  }

  @Override
  public double lossAndGradient(FloatMatrix probs, int[] labels, float[] lossOut, FloatMatrix grad,
      float gradScale) {
    ClassificationLoss.check(probs, labels, lossOut, grad, probs.cols());
    grad.fill(0f);
    double total = 0;
    for (int i = 0; i < probs.rows(); i++) {
      float p = probs.get(i, labels[i]);
      boolean clamped = !(p > MIN_PROBABILITY); // NaN also clamps
      float safe = clamped ? MIN_PROBABILITY : p;
      lossOut[i] = (float) -Math.log(safe);
      total += lossOut[i];
      grad.set(i, labels[i], clamped ? 0f : -gradScale / p);
    }
    return total;
  }

  @Override
  public String toString() {
    return "ProbabilityCrossEntropy[minP=" + MIN_PROBABILITY + "]";
  }
}
