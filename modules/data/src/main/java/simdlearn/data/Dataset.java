package simdlearn.data;

/**
 * A fixed set of examples with {@link #features()} float features each. Copy methods take an
 * order (a permutation of example indices) and a range of it, so minibatch shards can each fill
 * their own rows of a batch buffer in parallel without allocating.
 */
public interface Dataset {
  /** Short name, e.g. {@code fashion-mnist/train}. */
  String name();

  /**
   * The dataset this set comes from, as reports name it: {@link #name()} without a
   * {@code /train} or {@code /test} suffix ({@code fashion-mnist/train} is part of
   * {@code fashion-mnist}).
   */
  default String datasetName() {
    String n = name();
    return n.endsWith("/train") || n.endsWith("/test") ? n.substring(0, n.lastIndexOf('/')) : n;
  }

  /** Number of examples. */
  int size();

  /** Features per example (784 for 28 x 28 images). */
  int features();

  /**
   * Copies the features of examples {@code order[from .. from+count)} into consecutive rows of
   * {@code dst} ({@link #features()} floats per row) starting at {@code dstOff}.
   */
  void copyFeatures(int[] order, int from, int count, float[] dst, int dstOff);

  /** Copies the per-example supervision (class labels or regression targets) into the batch rows. */
  void copyTargets(int[] order, int from, int count, Batch batch, int row);

  /** SHA-256 of each source file, by file name; empty for generated data. */
  default java.util.Map<String, String> sha256() {
    return java.util.Map.of();
  }

  /** True if the supervision is class labels ({@link Batch#labels()}), false for real targets. */
  default boolean labelled() {
    return false;
  }
}
