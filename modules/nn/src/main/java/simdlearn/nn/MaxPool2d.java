package simdlearn.nn;

import java.util.Arrays;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Max pooling (PyTorch's {@code nn.MaxPool2d}): the largest value of each window of each channel;
 * the backward pass routes each window's gradient to the first largest input (row-major, as
 * PyTorch's CPU kernel breaks ties). No parameters; each shard keeps where the maxima were.
 */
public final class MaxPool2d extends Pool2d {
  public static final LayerType TYPE = LayerType.of("max-pool2d", Spec.class);

  /**
   * The model-file entry, as PyTorch's {@code MaxPool2d} arguments (its stride defaults to the
   * kernel: {@link #of}).
   *
   * @param kernelHeight window rows
   * @param kernelWidth window columns
   * @param strideHeight vertical step
   * @param strideWidth horizontal step
   * @param paddingHeight zeros above and below (at most half the window)
   * @param paddingWidth zeros left and right (at most half the window)
   */
  public record Spec(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
      int paddingHeight, int paddingWidth) implements LayerSpec {
    public Spec {
      Pool2d.check("max-pool2d", kernelHeight, kernelWidth, strideHeight, strideWidth,
          paddingHeight, paddingWidth);
    }

    /** A square window stepping by {@code stride}, padded by {@code padding}. */
    public static Spec of(int kernel, int stride, int padding) {
      return new Spec(kernel, kernel, stride, stride, padding, padding);
    }

    @Override
    public String type() {
      return "max-pool2d";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new MaxPool2d(Conv2d.planes(input, 0, "max-pool2d"), this);
    }

    @Override
    public String toString() {
      return Pool2d.describe("max-pool2d", kernelHeight, kernelWidth, strideHeight, strideWidth,
          paddingHeight, paddingWidth);
    }
  }

  public MaxPool2d(Shape.Planes input, Spec spec) {
    super(input, spec, spec.kernelHeight(), spec.kernelWidth(), spec.strideHeight(),
        spec.strideWidth(), spec.paddingHeight(), spec.paddingWidth());
  }

  /** Where each window's maximum was, in the last forward pass. */
  private record Argmax(int[] positions) implements State {
    @Override
    public float[] gradient(int i) {
      throw new IndexOutOfBoundsException("max-pool2d has no parameters");
    }
  }

  @Override
  public State newState(int capacity) {
    return new Argmax(new int[capacity * output.size()]);
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    int[] at = ((Argmax) state).positions();
    for (int r = 0; r < n; r++) {
      windows.maxPool(in.floats(), in.offset() + r * input.size(), out, r * output.size(), at,
          r * output.size());
    }
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    if (dIn == null) {
      return;
    }
    Arrays.fill(dIn, 0, n * input.size(), 0f);
    for (int r = 0; r < n; r++) {
      windows.maxPoolBackwardAdd(dOut, r * output.size(), ((Argmax) state).positions(),
          r * output.size(), dIn, r * input.size());
    }
  }
}
