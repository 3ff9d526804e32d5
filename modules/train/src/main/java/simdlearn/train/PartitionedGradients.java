package simdlearn.train;

import simdlearn.data.Dataset;
import simdlearn.report.RunLine;

/**
 * Where the shards of a partitioned run ({@link TrainingConfig#shards} = P) compute their
 * gradients: the trainer's own pool, or a cluster (the {@code simdlearn-spark} module). The
 * trainer sorts each minibatch's rows into the P partitions' shards, asks for their results,
 * adds the gradients in partition order and steps the optimizer; an engine only computes.
 * Each shard's result must be what a {@link PartitionWorker} computes for it from the network's
 * current state.
 */
public interface PartitionedGradients extends AutoCloseable {
  /** The engine, its master and its partitions, for the report's run line. */
  RunLine.Engine engine();

  /**
   * Readies every partition before the first minibatch: the network (its architecture; its
   * state changes between minibatches), the objective, the training data cut by
   * {@code partitions} and the run's settings.
   */
  void start(Model model, Objective objective, Dataset train, Partitions partitions,
      TrainingConfig cfg);

  /**
   * Minibatch {@code batch} of epoch {@code epoch}: shard p trains on training rows
   * {@code shards[p][0 .. counts[p])} (all in partition p), keying dropout from row
   * {@code offsets[p]}, with the network's state (parameters and buffers) as it is at the call.
   * Returns the P results in partition order, valid until the next call.
   */
  PartitionResult[] compute(int epoch, int batch, int[][] shards, int[] counts, int[] offsets);

  /** Releases the engine's resources (threads, cached partitions). */
  @Override
  void close();
}
