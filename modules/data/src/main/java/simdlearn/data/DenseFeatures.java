package simdlearn.data;

/**
 * What {@link PointDataset} and {@link RegressionDataset} share: {@code count} examples of
 * {@code features} floats, row-major in one array, copied out by row index.
 */
abstract class DenseFeatures implements Dataset {
  private final String name;
  private final int count;
  private final int features;
  private final float[] x;

  /** The subclass has checked that {@code x} holds {@code count x features} values. */
  DenseFeatures(String name, int count, int features, float[] x) {
    this.name = name;
    this.count = count;
    this.features = features;
    this.x = x;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public int features() {
    return features;
  }

  /** Feature {@code j} of example {@code example}. */
  public float feature(int example, int j) {
    return x[example * features + j];
  }

  @Override
  public void copyFeatures(int[] order, int from, int count, float[] dst, int dstOff) {
    for (int r = 0; r < count; r++) {
      System.arraycopy(x, order[from + r] * features, dst, dstOff + r * features, features);
    }
  }
}
