package simdlearn.optim;

import simdlearn.kernel.FloatMatrix;

/** What the two losses on one logit per example share: their checks and a stable sigmoid. */
final class BinaryLogits {
  private BinaryLogits() {}

  /** One logit per row, labels 0 or 1, buffers that fit; {@code loss} names the loss in errors. */
  static void check(String loss, FloatMatrix logits, int[] labels, float[] lossOut,
      FloatMatrix grad) {
    if (logits.cols() != 1) {
      throw new IllegalArgumentException(
          loss + " takes one logit per example, got " + logits.cols() + " columns");
    }
    ClassificationLoss.check(logits, labels, lossOut, grad, 2);
  }

  /** {@code 1 / (1 + exp(-z))}, written so that no exp overflows. */
  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
