package simdlearn.nn;

import java.util.Map;
import simdlearn.kernel.training.TrainingKernels;

/** The activation {@code 1 / (1 + e^-x)}; its gradient {@code y (1 - y)} from the output y. */
public final class Sigmoid extends Activation {
  public static final LayerType TYPE =
      LayerType.activation("sigmoid", Spec.class, Map.of(), settings -> new Spec());

  public Sigmoid(Shape shape) {
    super(shape);
  }

  /** A sigmoid over {@code width} features. */
  public Sigmoid(int width) {
    this(Shape.features(width));
  }

  /** The model-file entry: no fields. */
  public record Spec() implements LayerSpec {
    @Override
    public String type() {
      return "sigmoid";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Sigmoid(input);
    }

    @Override
    public String toString() {
      return "sigmoid";
    }
  }

  @Override
  public LayerSpec spec() {
    return new Spec();
  }

  @Override
  protected void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out) {
    k.sigmoid(n, x, xOff, out, 0);
  }

  @Override
  protected void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx) {
    k.sigmoidBackward(n, y, 0, dy, 0, dx, 0);
  }
}
