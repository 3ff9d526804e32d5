package simdlearn.data;

/** Float features with one float target per example, held row-major in memory. */
public final class RegressionDataset extends DenseFeatures {
  private final float[] y;

  public RegressionDataset(String name, int count, int features, float[] x, float[] y) {
    if (count < 0 || features <= 0 || x.length != (long) count * features || y.length != count) {
      throw new IllegalArgumentException(name + ": " + x.length + " feature values and " + y.length
          + " targets do not make " + count + " examples of " + features + " features");
    }
    super(name, count, features, x);
    this.y = y;
  }

  public float target(int example) {
    return y[example];
  }

  @Override
  public void copyTargets(int[] order, int from, int count, Batch batch, int row) {
    float[] out = batch.targets();
    for (int r = 0; r < count; r++) {
      out[row + r] = y[order[from + r]];
    }
  }
}
