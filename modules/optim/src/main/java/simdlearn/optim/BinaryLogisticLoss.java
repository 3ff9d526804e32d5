package simdlearn.optim;

import simdlearn.kernel.FloatMatrix;

/**
 * Binary logistic (sigmoid cross-entropy) loss on one logit per example ({@code rows x 1}) with
 * labels 0 or 1: {@code loss = log(1 + exp(z)) - y z}, computed as
 * {@code max(z, 0) - y z + log1p(exp(-|z|))} so no exp overflows; gradient {@code sigmoid(z) - y}.
 */
public final class BinaryLogisticLoss implements ClassificationLoss {
  public BinaryLogisticLoss() {}

  @Override
  public String name() {
    return "logistic";
  }

  @Override
  public double lossAndGradient(FloatMatrix logits, int[] labels, float[] lossOut,
      FloatMatrix grad, float gradScale) {
    if (logits.cols() != 1) {
      throw new IllegalArgumentException(
          "logistic loss takes one logit per example, got " + logits.cols() + " columns");
    }
    ClassificationLoss.check(logits, labels, lossOut, grad, 2);
    double total = 0;
    for (int i = 0; i < logits.rows(); i++) {
      double z = logits.get(i, 0);
      int y = labels[i];
      double loss = Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
      double sigmoid = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      lossOut[i] = (float) loss;
      total += loss;
      grad.set(i, 0, (float) (gradScale * (sigmoid - y)));
    }
    return total;
  }

  @Override
  public String toString() {
    return "BinaryLogisticLoss";
  }
}
