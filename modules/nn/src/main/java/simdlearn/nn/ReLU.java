package simdlearn.nn;

import java.util.Map;
import simdlearn.kernel.training.TrainingKernels;

/** The activation {@code max(x, 0)}; its gradient is 0 at and below 0, as PyTorch's. */
public final class ReLU extends Activation {
  public static final LayerType TYPE =
      LayerType.activation("relu", Spec.class, Map.of(), settings -> new Spec());

  public ReLU(Shape shape) {
    super(shape);
  }

  /** A relu over {@code width} features. */
  public ReLU(int width) {
    this(Shape.features(width));
  }

  /** The model-file entry: no fields. */
  public record Spec() implements LayerSpec {
    @Override
    public String type() {
      return "relu";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new ReLU(input);
    }

    @Override
    public String toString() {
      return "relu";
    }
  }

  @Override
  public LayerSpec spec() {
    return new Spec();
  }

  @Override
  protected void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out) {
    k.relu(n, x, xOff, out, 0);
  }

  @Override
  protected void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx) {
    k.reluBackward(n, y, 0, dy, 0, dx, 0);
  }
}
