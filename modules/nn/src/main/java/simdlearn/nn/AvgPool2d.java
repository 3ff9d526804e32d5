package simdlearn.nn;

import java.util.Arrays;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Average pooling (PyTorch's {@code nn.AvgPool2d}, {@code count_include_pad}): the mean of each
 * window of each channel. No parameters.
 */
public final class AvgPool2d extends Pool2d {
  public static final LayerType TYPE = LayerType.of("avg-pool2d", Spec.class);

  /**
   * The model-file entry, as PyTorch's {@code AvgPool2d} arguments (its stride defaults to the
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
      Pool2d.check("avg-pool2d", kernelHeight, kernelWidth, strideHeight, strideWidth,
          paddingHeight, paddingWidth);
    }

    /** A square window stepping by {@code stride}, padded by {@code padding}. */
    public static Spec of(int kernel, int stride, int padding) {
      return new Spec(kernel, kernel, stride, stride, padding, padding);
    }

    @Override
    public String type() {
      return "avg-pool2d";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new AvgPool2d(Conv2d.planes(input, 0, "avg-pool2d"), this);
    }

    @Override
    public String toString() {
      return Pool2d.describe("avg-pool2d", kernelHeight, kernelWidth, strideHeight, strideWidth,
          paddingHeight, paddingWidth);
    }
  }

  public AvgPool2d(Shape.Planes input, Spec spec) {
    super(input, spec, spec.kernelHeight(), spec.kernelWidth(), spec.strideHeight(),
        spec.strideWidth(), spec.paddingHeight(), spec.paddingWidth());
  }

  @Override
  public State newState(int capacity) {
    return State.NONE;
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    if (windows.tiles2x2()) {
      // The shard's planes are contiguous: all of them in one call.
      k.avgPool2x2(n * input.channels(), input.height(), input.width(), in.floats(), in.offset(),
          out, 0);
      return;
    }
    for (int r = 0; r < n; r++) {
      windows.avgPool(in.floats(), in.offset() + r * input.size(), out, r * output.size());
    }
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    if (dIn == null) {
      return;
    }
    if (windows.tiles2x2()) {
      // Each input is in one window at most: written whole, with no zero-filling pass first.
      k.avgPool2x2Backward(n * input.channels(), input.height(), input.width(), dOut, 0, dIn, 0);
      return;
    }
    Arrays.fill(dIn, 0, n * input.size(), 0f);
    for (int r = 0; r < n; r++) {
      windows.avgPoolBackwardAdd(dOut, r * output.size(), dIn, r * input.size());
    }
  }
}
