package simdlearn.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Two Gaussian clouds in the plane for a linear classifier: class 0 around (-1, -1), class 1
 * around (1, 1), both with standard deviation 1 in each coordinate, so a line separates most but
 * not all points (the Bayes error is about 8%). Labels alternate, features are drawn from one
 * seeded generator.
 */
public final class SyntheticClouds {
  public static final int TRAIN = 1000;
  public static final int TEST = 1000;
  public static final List<String> CLASS_NAMES = List.of("class 0", "class 1");

  private SyntheticClouds() {}

  /** The train and test sets. */
  public record Split(PointDataset train, PointDataset test) {}

  public static Split generate(long seed) {
    SplittableRandom rng = SyntheticLinear.dataRandom(seed);
    return new Split(cloud("synthetic-2d/train", TRAIN, rng), cloud("synthetic-2d/test", TEST, rng));
  }

  private static PointDataset cloud(String name, int n, SplittableRandom rng) {
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      float centre = y[i] == 0 ? -1f : 1f;
      x[2 * i] = centre + (float) rng.nextGaussian();
      x[2 * i + 1] = centre + (float) rng.nextGaussian();
    }
    return new PointDataset(name, n, 2, x, y, CLASS_NAMES);
  }
}
