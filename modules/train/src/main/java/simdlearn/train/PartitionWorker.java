package simdlearn.train;

import java.util.List;
import simdlearn.data.Dataset;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Network;
import simdlearn.nn.Rows;
import simdlearn.nn.StateTensor;

/**
 * One partition's share of a minibatch: forward, loss and backward over the shard's rows, each
 * parameter's whole gradient left in its own buffers. The trainer's local partitions and a Spark
 * executor run the same code on the same rows and parameters, so they give the same bits.
 * Buffers are allocated once; a run reuses the worker for every minibatch.
 *
 * <p>A network whose shards meet ({@link Network#meetings}, batch normalisation) runs in stages:
 * {@link #begin}, then {@link #forward(int)} stage by stage, the shards meeting between stages
 * ({@link #meetingPart} out, {@link #meetingOutcome} in), then {@link #backward(int)} likewise,
 * then {@link #result}. {@link #run} does it all for a network without meetings.
 */
public final class PartitionWorker {
  private final Network network;
  private final Objective objective;
  private final TrainingKernels k;
  private final long seed;
  private final Shard shard;
  private final float[][] gradients;
  private final PartitionResult result = new PartitionResult(0, 0, 0, null);
  private final int meetings;
  // The shard of the minibatch in progress (set by begin).
  private Rows input;
  private int rows;
  private double loss;

  /**
   * @param capacity the most rows a shard can have: the batch size (a minibatch may fall in one
   *     partition)
   */
  public PartitionWorker(Network network, Objective objective, TrainingKernels k, long seed,
      int capacity, boolean floatFeatures) {
    this.network = network;
    this.objective = objective;
    this.k = k;
    this.seed = seed;
    this.meetings = network.meetings();
    this.shard = new Shard(network, capacity, floatFeatures, true);
    this.gradients = new float[network.parameters().size()][];
    for (int p = 0; p < gradients.length; p++) {
      gradients[p] = shard.net.gradient(p);
    }
  }

  /** Copies {@code state} (every parameter, then every buffer) into the network and packs it. */
  public void load(float[][] state) {
    List<StateTensor> tensors = network.state();
    if (state.length != tensors.size()) {
      throw new IllegalArgumentException(state.length + " tensors for a network of "
          + tensors.size());
    }
    for (int i = 0; i < state.length; i++) {
      FloatMatrix v = tensors.get(i).value();
      if (state[i].length != v.size()) {
        throw new IllegalArgumentException(tensors.get(i).name() + " has " + v.size()
            + " values, " + state[i].length + " given");
      }
      System.arraycopy(state[i], 0, v.data(), v.offset(), v.size());
    }
    network.packWeights(k);
  }

  /**
   * Trains on rows {@code rows[0 .. n)} of {@code data} in minibatch {@code batch} of epoch
   * {@code epoch}, their dropout masks keyed from row {@code offset} of the minibatch, for a
   * network without meetings. The result (and the gradient buffers it names) is valid until the
   * next call.
   */
  public PartitionResult run(Dataset data, int[] rows, int n, int epoch, int batch, int offset) {
    begin(data, rows, n, epoch, batch, offset);
    forward(0);
    backward(0);
    return result();
  }

  /** Starts a shard: its targets and input rows, and the dropout key of its pass. */
  public void begin(Dataset data, int[] rows, int n, int epoch, int batch, int offset) {
    this.rows = n;
    this.loss = 0;
    shard.correct = 0;
    if (n == 0) {
      return;
    }
    data.copyTargets(rows, 0, n, shard.rows, 0);
    shard.net.pass().training(seed, epoch, batch, offset);
    input = shard.input(data, Shard.pixels(data), rows, 0, n);
  }

  /** Forward stage {@code stage} ({@code 0 .. meetings}); the last one ends with the loss. */
  public void forward(int stage) {
    if (rows == 0) {
      return;
    }
    network.forward(k, shard.net, stage == 0 ? input : null, rows, stage);
    if (stage == meetings) {
      loss = objective.lossAndGradient(k, shard, rows);
    }
  }

  /** Backward stage {@code stage} ({@code 0 .. meetings}, from the output). */
  public void backward(int stage) {
    if (rows > 0) {
      network.backward(k, shard.net, rows, stage);
    }
  }

  /** This shard's part of meeting {@code meeting}, after the stage that ends there. */
  public double[] meetingPart(int meeting, boolean forward) {
    return network.meetingPart(shard.net, meeting, forward);
  }

  /** The outcome of meeting {@code meeting}, before the stage after it. */
  public void meetingOutcome(int meeting, boolean forward, double[] outcome) {
    if (rows > 0) {
      network.setMeetingOutcome(shard.net, meeting, forward, outcome);
    }
  }

  /** The network's parameters, whose gradients {@link #result} gives. */
  public int parameters() {
    return gradients.length;
  }

  /** The shard's rows in the minibatch in progress. */
  public int rows() {
    return rows;
  }

  /** The shard's workspace, for meetings on this machine. */
  Network.Workspace workspace() {
    return shard.net;
  }

  /** The shard's figures and gradients, valid until the next {@link #begin}. */
  public PartitionResult result() {
    result.set(rows, loss, shard.correct, rows == 0 ? null : gradients);
    return result;
  }
}
