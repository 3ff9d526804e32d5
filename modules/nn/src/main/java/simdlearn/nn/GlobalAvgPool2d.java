package simdlearn.nn;

import java.util.Arrays;
import simdlearn.kernel.training.TrainingKernels;

/**
 * The mean of each channel's whole plane, channels x 1 x 1 out (d2l 7.3's global average pooling,
 * PyTorch's {@code AdaptiveAvgPool2d((1, 1))}); a flatten after it gives one feature per channel.
 * The mean is summed in double, so its bits do not depend on the plane's size or order of tiles.
 */
public final class GlobalAvgPool2d implements Layer {
  public static final LayerType TYPE = LayerType.of("global-avg-pool2d", Spec.class);

  private final Shape.Planes input;
  private final Shape.Planes output;
  private final int plane;

  /** The model-file entry: no fields. */
  public record Spec() implements LayerSpec {
    @Override
    public String type() {
      return TYPE.name();
    }

    @Override
    public Layer build(Shape input, int position) {
      return new GlobalAvgPool2d(Conv2d.planes(input, 0, TYPE.name()));
    }

    @Override
    public String toString() {
      return TYPE.name();
    }
  }

  public GlobalAvgPool2d(Shape.Planes input) {
    this.input = input;
    this.output = new Shape.Planes(input.channels(), 1, 1);
    this.plane = input.height() * input.width();
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
  public void forward(TrainingKernels k, State state, Rows in, int n,
      float[] out, Pass pass) {
    float[] x = in.floats();
    int xo = in.offset();
    int planes = n * input.channels();
    for (int p = 0; p < planes; p++) {
      double sum = 0;
      for (int i = xo + p * plane, end = i + plane; i < end; i++) {
        sum += x[i];
      }
      out[p] = (float) (sum / plane);
    }
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in,
      float[] out, float[] dOut, int n, float[] dIn) {
    if (dIn == null) {
      return;
    }
    int planes = n * input.channels();
    for (int p = 0; p < planes; p++) {
      float share = dOut[p] / plane;
      Arrays.fill(dIn, p * plane, (p + 1) * plane, share);
    }
  }

  @Override
  public String toString() {
    return TYPE.name();
  }
}
