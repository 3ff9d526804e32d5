package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/**
 * An elementwise activation: no parameters, its backward pass computed from its output. The
 * subclasses name the function ({@link ReLU}, {@link Sigmoid}, {@link Tanh}).
 */
public abstract sealed class Activation implements Layer permits ReLU, Sigmoid, Tanh {
  private final int width;

  Activation(int width) {
    if (width <= 0) {
      throw new IllegalArgumentException(type() + " needs a width > 0, got " + width);
    }
    this.width = width;
  }

  @Override
  public int inputs() {
    return width;
  }

  @Override
  public int outputs() {
    return width;
  }

  @Override
  public State newState(int capacity) {
    return State.NONE;
  }

  /** {@code out[i] = f(x[i])}; {@code out} may be {@code x}. */
  abstract void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out);

  /** {@code dx[i] = dy[i] * f'(x[i])}, from the output {@code y = f(x)}. */
  abstract void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx);

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
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
      derivative(k, n * width, out, dOut, dIn);
    }
  }

  @Override
  public LayerSpec spec() {
    return LayerSpec.activation(type(), width);
  }

  @Override
  public String toString() {
    return type();
  }
}
