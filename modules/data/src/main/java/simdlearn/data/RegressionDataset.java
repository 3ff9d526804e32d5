package simdlearn.data;

/** Float features with one float target per example, held row-major in memory. */
public final class RegressionDataset implements Dataset {
  private final String name;
  private final int count;
  private final int features;
  private final float[] x;
  private final float[] y;

  public RegressionDataset(String name, int count, int features, float[] x, float[] y) {
    if (count < 0 || features <= 0 || x.length != (long) count * features || y.length != count) {
      throw new IllegalArgumentException(name + ": " + x.length + " feature values and " + y.length
          + " targets do not make " + count + " examples of " + features + " features");
    }
    this.name = name;
    this.count = count;
    this.features = features;
    this.x = x;
    this.y = y;
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

  public float feature(int example, int j) {
    return x[example * features + j];
  }

  public float target(int example) {
    return y[example];
  }

  @Override
  public void copyFeatures(int[] order, int from, int count, float[] dst, int dstOff) {
    for (int r = 0; r < count; r++) {
      System.arraycopy(x, order[from + r] * features, dst, dstOff + r * features, features);
    }
  }

  @Override
  public void copyTargets(int[] order, int from, int count, Batch batch, int row) {
    float[] out = batch.targets();
    for (int r = 0; r < count; r++) {
      out[row + r] = y[order[from + r]];
    }
  }
}
