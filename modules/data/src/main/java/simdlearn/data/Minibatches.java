package simdlearn.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Splits a dataset into minibatches, epoch after epoch.
 *
 * <p>With shuffling, each epoch visits the examples in a fresh permutation drawn from a generator
 * seeded by {@code (seed, epoch)} alone: epochs differ, yet epoch {@code e} of a run is the same
 * whatever came before it, so a run is reproducible and can resume at any epoch. The last partial
 * batch is kept unless {@code dropLast}. Nothing is allocated after construction: the permutation
 * is rebuilt in place and batches are filled into a caller's reusable {@link Batch}.
 *
 * <p>Typical loop: {@code startEpoch(e)}, then for each {@code b < batchesPerEpoch()} either
 * {@link #fill} a whole batch, or let shards copy their own rows with
 * {@link Dataset#copyFeatures} over {@link #order()} from {@link #batchStart(int)}.
 */
public final class Minibatches {
  private final Dataset data;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final long seed;
  private final int[] order;
  private int epoch = -1;

  public Minibatches(Dataset data, int batchSize, boolean shuffle, boolean dropLast, long seed) {
    this.data = Objects.requireNonNull(data, "data");
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException("dataset " + data.name() + " is empty");
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = seed;
    this.order = new int[data.size()];
  }

  public Dataset data() {
    return data;
  }

  public int batchSize() {
    return batchSize;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public boolean dropLast() {
    return dropLast;
  }

  /** Batches in one epoch: partial last batch included unless dropLast. */
  public int batchesPerEpoch() {
    int n = data.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** Examples visited per epoch. */
  public int examplesPerEpoch() {
    return dropLast ? batchesPerEpoch() * batchSize : data.size();
  }

  /** Prepares the visiting order of epoch {@code epoch} (0-based). */
  public void startEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      // One generator per (seed, epoch): golden-ratio mixing keeps nearby seeds apart.
      SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
      for (int i = order.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    this.epoch = epoch;
  }

  /** The current epoch's permutation of example indices. Read it; do not change it. */
  public int[] order() {
    requireEpoch();
    return order;
  }

  /** Position in {@link #order()} where batch {@code b} starts. */
  public int batchStart(int b) {
    return b * batchSize;
  }

  /** Number of examples in batch {@code b}. */
  public int batchRows(int b) {
    if (b < 0 || b >= batchesPerEpoch()) {
      throw new IndexOutOfBoundsException(
          "batch " + b + " out of range: an epoch has " + batchesPerEpoch() + " batches");
    }
    return Math.min(batchSize, data.size() - b * batchSize);
  }

  /** Fills {@code batch} with batch {@code b} of the current epoch (features and targets). */
  public void fill(int b, Batch batch) {
    requireEpoch();
    int rows = batchRows(b);
    if (batch.capacity() < rows || batch.features().cols() != data.features()) {
      throw new IllegalArgumentException("batch buffer " + batch.capacity() + "x"
          + batch.features().cols() + " cannot hold " + rows + " examples of " + data.features()
          + " features");
    }
    int from = batchStart(b);
    data.copyFeatures(order, from, rows, batch.features().data(), batch.features().offset());
    data.copyTargets(order, from, rows, batch, 0);
    System.arraycopy(order, from, batch.indices(), 0, rows);
    batch.setSize(rows);
  }

  /** A batch buffer of the right shape for this dataset and batch size. */
  public Batch newBatch() {
    return new Batch(batchSize, data.features());
  }

  private void requireEpoch() {
    if (epoch < 0) {
      throw new IllegalStateException("call startEpoch(epoch) before reading batches");
    }
  }
}
