package simdlearn.nn;

import java.util.List;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * What a trainer needs of a model, and all it sees: shapes, parameters, per-shard workspaces, and
 * forward and backward passes on them. A trainer never looks inside.
 *
 * <p>Per minibatch shard: {@link #forward} on the shard's input rows leaves the outputs in
 * {@link Workspace#output()}; the loss writes its gradient into {@link Workspace#outputGradient()};
 * {@link #backward} then leaves the shard's gradient of every parameter in
 * {@link Workspace#gradient(int)}. Shards run at once on different threads, each with its own
 * workspace; parameters change only between minibatches.
 *
 * <p>A trainer that sums the shards' gradients itself uses {@link #newShardWorkspace} instead:
 * then {@link #gatherGradient} sums them block by block ({@link #gradientBlocks}), and may
 * compute there what backward left out (the weight gradients of wide layers: one product over
 * the whole minibatch instead of one per shard and a sum). Blocks can run in parallel, each
 * followed by the optimizer's step of the same elements while they are in cache.
 */
public interface Network {
  /** The shape of one input example. */
  Shape inputShape();

  /** The shape of one output example. */
  Shape outputShape();

  /** Floats per input row. */
  default int inputs() {
    return inputShape().size();
  }

  /** Floats per output row. */
  default int outputs() {
    return outputShape().size();
  }

  /** Every trainable parameter, in a fixed order. */
  List<Parameter> parameters();

  /** Buffers for one shard of up to {@code capacity} rows. */
  Workspace newWorkspace(int capacity);

  /**
   * Buffers for one shard of a minibatch whose gradients {@link #gatherGradient} sums: its
   * {@link Workspace#gradient} may be null for parameters that {@code gatherGradient} computes.
   */
  Workspace newShardWorkspace(int capacity);

  /**
   * Blocks that cover every element of every parameter's gradient once, fixed by the
   * architecture (never by a thread count, so a run's bits do not depend on one).
   */
  List<GradientBlock> gradientBlocks();

  /**
   * Writes block {@code b} of its parameter's {@link Parameter#grad()}: the sum of the first
   * {@code used} shard workspaces' gradients (created by {@link #newShardWorkspace}, after their
   * backward passes), added in shard order, so that the result does not depend on which thread
   * gathers which block. Different blocks may be gathered at once.
   */
  void gatherGradient(TrainingKernels k, GradientBlock b, Workspace[] shards, int used);

  /**
   * Lays out the weights the way forward passes multiply by them, once for every shard and
   * evaluation chunk until they change, for workspaces whose {@link Pass#packedWeights} is on.
   * A trainer calls it before its first step and after any change other than its own steps.
   */
  default void packWeights(TrainingKernels k) {}

  /**
   * Packs again the weight elements of block {@code b} after a step changed them; different
   * blocks may be repacked at once.
   */
  default void repackWeights(TrainingKernels k, GradientBlock b) {}

  /** Forward pass over the first {@code n} rows of {@code in}; see {@link Workspace#pass()}. */
  void forward(TrainingKernels k, Workspace ws, Rows in, int n);

  /** Backward pass of the last forward on {@code ws}, from its output gradient. */
  void backward(TrainingKernels k, Workspace ws, int n);

  /**
   * Tensors kept besides the parameters (batch normalisation's running statistics), with their
   * state-dict names; none by default.
   */
  default List<StateTensor> buffers() {
    return List.of();
  }

  /**
   * Everything a model file or checkpoint keeps: every parameter's values, then every buffer,
   * under their state-dict names.
   */
  default List<StateTensor> state() {
    List<StateTensor> all = new java.util.ArrayList<>();
    for (Parameter p : parameters()) {
      all.add(new StateTensor(p.name(), p.value()));
    }
    all.addAll(buffers());
    return List.copyOf(all);
  }

  /**
   * How many times the shards of one training pass must meet in its forward pass, and as many in
   * its backward pass: once per layer that needs figures of the whole minibatch
   * ({@link Layer#meetings}). With none (the default), shards run their passes whole and
   * independently.
   */
  default int meetings() {
    return 0;
  }

  /**
   * Part {@code stage} ({@code 0 .. meetings()}) of a training forward pass over a shard: stage 0
   * starts at the input ({@code in}; later stages ignore it), each stage but the last ends where
   * the shards must meet, and {@link #meetForward} runs between stages. Without meetings, stage 0
   * is {@link #forward}.
   */
  default void forward(TrainingKernels k, Workspace ws, Rows in, int n, int stage) {
    if (stage != 0) {
      throw new IllegalArgumentException("stage " + stage + " of a network without meetings");
    }
    forward(k, ws, in, n);
  }

  /** Meeting {@code meeting} of the first {@code used} shards' training forward passes. */
  default void meetForward(TrainingKernels k, int meeting, Workspace[] shards, int used) {
    throw new IllegalArgumentException("meeting " + meeting + " of a network without meetings");
  }

  /**
   * Part {@code stage} of a backward pass, stage 0 starting at the output; see
   * {@link #forward(TrainingKernels, Workspace, Rows, int, int)}.
   */
  default void backward(TrainingKernels k, Workspace ws, int n, int stage) {
    if (stage != 0) {
      throw new IllegalArgumentException("stage " + stage + " of a network without meetings");
    }
    backward(k, ws, n);
  }

  /** Meeting {@code meeting} of the first {@code used} shards' backward passes. */
  default void meetBackward(TrainingKernels k, int meeting, Workspace[] shards, int used) {
    throw new IllegalArgumentException("meeting " + meeting + " of a network without meetings");
  }

  /**
   * Shard {@code ws}'s part of meeting {@code meeting} of its forward (or backward) pass, after
   * the stage that ends there, as numbers that can travel ({@link Layer#meetingPart}). A trainer
   * whose shards run on other machines puts the parts into stand-in workspaces here
   * ({@link #setMeetingPart}), meets them, and sends each shard the outcome
   * ({@link #meetingOutcome}, {@link #setMeetingOutcome}) before its next stage.
   */
  default double[] meetingPart(Workspace ws, int meeting, boolean forward) {
    throw new IllegalArgumentException("meeting " + meeting + " of a network without meetings");
  }

  /** Puts a shard's part of a meeting into stand-in workspace {@code ws}. */
  default void setMeetingPart(Workspace ws, int meeting, boolean forward, double[] part) {
    throw new IllegalArgumentException("meeting " + meeting + " of a network without meetings");
  }

  /** What meeting {@code meeting} left in workspace {@code ws}, as numbers that can travel. */
  default double[] meetingOutcome(Workspace ws, int meeting, boolean forward) {
    throw new IllegalArgumentException("meeting " + meeting + " of a network without meetings");
  }

  /** Puts a meeting's outcome into a shard's workspace, in place of the meeting. */
  default void setMeetingOutcome(Workspace ws, int meeting, boolean forward, double[] outcome) {
    throw new IllegalArgumentException("meeting " + meeting + " of a network without meetings");
  }

  /** The architecture, layer by layer: what a model file stores. */
  List<LayerSpec> architecture();

  /** One line, e.g. {@code 784-256-10 (linear(784->256), relu, linear(256->10))}. */
  String describe();

  /** A shard's buffers. */
  interface Workspace {
    int capacity();

    /** Training or evaluation, and which rows: set before {@link Network#forward}. */
    Pass pass();

    /** The last forward's outputs, {@code n x outputs()} from offset 0. */
    float[] output();

    /** Where the loss writes its gradient with respect to {@link #output()}. */
    float[] outputGradient();

    /**
     * This shard's gradient of parameter {@code p} after {@link Network#backward}; null in a
     * {@linkplain Network#newShardWorkspace shard workspace} for a parameter that
     * {@link Network#gatherGradient} computes.
     */
    float[] gradient(int p);
  }
}
