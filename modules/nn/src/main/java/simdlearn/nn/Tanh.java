package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/** The activation {@code tanh(x); its gradient 1 - y^2 from the output y}. */
public final class Tanh extends Activation {
  public Tanh(int width) {
    super(width);
  }

  @Override
  public String type() {
    return "tanh";
  }

  @Override
  void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out) {
    k.tanh(n, x, xOff, out, 0);
  }

  @Override
  void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx) {
    k.tanhBackward(n, y, 0, dy, 0, dx, 0);
  }
}
