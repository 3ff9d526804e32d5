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
    BinaryLogits.check("logistic loss", logits, labels, lossOut, grad);
    double total = 0;
    for (int i = 0; i < logits.rows(); i++) {
      double z = logits.get(i, 0);
      int y = labels[i];
      double loss = Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
      double sigmoid = BinaryLogits.sigmoid(z);
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
