package simdlearn.nn;

/**
 * What a forward pass is for: training (dropout active) or evaluation, and which rows of which
 * minibatch it sees. Dropout draws each row's mask from {@link #rowKey}, a hash of the run's seed,
 * the layer, the epoch, the batch and the row's position in the batch: never from the thread or
 * the shard, so 1 and 2 threads give the same bits, and a resumed run the same masks. Mutable and
 * reused, one per shard.
 */
public final class Pass {
  private boolean training;
  private long seed;
  private int epoch;
  private int batch;
  private int firstRow;
  private boolean packedWeights;

  /** An evaluation pass. */
  public Pass() {}

  /** Makes this a training pass over the batch rows from {@code firstRow}. */
  public Pass training(long seed, int epoch, int batch, int firstRow) {
    this.training = true;
    this.seed = seed;
    this.epoch = epoch;
    this.batch = batch;
    this.firstRow = firstRow;
    return this;
  }

  /** Makes this pass what {@code other} is (for the networks inside a layer). */
  public Pass set(Pass other) {
    this.training = other.training;
    this.seed = other.seed;
    this.epoch = other.epoch;
    this.batch = other.batch;
    this.firstRow = other.firstRow;
    this.packedWeights = other.packedWeights;
    return this;
  }

  /** Makes this an evaluation pass: dropout is the identity. */
  public Pass evaluation() {
    this.training = false;
    return this;
  }

  public boolean isTraining() {
    return training;
  }

  /**
   * Lets layers read the weight layouts {@link Network#packWeights} made instead of packing their
   * weights in every product. Only for the workspaces of a trainer that owns the weights and
   * repacks what its steps change ({@link Network#repackWeights}); a stale pack would be read
   * silently. Off by default.
   */
  public Pass packedWeights(boolean on) {
    this.packedWeights = on;
    return this;
  }

  public boolean packedWeights() {
    return packedWeights;
  }

  /**
   * The key of row {@code row} of this shard for the layer salted {@code salt}: SplitMix64's
   * finaliser over (seed, salt, epoch, batch, batch row).
   */
  public long rowKey(int salt, int row) {
    long h = mix(seed + GOLDEN * (salt + 1L));
    h = mix(h + GOLDEN * (epoch + 1L));
    h = mix(h + GOLDEN * (batch + 1L));
    return mix(h + GOLDEN * (firstRow + row + 1L));
  }

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
