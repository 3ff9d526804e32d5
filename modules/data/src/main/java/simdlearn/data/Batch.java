package simdlearn.data;

import simdlearn.kernel.FloatMatrix;

/**
 * A reusable minibatch buffer: room for {@code capacity} examples, of which the first
 * {@link #size()} are valid. Features are a {@code capacity x features} matrix; classification
 * datasets fill {@link #labels()}, regression datasets {@link #targets()}. Filling a batch never
 * allocates, so an epoch's loop creates no garbage.
 */
public final class Batch {
  private final FloatMatrix features;
  private final int[] labels;
  private final float[] targets;
  private final int[] indices;
  private int size;

  public Batch(int capacity, int features) {
    if (capacity <= 0 || features < 0) {
      throw new IllegalArgumentException("batch capacity must be > 0 and features >= 0, got "
          + capacity + " and " + features);
    }
    this.features = FloatMatrix.zeros(capacity, features);
    this.labels = new int[capacity];
    this.targets = new float[capacity];
    this.indices = new int[capacity];
  }

  public int capacity() {
    return labels.length;
  }

  /** Number of valid rows (the last batch of an epoch may be partial). */
  public int size() {
    return size;
  }

  void setSize(int size) {
    this.size = size;
  }

  /**
   * {@code capacity x features}; rows {@code [0, size)} hold this batch. A batch of 0 features
   * carries labels or targets only (for data read in place, such as pixels).
   */
  public FloatMatrix features() {
    return features;
  }

  /** Class labels of the rows (classification). */
  public int[] labels() {
    return labels;
  }

  /** Regression targets of the rows. */
  public float[] targets() {
    return targets;
  }

  /** Dataset index of each row. */
  public int[] indices() {
    return indices;
  }
}
