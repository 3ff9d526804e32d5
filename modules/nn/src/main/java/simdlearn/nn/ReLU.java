package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/** The activation {@code max(x, 0); its gradient is 0 at and below 0, as PyTorch's}. */
public final class ReLU extends Activation {
  public ReLU(int width) {
    super(width);
  }

  @Override
  public String type() {
    return "relu";
  }

  @Override
  void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out) {
    k.relu(n, x, xOff, out, 0);
  }

  @Override
  void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx) {
    k.reluBackward(n, y, 0, dy, 0, dx, 0);
  }
}
