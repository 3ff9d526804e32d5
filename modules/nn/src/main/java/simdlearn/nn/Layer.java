package simdlearn.nn;

import java.util.List;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * One layer of a network: a function of {@code n} input rows of {@link #inputs()} floats to
 * {@code n} output rows of {@link #outputs()} floats, and its backward pass.
 *
 * <p>Life cycle: a layer is built with its shapes (and parameters, zero until initialised); each
 * shard of a minibatch gets its own {@link State} from {@link #newState} once, holding that
 * shard's parameter gradients and whatever backward needs (a dropout mask). Then, per minibatch,
 * {@link #forward} writes the output rows and {@link #backward} reads the gradient of the loss with
 * respect to them, writes the shard's parameter gradients into its state (overwriting, not
 * accumulating) and, when asked, the gradient with respect to the input rows.
 *
 * <p>Threads: several shards run forward and backward at once, each with its own state and
 * buffers; a layer never writes anything shared during a pass, and its parameters change only
 * between passes (the optimizer's step). Nothing is allocated per pass. Output buffers hold rows of
 * {@code outputs()} floats from offset 0.
 */
public interface Layer {
  /** Short type name, as in model files: {@code linear}, {@code relu}, {@code dropout}... */
  String type();

  /** Floats per input row. */
  int inputs();

  /** Floats per output row. */
  int outputs();

  /** Trainable parameters, in a fixed order; empty for activations and dropout. */
  default List<Parameter> parameters() {
    return List.of();
  }

  /**
   * Whether {@link #forward} reads gathered unsigned-byte rows ({@link Rows#isGathered()})
   * directly; otherwise the network converts them to floats before the first layer.
   */
  default boolean readsGatheredBytes() {
    return false;
  }

  /** Per-shard buffers for up to {@code capacity} rows. */
  State newState(int capacity);

  /** Output rows {@code out[r * outputs() + j]} of the first {@code n} rows of {@code in}. */
  void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass);

  /**
   * The backward pass of the last {@link #forward} with the same state: from {@code dOut} (the
   * loss gradient with respect to {@code out}) writes the parameter gradients into the state and,
   * unless {@code dIn} is null, the gradient with respect to the input rows into {@code dIn}.
   */
  void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn);

  /** What this layer is, for model files: {@link Sequential#fromSpecs} rebuilds it. */
  LayerSpec spec();

  /** A layer's per-shard buffers. */
  interface State {
    /** This shard's gradient of parameter {@code i} (the order of {@link #parameters()}). */
    float[] gradient(int i);

    /** The state of a layer without parameters or backward buffers. */
    State NONE = i -> {
      throw new IndexOutOfBoundsException("this layer has no parameters");
    };
  }
}
