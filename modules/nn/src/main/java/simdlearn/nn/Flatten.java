package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/**
 * Channels x height x width planes read as one vector of features, in the same row-major order
 * (PyTorch's {@code nn.Flatten}): the bridge from convolutional layers to dense ones. The values
 * do not change; forward and backward copy them.
 */
public final class Flatten implements Layer {
  public static final LayerType TYPE = LayerType.of("flatten", Spec.class);

  private final Shape input;
  private final Shape output;

  public Flatten(Shape input) {
    this.input = java.util.Objects.requireNonNull(input, "input");
    this.output = Shape.features(input.size());
  }

  /** The model-file entry: no fields. */
  public record Spec() implements LayerSpec {
    @Override
    public String type() {
      return "flatten";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Flatten(input);
    }

    @Override
    public String toString() {
      return "flatten";
    }
  }

  @Override
  public LayerSpec spec() {
    return new Spec();
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return output;
  }

  @Override
  public State newState(int capacity) {
    return State.NONE;
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    in.copyTo(k, n, out, 0);
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    if (dIn != null) {
      System.arraycopy(dOut, 0, dIn, 0, n * output.size());
    }
  }

  @Override
  public String toString() {
    return "flatten";
  }
}
