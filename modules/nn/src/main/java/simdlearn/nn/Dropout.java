package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/**
 * Inverted dropout (d2l 4.6): while training, each element is zeroed with probability {@code p}
 * and the survivors are scaled by {@code 1 / (1 - p)}, so evaluation is the identity. Each row's
 * mask comes from {@link Pass#rowKey} (seed, this layer's salt, epoch, batch, row), never from the
 * thread that draws it.
 */
public final class Dropout implements Layer {
  public static final LayerType TYPE = LayerType.of("dropout", Spec.class);

  private final Shape shape;
  private final int width;
  private final float p;
  private final int salt;

  /**
   * @param p drop probability in [0, 1)
   * @param salt tells the masks of two dropout layers of one network apart (its position)
   */
  public Dropout(Shape shape, float p, int salt) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
    }
    this.shape = java.util.Objects.requireNonNull(shape, "shape");
    this.width = shape.size();
    this.p = p;
    this.salt = salt;
  }

  /** Dropout over {@code width} features. */
  public Dropout(int width, float p, int salt) {
    this(Shape.features(width), p, salt);
  }

  /**
   * The model-file entry.
   *
   * @param p the drop probability, as the decimal given (0.2, not 0.2000000029)
   */
  public record Spec(double p) implements LayerSpec {
    public Spec {
      if (!(p >= 0 && p < 1)) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
      }
    }

    @Override
    public String type() {
      return "dropout";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Dropout(input, (float) p, position);
    }

    @Override
    public String toString() {
      return "dropout(" + p + ")";
    }
  }

  public float p() {
    return p;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  /** The mask of the last training pass, and whether the last pass used one. */
  private static final class Mask implements State {
    final float[] values;
    boolean active;

    Mask(int size) {
      values = new float[size];
    }

    @Override
    public float[] gradient(int i) {
      throw new IndexOutOfBoundsException("dropout has no parameters");
    }
  }

  @Override
  public State newState(int capacity) {
    return new Mask(capacity * width);
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    Mask mask = (Mask) state;
    in.copyTo(k, n, out, 0);
    mask.active = pass.isTraining() && p > 0;
    if (!mask.active) {
      return;
    }
    float keep = 1f - p;
    for (int r = 0; r < n; r++) {
      k.dropoutMask(width, pass.rowKey(salt, r), keep, mask.values, r * width);
    }
    k.mul(n * width, out, 0, mask.values, 0, out, 0);
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    if (dIn == null) {
      return;
    }
    Mask mask = (Mask) state;
    if (mask.active) {
      k.mul(n * width, dOut, 0, mask.values, 0, dIn, 0);
    } else {
      System.arraycopy(dOut, 0, dIn, 0, n * width);
    }
  }

  @Override
  public LayerSpec spec() {
    return new Spec(Double.parseDouble(Float.toString(p))); // 0.2, not 0.2000000029
  }

  @Override
  public String toString() {
    return spec().toString();
  }
}
