package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/**
 * An elementwise activation: no parameters, any shape in and the same shape out, its backward
 * pass computed from its output. A subclass names the function's kernels ({@link ReLU},
 * {@link LeakyReLU}, {@link Sigmoid}, {@link Tanh}) and its spec; open to activations of a user's
 * own.
 */
public abstract class Activation implements Layer {
  private final Shape shape;

  protected Activation(Shape shape) {
    this.shape = java.util.Objects.requireNonNull(shape, "shape");
  }

  @Override
  public final Shape inputShape() {
    return shape;
  }

  @Override
  public final Shape outputShape() {
    return shape;
  }

  @Override
  public State newState(int capacity) {
    return State.NONE;
  }

  /** {@code out[i] = f(x[i])} from offset 0; {@code out} may be {@code x}. */
  protected abstract void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out);

  /** {@code dx[i] = dy[i] * f'(x[i])}, from the output {@code y = f(x)}. */
  protected abstract void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx);

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    int width = shape.size();
    if (in.isGathered()) {
      in.copyTo(k, n, out, 0);
      apply(k, n * width, out, 0, out);
    } else {
      apply(k, n * width, in.floats(), in.offset(), out);
    }
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    if (dIn != null) {
      derivative(k, n * shape.size(), out, dOut, dIn);
    }
  }

  @Override
  public String toString() {
    return spec().toString();
  }
}
