package simdlearn.train;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;

/**
 * An affine model {@code y = x W^T + b}: {@code weight} is {@code outputs x inputs} (the layout of
 * PyTorch's {@code nn.Linear}, so the forward pass is a GEMM with B transposed and the weight
 * gradient {@code G^T X} comes out in the same layout) and {@code bias} is {@code 1 x outputs}.
 * Softmax regression is one with 10 outputs read as class logits; linear regression one output.
 */
public final class LinearModel {
  /** What the outputs mean. */
  public enum Kind {
    SOFTMAX_REGRESSION("softmax-regression"),
    LINEAR_REGRESSION("linear-regression");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Kind parse(String id) {
      for (Kind k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown model kind '" + id + "'");
    }
  }

  private final Kind kind;
  private final FloatMatrix weight;
  private final FloatMatrix bias;
  private final List<String> classNames;
  private final List<String> classNamesZh;
  private final int imageHeight;
  private final int imageWidth;

  /**
   * @param classNames one per output for softmax regression, empty otherwise
   * @param imageHeight height of the input images (0 when inputs are not images)
   */
  public LinearModel(Kind kind, FloatMatrix weight, FloatMatrix bias, List<String> classNames,
      List<String> classNamesZh, int imageHeight, int imageWidth) {
    this.kind = Objects.requireNonNull(kind, "kind");
    if (bias.size() != weight.rows()) {
      throw new IllegalArgumentException("bias " + bias + " does not match weight " + weight);
    }
    if (!classNames.isEmpty() && classNames.size() != weight.rows()) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for " + weight.rows() + " outputs");
    }
    if (imageHeight * imageWidth != 0 && imageHeight * imageWidth != weight.cols()) {
      throw new IllegalArgumentException("images of " + imageHeight + "x" + imageWidth
          + " do not give " + weight.cols() + " inputs");
    }
    this.weight = weight;
    this.bias = bias;
    this.classNames = List.copyOf(classNames);
    this.classNamesZh = List.copyOf(classNamesZh);
    this.imageHeight = imageHeight;
    this.imageWidth = imageWidth;
  }

  /**
   * A new model with weights drawn from N(0, std^2) by a generator seeded with {@code seed}
   * (std 0 gives zeros) and a zero bias, as d2l initialises both of its linear models.
   */
  public static LinearModel initialised(Kind kind, int outputs, int inputs, double std, long seed,
      List<String> classNames, List<String> classNamesZh, int imageHeight, int imageWidth) {
    FloatMatrix w = FloatMatrix.zeros(outputs, inputs);
    if (std > 0) {
      SplittableRandom rng = new SplittableRandom(seed);
      float[] d = w.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (rng.nextGaussian() * std);
      }
    }
    return new LinearModel(kind, w, FloatMatrix.zeros(1, outputs), classNames, classNamesZh,
        imageHeight, imageWidth);
  }

  public Kind kind() {
    return kind;
  }

  /** {@code outputs x inputs}, shared: training updates it in place. */
  public FloatMatrix weight() {
    return weight;
  }

  /** {@code 1 x outputs}, shared. */
  public FloatMatrix bias() {
    return bias;
  }

  public int inputs() {
    return weight.cols();
  }

  public int outputs() {
    return weight.rows();
  }

  public List<String> classNames() {
    return classNames;
  }

  public List<String> classNamesZh() {
    return classNamesZh;
  }

  public int imageHeight() {
    return imageHeight;
  }

  public int imageWidth() {
    return imageWidth;
  }

  /** {@code out[r, :] = x[r, :] W^T + b} for {@code rows} rows of {@code x} (row-major). */
  public void forward(Kernels k, int rows, float[] x, int xOff, float[] out, int outOff) {
    int in = inputs();
    int n = outputs();
    k.gemm(false, true, rows, n, in, 1f, x, xOff, in, weight.data(), weight.offset(), in, 0f,
        out, outOff, n);
    k.addRowVector(rows, n, bias.data(), bias.offset(), out, outOff);
  }

  /**
   * {@link #forward} on gathered rows of unsigned bytes (pixels), read in the kernel: row {@code r}
   * of the input is {@code scale * x[rows[rowsOff + r] * inputs() ..]}.
   */
  public void forwardGathered(Kernels k, int count, byte[] x, int[] rows, int rowsOff, float scale,
      float[] out, int outOff) {
    int n = outputs();
    k.gemmGatheredNT(count, n, inputs(), x, rows, rowsOff, scale, weight.data(), weight.offset(),
        inputs(), out, outOff, n);
    k.addRowVector(count, n, bias.data(), bias.offset(), out, outOff);
  }

  /** Class probabilities for one input (softmax regression): {@code probs.length == outputs()}. */
  public void predictProbabilities(Kernels k, float[] x, float[] probs) {
    forward(k, 1, x, 0, probs, 0);
    k.softmaxRows(1, outputs(), probs, 0, probs, 0, null, 0);
  }
}
