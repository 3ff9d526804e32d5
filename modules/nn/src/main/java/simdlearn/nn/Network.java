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
 */
public interface Network {
  /** Floats per input row. */
  int inputs();

  /** Floats per output row. */
  int outputs();

  /** Every trainable parameter, in a fixed order. */
  List<Parameter> parameters();

  /** Buffers for one shard of up to {@code capacity} rows. */
  Workspace newWorkspace(int capacity);

  /** Forward pass over the first {@code n} rows of {@code in}; see {@link Workspace#pass()}. */
  void forward(TrainingKernels k, Workspace ws, Rows in, int n);

  /** Backward pass of the last forward on {@code ws}, from its output gradient. */
  void backward(TrainingKernels k, Workspace ws, int n);

  /** The architecture, layer by layer: what a model file stores. */
  List<LayerSpec> architecture();

  /** One line, e.g. {@code 784-256-10 (linear, relu, linear)}. */
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

    /** This shard's gradient of parameter {@code p} after {@link Network#backward}. */
    float[] gradient(int p);
  }
}
