package simdlearn.nn;

import java.util.List;
import java.util.SplittableRandom;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * One layer of a network, as PyTorch's {@code Module} or DJL's {@code Block}: it owns its shapes,
 * parameters, initialisation, forward and backward passes, its {@linkplain #spec() spec} in model
 * files, and whatever fast paths it offers a trainer (how its gradients are split into blocks and
 * summed over shards, weight layouts packed once per step). Containers and trainers use layers
 * through this interface alone; a layer written outside this package takes part in every path.
 *
 * <p>Life cycle: a layer is built for an input {@link Shape} (parameters zero until
 * {@link #initialise}); each shard of a minibatch gets its own {@link State} once, holding that
 * shard's parameter gradients and whatever backward needs (a dropout mask). Then, per minibatch,
 * {@link #forward} writes the output rows and {@link #backward} reads the gradient of the loss with
 * respect to them, writes the shard's parameter gradients into its state (overwriting, not
 * accumulating) and, when asked, the gradient with respect to the input rows. A trainer then sums
 * the shards' gradients block by block ({@link #gradientBlocks}, {@link #addGradient}).
 *
 * <p>Threads: several shards run forward and backward at once, each with its own state and
 * buffers; a layer never writes anything shared during a pass, and its parameters change only
 * between passes (the optimizer's step). Nothing is allocated per pass. A row of {@code n} examples
 * holds {@link #inputs()} (or {@link #outputs()}) floats each, in the layout of the shape.
 */
public interface Layer {
  /** What this layer is, for model files and descriptions: {@link LayerSpec#build} rebuilds it. */
  LayerSpec spec();

  /** Short type name, as in model files: {@code linear}, {@code relu}, {@code dropout}... */
  default String type() {
    return spec().type();
  }

  /** The shape of one input example. */
  Shape inputShape();

  /** The shape of one output example. */
  Shape outputShape();

  /** Floats per input example. */
  default int inputs() {
    return inputShape().size();
  }

  /** Floats per output example. */
  default int outputs() {
    return outputShape().size();
  }

  /** Trainable parameters, in a fixed order (named as in PyTorch: {@code weight}, {@code bias}). */
  default List<Parameter> parameters() {
    return List.of();
  }

  /**
   * Tensors this layer keeps besides its parameters, changed by training passes without a
   * gradient (batch normalisation's running mean and variance), named as in PyTorch; model files
   * and checkpoints keep them. None by default.
   */
  default List<StateTensor> buffers() {
    return List.of();
  }

  /**
   * Draws this layer's parameters from {@code init} (with the layer's own fan-in and fan-out)
   * and {@code rng}; biases start at 0. A network initialises its layers in order with one
   * generator, so it is a function of its seed. Layers without parameters draw nothing.
   */
  default void initialise(Init init, SplittableRandom rng) {}

  /**
   * Whether {@link #forward} reads gathered unsigned-byte rows ({@link Rows#isGathered()})
   * directly; otherwise the network converts them to floats before the first layer.
   */
  default boolean readsGatheredBytes() {
    return false;
  }

  /** Per-shard buffers for up to {@code capacity} rows, with every parameter gradient. */
  State newState(int capacity);

  /**
   * Per-shard buffers of a trainer that sums shard gradients through {@link #addGradient}: the
   * layer may leave a gradient out of the state ({@link State#gradient} null) and compute it in
   * {@code addGradient} over all the shards instead.
   */
  default State newShardState(int capacity) {
    return newState(capacity);
  }

  /** Output rows {@code out[r * outputs() + j]} of the first {@code n} rows of {@code in}. */
  void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass);

  /**
   * The backward pass of the last {@link #forward} with the same state: from {@code dOut} (the
   * loss gradient with respect to {@code out}) writes the parameter gradients into the state and,
   * unless {@code dIn} is null, the gradient with respect to the input rows into {@code dIn}.
   * {@code dOut} stays valid from this layer's partial backward passes until this call returns,
   * no longer (a network hands its array to other layers' gradients next): a layer that needs it
   * later keeps a copy in its state.
   */
  void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn);

  /**
   * Blocks that cover each element of each of this layer's parameter gradients once (parameters
   * numbered as in {@link #parameters()}), fixed by the layer's shape, never by a thread count.
   * Default: each parameter in ranges of {@value GradientBlock#RANGE_ELEMENTS} elements.
   */
  default List<GradientBlock> gradientBlocks() {
    List<GradientBlock> blocks = new java.util.ArrayList<>();
    List<Parameter> ps = parameters();
    for (int p = 0; p < ps.size(); p++) {
      blocks.addAll(GradientBlock.ranges(p, ps.get(p).value().size()));
    }
    return blocks;
  }

  /**
   * Block {@code b} of one shard's gradient of parameter {@code b.parameter()}, written into
   * {@code grad} (the parameter's gradient, from {@code gradOff}) when {@code first}, else added
   * to it. A trainer calls it shard after shard in shard order, so the sum does not depend on
   * threads; different blocks may be summed at once. The default reads
   * {@link State#gradient}; a layer whose {@link #newShardState} left a gradient out computes it
   * here.
   */
  default void addGradient(TrainingKernels k, GradientBlock b, State shard, boolean first,
      float[] grad, int gradOff) {
    float[] g = shard.gradient(b.parameter());
    for (int r = 0; r < b.rows(); r++) {
      int at = b.rowStart(r);
      if (first) {
        System.arraycopy(g, at, grad, gradOff + at, b.cols());
      } else {
        k.add(b.cols(), grad, gradOff + at, g, at, grad, gradOff + at);
      }
    }
  }

  /**
   * Lays out the weights the way forward passes multiply by them, for passes with
   * {@link Pass#packedWeights}. A trainer calls it before its first step and after any change
   * other than its own steps.
   */
  default void packWeights(TrainingKernels k) {}

  /**
   * Packs again the elements of block {@code b} (of this layer's parameters) after a step changed
   * them; different blocks may be repacked at once.
   */
  default void repackWeights(TrainingKernels k, GradientBlock b) {}

  /**
   * How many times this layer's training passes need figures of the whole minibatch, not of one
   * shard: 1 for batch normalisation (its mean and variance forward, the sums its input gradient
   * needs backward), one per batch normalisation inside a block; 0 by default. A trainer whose
   * minibatch is split into shards then runs, for each meeting {@code j} in turn,
   * {@link #forwardPartial} on every shard and {@link #meetForward} once, and finally
   * {@link #forward}; backward likewise with {@link #backwardPartial}, {@link #meetBackward} and
   * {@link #backward}, meetings numbered from the output. Called without the partial passes,
   * {@code forward} and {@code backward} meet on their shard alone (it is then the whole batch),
   * so a single workspace needs no trainer. Evaluation passes never meet.
   */
  default int meetings() {
    return 0;
  }

  /**
   * A training forward from where the last meeting left it (or from the input) up to meeting
   * {@code meeting}: this shard's part of the batch figures, into its state.
   */
  default void forwardPartial(TrainingKernels k, State state, Rows in, int n, Pass pass,
      int meeting) {}

  /**
   * On one thread, at meeting {@code meeting} of a training forward: the batch figures from the
   * first {@code used} shards' parts, added in shard order (never thread order), into every one of
   * those states; updates what the layer keeps across batches (running statistics).
   */
  default void meetForward(TrainingKernels k, State[] shards, int used, int meeting) {}

  /**
   * A backward pass from where the last meeting left it (or from the output) up to meeting
   * {@code meeting} (numbered from the output): this shard's part of the batch sums.
   */
  default void backwardPartial(TrainingKernels k, State state, Rows in, float[] out,
      float[] dOut, int n, int meeting) {}

  /** As {@link #meetForward}, at meeting {@code meeting} of a backward pass. */
  default void meetBackward(TrainingKernels k, State[] shards, int used, int meeting) {}

  /**
   * This shard's part of meeting {@code meeting} of a forward (or a backward) pass, after its
   * partial pass, as numbers that can travel to another machine: what the meeting reads from
   * the state. With {@link #setMeetingPart} and the two methods after it, a shard run on another
   * machine meets through a stand-in state here, with the same bits as a shard run here.
   *
   * @throws UnsupportedOperationException from a layer that meets but cannot send its part
   */
  default double[] meetingPart(State state, int meeting, boolean forward) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot send its"
        + " meetings' parts to another machine");
  }

  /** Puts into {@code state} a part {@link #meetingPart} gave, as its partial pass would have. */
  default void setMeetingPart(State state, int meeting, boolean forward, double[] part) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot take a"
        + " meeting's part from another machine");
  }

  /** What meeting {@code meeting} left in {@code state}, as numbers that can travel. */
  default double[] meetingOutcome(State state, int meeting, boolean forward) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot send its"
        + " meetings' outcomes to another machine");
  }

  /** Puts into {@code state} what {@link #meetingOutcome} gave, as the meeting would have. */
  default void setMeetingOutcome(State state, int meeting, boolean forward, double[] outcome) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot take a"
        + " meeting's outcome from another machine");
  }

  /** A layer's per-shard buffers. */
  interface State {
    /**
     * This shard's gradient of parameter {@code i} (the order of {@link #parameters()}); null
     * in a {@linkplain #newShardState shard state} for one that {@link #addGradient} computes.
     */
    float[] gradient(int i);

    /** The state of a layer without parameters or backward buffers. */
    State NONE = i -> {
      throw new IndexOutOfBoundsException("this layer has no parameters");
    };
  }
}
