package simdlearn.nn;

import java.util.Map;
import simdlearn.kernel.training.TrainingKernels;

/**
 * The activation {@code x > 0 ? x : slope * x} (PyTorch's {@code nn.LeakyReLU}, slope 0.01 by
 * default): unlike ReLU its gradient below 0 is {@code slope}, not 0, so a unit pushed below zero
 * can come back. The slope is part of the layer's spec, so a model file keeps it.
 */
public final class LeakyReLU extends Activation {
  /** PyTorch's default {@code negative_slope}. */
  public static final double DEFAULT_SLOPE = 0.01;
  public static final LayerType TYPE = LayerType.activation("leaky-relu", Spec.class,
      Map.of("slope", DEFAULT_SLOPE), settings -> new Spec(settings.get("slope")));

  private final float slope;

  /**
   * @param slope the gradient below 0, finite and >= 0 (its backward pass reads the sign of the
   *     output, which a negative slope would flip)
   */
  public LeakyReLU(Shape shape, double slope) {
    super(shape);
    this.slope = new Spec(slope).slopeFloat();
  }

  /**
   * The model-file entry.
   *
   * @param slope the gradient below 0, as the decimal given (0.01, not 0.009999999776)
   */
  public record Spec(double slope) implements LayerSpec {
    public Spec {
      if (!(slope >= 0) || Double.isInfinite(slope)) {
        throw new IllegalArgumentException("leaky-relu's slope must be finite and >= 0, got "
            + slope);
      }
    }

    float slopeFloat() {
      return (float) slope;
    }

    @Override
    public String type() {
      return "leaky-relu";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new LeakyReLU(input, slope);
    }

    @Override
    public String toString() {
      return "leaky-relu(" + slope + ")";
    }
  }

  @Override
  public LayerSpec spec() {
    return new Spec(Double.parseDouble(Float.toString(slope)));
  }

  @Override
  protected void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out) {
    k.leakyRelu(n, slope, x, xOff, out, 0);
  }

  @Override
  protected void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx) {
    k.leakyReluBackward(n, slope, y, 0, dy, 0, dx, 0);
  }
}
