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
    SplittableRandom rng = new SplittableRandom(seed);
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
    return new RegressionDataset("synthetic-linear(w=" + Arrays.toString(w) + ", b=" + b + ")",
        examples, d, x, y);
  }
}
