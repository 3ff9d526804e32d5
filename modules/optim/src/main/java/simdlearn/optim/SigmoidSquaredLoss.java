package simdlearn.optim;

/**
 * The squared error of a sigmoid output against labels 0 or 1, on one logit per example
 * ({@code rows x 1}): {@code loss = 1/2 (y - sigmoid(z))^2}, so that the mean over n examples is
 * the linear-classification material's {@code J = 1/(2n) sum (y - sigmoid(z))^2}; gradient
 * {@code (sigmoid(z) - y) sigmoid(z) (1 - sigmoid(z))}. Unlike the logistic loss it saturates: a
 * confidently wrong example gets almost no gradient, which is why the logistic loss trains faster.
 */
public final class SigmoidSquaredLoss implements ClassificationLoss {
  public SigmoidSquaredLoss() {}

  @Override
  public String name() {
    return "squared";
  }

  @Override
  public double lossAndGradient(simdlearn.kernel.FloatMatrix logits, int[] labels,
      float[] lossOut, simdlearn.kernel.FloatMatrix grad, float gradScale) {
    BinaryLogits.check("sigmoid squared loss", logits, labels, lossOut, grad);
    double total = 0;
    for (int i = 0; i < logits.rows(); i++) {
      double z = logits.get(i, 0);
      double s = BinaryLogits.sigmoid(z);
      double r = s - labels[i];
      double loss = 0.5 * r * r;
      lossOut[i] = (float) loss;
      total += loss;
      grad.set(i, 0, (float) (gradScale * r * s * (1 - s)));
    }
    return total;
  }

  @Override
  public String toString() {
    return "SigmoidSquaredLoss[1/2 (y - sigmoid(z))^2]";
  }
}
