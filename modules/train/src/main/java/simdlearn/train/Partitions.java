package simdlearn.train;

/**
 * A training set of {@code rows} rows cut into contiguous partitions as Spark's
 * {@code parallelize} slices a collection (partition p holds rows {@code p * rows / P} up to
 * {@code (p + 1) * rows / P}), and each minibatch's rows sorted into them: shard p of a minibatch
 * is the minibatch's rows of partition p, in the minibatch's order. Fixed by the row count and P
 * alone, never by a thread count or an executor.
 */
public final class Partitions {
  private final int rows;
  private final int[] starts;

  /**
   * @throws IllegalArgumentException when there are fewer rows than partitions, or no partition
   */
  public Partitions(int rows, int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be > 0, got " + partitions);
    }
    if (rows < partitions) {
      throw new IllegalArgumentException("the training set has " + rows + " rows, fewer than"
          + " the " + partitions + " partitions; use at most " + rows + " partitions");
    }
    this.rows = rows;
    this.starts = new int[partitions + 1];
    for (int p = 0; p <= partitions; p++) {
      starts[p] = (int) ((long) p * rows / partitions);
    }
  }

  public int count() {
    return starts.length - 1;
  }

  public int rows() {
    return rows;
  }

  /** The first row of partition {@code p}. */
  public int start(int p) {
    return starts[p];
  }

  /** One past the last row of partition {@code p}. */
  public int end(int p) {
    return starts[p + 1];
  }

  /** The partition holding row {@code row}. */
  public int of(int row) {
    if (row < 0 || row >= rows) {
      throw new IndexOutOfBoundsException("row " + row + " of " + rows);
    }
    int lo = 0;
    int hi = count() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * Sorts the minibatch {@code order[from .. from + n)} into its shards: {@code shards[p]} gets
   * partition p's rows in minibatch order ({@code counts[p]} of them), and {@code offsets[p]}
   * the number of the minibatch's rows in partitions before p (where shard p's rows key their
   * dropout masks). Each {@code shards[p]} must hold {@code n} rows.
   */
  public void split(int[] order, int from, int n, int[][] shards, int[] counts, int[] offsets) {
    java.util.Arrays.fill(counts, 0);
    for (int i = from; i < from + n; i++) {
      int row = order[i];
      int p = of(row);
      shards[p][counts[p]++] = row;
    }
    int offset = 0;
    for (int p = 0; p < count(); p++) {
      offsets[p] = offset;
      offset += counts[p];
    }
  }
}
