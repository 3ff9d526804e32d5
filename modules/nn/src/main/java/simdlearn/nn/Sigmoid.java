package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/** The activation {@code 1 / (1 + e^-x); its gradient y (1 - y) from the output y}. */
public final class Sigmoid extends Activation {
  public Sigmoid(int width) {
    super(width);
  }

  @Override
  public String type() {
    return "sigmoid";
  }

  @Override
  void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out) {
    k.sigmoid(n, x, xOff, out, 0);
  }

  @Override
  void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx) {
    k.sigmoidBackward(n, y, 0, dy, 0, dx, 0);
  }
}
