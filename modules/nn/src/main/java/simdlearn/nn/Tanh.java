package simdlearn.nn;

import java.util.Map;
import simdlearn.kernel.training.TrainingKernels;

/** The activation {@code tanh(x)}; its gradient {@code 1 - y^2} from the output y. */
public final class Tanh extends Activation {
  public static final LayerType TYPE =
      LayerType.activation("tanh", Spec.class, Map.of(), settings -> new Spec());

  public Tanh(Shape shape) {
    super(shape);
  }

  /** A tanh over {@code width} features. */
  public Tanh(int width) {
    this(Shape.features(width));
  }

  /** The model-file entry: no fields. */
  public record Spec() implements LayerSpec {
    @Override
    public String type() {
      return "tanh";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Tanh(input);
    }

    @Override
    public String toString() {
      return "tanh";
    }
  }

  @Override
  public LayerSpec spec() {
    return new Spec();
  }

  @Override
  protected void apply(TrainingKernels k, int n, float[] x, int xOff, float[] out) {
    k.tanh(n, x, xOff, out, 0);
  }

  @Override
  protected void derivative(TrainingKernels k, int n, float[] y, float[] dy, float[] dx) {
    k.tanhBackward(n, y, 0, dy, 0, dx, 0);
  }
}
