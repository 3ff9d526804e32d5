package simdlearn.optim;

import simdlearn.kernel.FloatMatrix;

/**
 * A loss on a minibatch of model outputs ({@code rows x k}) and integer labels.
 *
 * <p>One method does everything in one pass: it writes each example's loss into
 * {@code lossOut[0..rows)}, writes {@code gradScale * d loss_i / d output_i} into {@code grad} (same
 * shape as the output, a separate matrix), and returns the sum of the losses. {@code gradScale} is
 * 1 for a summed loss (d2l's convention, with the optimizer dividing by the batch size) or
 * {@code 1 / rows} for a mean (PyTorch's). Implementations are stateless, thread-safe, and allocate
 * nothing.
 */
public interface ClassificationLoss {
  /** Short name used on command lines and in reports. */
  String name();

  double lossAndGradient(FloatMatrix output, int[] labels, float[] lossOut, FloatMatrix grad,
      float gradScale);

  /** Checks buffers, shapes and that labels lie in {@code [0, classes)}; messages say what is wrong. */
  static void check(FloatMatrix output, int[] labels, float[] lossOut, FloatMatrix grad,
      int classes) {
    int rows = output.rows();
    if (labels.length < rows) {
      throw new IllegalArgumentException(
          "labels: " + labels.length + " given for " + rows + " rows of output");
    }
    if (lossOut.length < rows) {
      throw new IllegalArgumentException(
          "loss buffer has " + lossOut.length + " entries for " + rows + " rows");
    }
    if (grad.rows() != rows || grad.cols() != output.cols()) {
      throw new IllegalArgumentException("gradient " + grad.rows() + "x" + grad.cols()
          + " does not match output " + rows + "x" + output.cols());
    }
    if (grad.data() == output.data() && grad.offset() < output.offset() + output.size()
        && output.offset() < grad.offset() + grad.size()) {
      throw new IllegalArgumentException("gradient and output must not overlap");
    }
    for (int i = 0; i < rows; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " of row " + i
            + " is outside 0.." + (classes - 1));
      }
    }
  }
}
