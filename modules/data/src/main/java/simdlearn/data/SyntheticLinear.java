package simdlearn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Synthetic linear-regression data as in d2l 3.3: {@code y = X w + b + noise} with
 * {@code X ~ N(0, 1)} and {@code noise ~ N(0, noiseStd^2)}, drawn from a seeded generator.
 */
public final class SyntheticLinear {
  /** d2l's true weights. */
  public static final float[] D2L_W = {2f, -3.4f};
  /** d2l's true bias. */
  public static final float D2L_B = 4.2f;
  /** d2l's example count. */
  public static final int D2L_EXAMPLES = 1000;
  /** d2l's noise standard deviation. */
  public static final float D2L_NOISE_STD = 0.01f;

  private SyntheticLinear() {}

  /** The classic case: w = [2, -3.4], b = 4.2, 1000 examples, noise std 0.01. */
  public static RegressionDataset d2l(long seed) {
    return generate(D2L_W, D2L_B, D2L_EXAMPLES, D2L_NOISE_STD, seed);
  }

  public static RegressionDataset generate(float[] w, float b, int examples, float noiseStd,
      long seed) {
    if (w.length == 0 || examples <= 0 || !(noiseStd >= 0) || !Float.isFinite(noiseStd)) {
      throw new IllegalArgumentException("need at least one weight, examples > 0 and a finite noise"
          + " std >= 0; got " + w.length + " weights, " + examples + " examples, std " + noiseStd);
    }
    SplittableRandom rng = dataRandom(seed);
    int d = w.length;
    float[] x = new float[examples * d];
    float[] y = new float[examples];
    for (int i = 0; i < examples; i++) {
      double s = b;
      for (int j = 0; j < d; j++) {
        float v = (float) rng.nextGaussian();
        x[i * d + j] = v;
        s += (double) v * w[j];
      }
      y[i] = (float) (s + noiseStd * rng.nextGaussian());
    }
    return new RegressionDataset("synthetic-linear(w=" + describe(w) + ", b=" + b + ")",
        examples, d, x, y);
  }

  /** {@code [2.0, -3.4]}, or {@code [0.01 x 200]} when every weight is the same. */
  private static String describe(float[] w) {
    for (float v : w) {
      if (v != w[0]) {
        return Arrays.toString(w);
      }
    }
    return w.length <= 4 ? Arrays.toString(w) : "[" + w[0] + " x " + w.length + "]";
  }

  /**
   * The generator synthetic data is drawn from for {@code seed}: salted, so that it never
   * coincides with the generator a model's weights are drawn from with the same seed (with one
   * stream, the first training example of d2l 4.5 was its initial weight vector, which SGD can
   * then remove entirely, and the overfitting it demonstrates disappeared).
   */
  public static SplittableRandom dataRandom(long seed) {
    return new SplittableRandom(seed ^ 0xD1B54A32D192ED03L);
  }
}
