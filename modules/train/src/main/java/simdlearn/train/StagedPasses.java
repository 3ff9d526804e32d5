package simdlearn.train;

import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Network;

/**
 * A minibatch's forward and backward passes in stages, for a network whose shards meet
 * ({@link Network#meetings}): every shard's part of a stage on the pool, then the shards' meeting
 * on the calling thread, in shard order. The trainer's fixed-size shards and its local partitions
 * both run their passes through it. Its tasks are made once, so a minibatch allocates nothing.
 */
final class StagedPasses {
  /** Shard {@code task}'s part of stage {@code stage} of a pass. */
  interface Part {
    void run(int task, int stage);
  }

  private final Network network;
  private final TrainingKernels k;
  private final int meetings;
  // Set by the caller before each pool.run; the pool's hand-off publishes it.
  private int stage;
  private final ShardPool.Task forward;
  private final ShardPool.Task backward;

  StagedPasses(Network network, TrainingKernels k, Part forward, Part backward) {
    this.network = network;
    this.k = k;
    this.meetings = network.meetings();
    this.forward = (task, worker) -> forward.run(task, stage);
    this.backward = (task, worker) -> backward.run(task, stage);
  }

  /**
   * Runs both passes over {@code tasks} shards; {@code meeting[0 .. used)} are the workspaces of
   * those that meet (the shards with rows), in shard order.
   */
  void run(ShardPool pool, int tasks, Network.Workspace[] meeting, int used) {
    for (stage = 0; stage <= meetings; stage++) {
      pool.run(tasks, forward);
      if (stage < meetings) {
        network.meetForward(k, stage, meeting, used);
      }
    }
    for (stage = 0; stage <= meetings; stage++) {
      pool.run(tasks, backward);
      if (stage < meetings) {
        network.meetBackward(k, stage, meeting, used);
      }
    }
  }
}
