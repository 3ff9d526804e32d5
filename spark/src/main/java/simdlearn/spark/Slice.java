package simdlearn.spark;

import java.io.Serializable;
import java.util.Map;
import simdlearn.data.Batch;
import simdlearn.data.Dataset;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;

/**
 * One partition's rows of the training set, as they travel to the executor that caches them:
 * images as their bytes and labels (read there in place, as on one machine), any other data as
 * float features and its labels or targets. {@link #dataset()} gives the rows back as a
 * {@link Dataset} whose row i is the partition's i-th.
 */
record Slice(String name, Images images, float[] features, int featureCount, int[] labels,
    float[] targets) implements Serializable {

  /** An image slice: the dataset's spec (class names, file names) and the rows' bytes. */
  record Images(String spec, java.util.List<String> classNames,
      java.util.List<String> classNamesZh, int height, int width, byte[] pixels, byte[] labels)
      implements Serializable {}

  /** Rows {@code from .. to} of {@code data}. */
  static Slice of(Dataset data, int from, int to) {
    int n = to - from;
    if (data instanceof ImageDataset d) {
      int size = d.height() * d.width();
      byte[] pixels = java.util.Arrays.copyOfRange(d.pixelBytes(), from * size, to * size);
      byte[] labels = new byte[n];
      for (int i = 0; i < n; i++) {
        labels[i] = (byte) d.label(from + i);
      }
      DatasetSpec s = d.spec();
      return new Slice(d.name(), new Images(s.name(), s.classNames(), s.classNamesZh(),
          d.height(), d.width(), pixels, labels), null, 0, null, null);
    }
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = from + i;
    }
    float[] x = new float[n * data.features()];
    data.copyFeatures(rows, 0, n, x, 0);
    Batch b = new Batch(n, 0);
    data.copyTargets(rows, 0, n, b, 0);
    return new Slice(data.name(), null, x, data.features(),
        data.labelled() ? b.labels().clone() : null,
        data.labelled() ? null : b.targets().clone());
  }

  int size() {
    return images != null ? images.labels.length
        : labels != null ? labels.length : targets.length;
  }

  /** The rows as a dataset (built where the slice is cached). */
  Dataset dataset() {
    if (images != null) {
      DatasetSpec spec = new DatasetSpec(images.spec, images.classNames, images.classNamesZh,
          "", "", "", "");
      return new ImageDataset(name, spec, images.labels.length, images.height, images.width,
          images.pixels, images.labels, Map.of());
    }
    return new Rows(this);
  }

  /** Rows of float features. */
  private record Rows(Slice s) implements Dataset {
    @Override
    public String name() {
      return s.name;
    }

    @Override
    public int size() {
      return s.size();
    }

    @Override
    public int features() {
      return s.featureCount;
    }

    @Override
    public void copyFeatures(int[] order, int from, int count, float[] dst, int dstOff) {
      int f = s.featureCount;
      for (int i = 0; i < count; i++) {
        System.arraycopy(s.features, order[from + i] * f, dst, dstOff + i * f, f);
      }
    }

    @Override
    public void copyTargets(int[] order, int from, int count, Batch batch, int row) {
      for (int i = 0; i < count; i++) {
        int r = order[from + i];
        if (s.labels != null) {
          batch.labels()[row + i] = s.labels[r];
        } else {
          batch.targets()[row + i] = s.targets[r];
        }
      }
    }

    @Override
    public boolean labelled() {
      return s.labels != null;
    }
  }
}
