package simdlearn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * d2l 4.4's polynomial regression data: {@code x ~ N(0, 1)}, features {@code x^i / i!} for
 * {@code i = 0 .. 19} (the factorial keeps large powers from dominating), labels
 * {@code sum_i w_i x^i / i! + noise} with {@code w = [5, 1.2, -3.4, 5.6, 0, ..., 0]} and noise
 * {@code N(0, 0.1^2)}; 100 training and 100 test examples. A model of degree d sees the first
 * {@code d + 1} features: degree 3 is the truth, 1 underfits, 19 has room to overfit.
 */
public final class SyntheticPolynomial {
  /** Features generated; degrees up to {@code MAX_DEGREE - 1} can be fitted. */
  public static final int MAX_DEGREE = 20;
  /** The generating weights of the first four features; the others are 0. */
  public static final float[] TRUE_W = {5f, 1.2f, -3.4f, 5.6f};
  public static final int TRAIN = 100;
  public static final int TEST = 100;
  public static final float NOISE_STD = 0.1f;

  private SyntheticPolynomial() {}

  /** The train and test halves. */
  public record Split(RegressionDataset train, RegressionDataset test) {}

  /**
   * The data for a polynomial of {@code degree} (0 to 19): the first {@code degree + 1} features
   * of one seeded draw (every degree sees the same points and labels).
   */
  public static Split generate(int degree, long seed) {
    if (degree < 0 || degree >= MAX_DEGREE) {
      throw new IllegalArgumentException("degree must be between 0 and " + (MAX_DEGREE - 1)
          + ", got " + degree);
    }
    SplittableRandom rng = SyntheticLinear.dataRandom(seed);
    int n = TRAIN + TEST;
    int d = degree + 1;
    float[] x = new float[n * d];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double v = rng.nextGaussian();
      double power = 1;
      double factorial = 1;
      double label = 0;
      for (int j = 0; j < MAX_DEGREE; j++) {
        double feature = power / factorial;
        if (j < d) {
          x[i * d + j] = (float) feature;
        }
        if (j < TRUE_W.length) {
          label += TRUE_W[j] * feature;
        }
        power *= v;
        factorial *= j + 1;
      }
      y[i] = (float) (label + NOISE_STD * rng.nextGaussian());
    }
    String name = "synthetic-polynomial(degree " + degree + ")";
    return new Split(
        new RegressionDataset(name + "/train", TRAIN, d, Arrays.copyOf(x, TRAIN * d),
            Arrays.copyOf(y, TRAIN)),
        new RegressionDataset(name + "/test", TEST, d, Arrays.copyOfRange(x, TRAIN * d, n * d),
            Arrays.copyOfRange(y, TRAIN, n)));
  }

  /** The true weights of the first {@code d} features. */
  public static float[] trueWeights(int d) {
    return Arrays.copyOf(TRUE_W, d);
  }
}
