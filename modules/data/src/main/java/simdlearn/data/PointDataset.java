package simdlearn.data;

import java.util.List;

/** Float features with a class label per example, held row-major in memory (2-D points, say). */
public final class PointDataset extends DenseFeatures {
  private final int[] labels;
  private final List<String> classNames;

  public PointDataset(String name, int count, int features, float[] x, int[] labels,
      List<String> classNames) {
    if (count < 0 || features <= 0 || x.length != (long) count * features
        || labels.length != count) {
      throw new IllegalArgumentException(name + ": " + x.length + " feature values and "
          + labels.length + " labels do not make " + count + " examples of " + features
          + " features");
    }
    for (int i = 0; i < count; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
            + " is outside 0.." + (classNames.size() - 1));
      }
    }
    super(name, count, features, x);
    this.labels = labels;
    this.classNames = List.copyOf(classNames);
  }

  @Override
  public boolean labelled() {
    return true;
  }

  public List<String> classNames() {
    return classNames;
  }

  public int label(int example) {
    return labels[example];
  }

  @Override
  public void copyTargets(int[] order, int from, int count, Batch batch, int row) {
    int[] out = batch.labels();
    for (int r = 0; r < count; r++) {
      out[row + r] = labels[order[from + r]];
    }
  }
}
