package simdlearn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.ScratchPool;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.kernel.training.Windows;
import simdlearn.optim.Parameter;

/**
 * A 2-D convolution (PyTorch's {@code nn.Conv2d}, cross-correlation, no dilation or groups):
 * {@code inChannels} planes in, {@code outChannels} planes out, each output plane the sum over
 * input channels of a {@code kh x kw} kernel slid with padding and stride, plus a bias.
 *
 * <p>The weight is {@code outChannels x (inChannels kh kw)}, which is PyTorch's
 * {@code out x in x kh x kw} in row-major order, so weights move between the two unchanged. A
 * layer of stride 1 with padding below its kernel's size and output planes larger than 7x7 reads
 * its windows from the planes in place ({@code ShiftedConvolution}, no columns). Otherwise each
 * example's windows are laid out as columns ({@link Windows#im2col}; laid out again in the
 * backward pass rather than kept) and the forward pass is one GEMM {@code W cols}; the weight
 * gradient is {@code dY cols^T} summed over the shard's examples in order, the input gradient
 * {@code W^T dY} added back into the planes ({@link Windows#col2imAdd}); planes of at most 7x7
 * put the shard's examples side by side.
 */
public final class Conv2d implements Layer {
  public static final LayerType TYPE = LayerType.of("conv2d", Spec.class);

  private final Shape.Planes input;
  private final Shape.Planes output;
  private final Spec spec;
  private final Windows windows;
  private final FloatMatrix weight;
  private final FloatMatrix bias;
  private final List<Parameter> parameters;
  /** Floats of one example's columns: patch size times output positions. */
  private final int colSize;

  /**
   * The model-file entry, as PyTorch's {@code Conv2d} arguments.
   *
   * @param inChannels input planes
   * @param outChannels output planes (kernels)
   * @param kernelHeight kernel rows
   * @param kernelWidth kernel columns
   * @param paddingHeight zeros above and below
   * @param paddingWidth zeros left and right
   * @param strideHeight vertical step
   * @param strideWidth horizontal step
   * @param bias whether each output plane has a bias
   */
  public record Spec(int inChannels, int outChannels, int kernelHeight, int kernelWidth,
      int paddingHeight, int paddingWidth, int strideHeight, int strideWidth, boolean bias)
      implements LayerSpec {
    public Spec {
      if (inChannels <= 0 || outChannels <= 0 || kernelHeight <= 0 || kernelWidth <= 0
          || paddingHeight < 0 || paddingWidth < 0 || strideHeight <= 0 || strideWidth <= 0) {
        throw new IllegalArgumentException("impossible conv2d: " + inChannels + " -> "
            + outChannels + " channels, kernel " + kernelHeight + "x" + kernelWidth
            + ", padding " + paddingHeight + "x" + paddingWidth + ", stride " + strideHeight
            + "x" + strideWidth);
      }
    }

    /** A square kernel with the same padding and stride in both directions, and a bias. */
    public static Spec of(int inChannels, int outChannels, int kernel, int padding, int stride) {
      return new Spec(inChannels, outChannels, kernel, kernel, padding, padding, stride, stride,
          true);
    }

    @Override
    public String type() {
      return "conv2d";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Conv2d(planes(input, inChannels, "conv2d"), this);
    }

    @Override
    public long parameterCount(Shape input) {
      return (long) outChannels * inChannels * kernelHeight * kernelWidth
          + (bias ? outChannels : 0);
    }

    /** {@code conv2d(1->6, 5x5, pad 2)}. */
    @Override
    public String toString() {
      return "conv2d(" + inChannels + "->" + outChannels + ", " + kernelHeight + "x" + kernelWidth
          + (paddingHeight == 0 && paddingWidth == 0 ? ""
              : ", pad " + pair(paddingHeight, paddingWidth))
          + (strideHeight == 1 && strideWidth == 1 ? ""
              : ", stride " + pair(strideHeight, strideWidth))
          + (bias ? "" : ", no bias") + ")";
    }
  }

  static String pair(int a, int b) {
    return a == b ? Integer.toString(a) : a + "x" + b;
  }

  /**
   * The planes a windowed layer reads: {@code input} when it has {@code channels} channels
   * (any when {@code channels} is 0).
   *
   * @throws IllegalArgumentException naming the layer when the input is not planes
   */
  static Shape.Planes planes(Shape input, int channels, String layer) {
    if (!(input instanceof Shape.Planes p)) {
      throw new IllegalArgumentException(layer + " takes channels x height x width planes, not "
          + input + " features");
    }
    if (channels > 0 && p.channels() != channels) {
      throw new IllegalArgumentException(layer + " takes " + channels + " channels but gets "
          + p.channels() + " (" + p + ")");
    }
    return p;
  }

  public Conv2d(Shape.Planes input, Spec spec) {
    this.input = input;
    this.spec = spec;
    this.windows = new Windows(input.channels(), input.height(), input.width(),
        spec.kernelHeight(), spec.kernelWidth(), spec.paddingHeight(), spec.paddingWidth(),
        spec.strideHeight(), spec.strideWidth());
    this.output = new Shape.Planes(spec.outChannels(), windows.outHeight(), windows.outWidth());
    this.colSize = windows.patchSize() * windows.outHeight() * windows.outWidth();
    this.wide = windows.outHeight() * windows.outWidth() <= WIDE_MAX_POSITIONS;
    this.shifted = !wide && ShiftedConvolution.fits(spec) ? new ShiftedConvolution(input, spec)
        : null;
    this.weight = FloatMatrix.zeros(spec.outChannels(), windows.patchSize());
    this.bias = spec.bias() ? FloatMatrix.zeros(1, spec.outChannels()) : null;
    this.parameters = bias == null ? List.of(Parameter.of("weight", weight))
        : List.of(Parameter.of("weight", weight), Parameter.bias("bias", bias));
  }

  @Override
  public LayerSpec spec() {
    return spec;
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
  public List<Parameter> parameters() {
    return parameters;
  }

  /** Fan-in: input channels times the kernel's area; fan-out: output channels times it. */
  @Override
  public void initialise(Init init, SplittableRandom rng) {
    int area = spec.kernelHeight() * spec.kernelWidth();
    init.fill(weight.data(), weight.offset(), weight.size(), spec.inChannels() * area,
        spec.outChannels() * area, rng);
    if (bias != null) {
      bias.fill(0f);
    }
  }

  /**
   * Output planes of at most this many positions (7x7) are computed for the whole shard at once:
   * one example's product there ({@code out x positions x patch}, down to a matrix-vector
   * product on a 1x1 plane) is narrower than the GEMM's panels and reads the whole weight for a
   * few columns, as ResNet's later stages do; the shard's columns side by side make it one wide
   * product. Larger planes (LeNet's) keep one product per example, whose columns stay in cache.
   */
  static final int WIDE_MAX_POSITIONS = 49;

  /** Whether this layer's products run over the shard's examples side by side. */
  private final boolean wide;
  /** A stride-1 layer's products straight from its planes, no columns; else null. */
  private final ShiftedConvolution shifted;

  /** A shard's gradients, and a shifted layer's buffers (null for the column paths). */
  private record Grads(float[] dW, float[] dB, ShiftedConvolution.Buffers planes)
      implements State {
    @Override
    public float[] gradient(int i) {
      return i == 0 ? dW : dB;
    }
  }

  @Override
  public State newState(int capacity) {
    float[] dW = new float[weight.size()];
    float[] dB = bias == null ? null : new float[bias.size()];
    return new Grads(dW, dB, shifted == null ? null : shifted.newBuffers(capacity));
  }

  /**
   * The column paths' buffers, borrowed for one pass of one layer and shared by every layer and
   * shard (as many sets as passes run at once): a pass lays its columns out afresh, so none
   * outlives it. Kept per shard they were ResNet-18's largest buffers (1.06 MB an image, the
   * columns 0.94 of it); laying them out again in the backward pass costs an im2col, which the
   * batch im2col's speed pays back (docs/benchmarks.md, session 6).
   */
  private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

  /** Columns, and a wide layer's outputs (or their gradients) side by side; grown, never shrunk. */
  private static final class Scratch {
    private float[] cols = new float[0];
    private float[] products = new float[0];

    float[] cols(int size) {
      if (cols.length < size) {
        cols = new float[size];
      }
      return cols;
    }

    float[] products(int size) {
      if (products.length < size) {
        products = new float[size];
      }
      return products;
    }
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    Grads g = (Grads) state;
    if (shifted != null) {
      shifted.forward(k, weight.data(), weight.offset(), bias == null ? null : bias.data(),
          bias == null ? 0 : bias.offset(), g.planes, in.floats(), in.offset(), n, out);
      return;
    }
    Scratch scratch = SCRATCH.borrow();
    try {
      if (wide) {
        forwardWide(k, scratch, in, n, out);
      } else {
        forwardColumns(k, scratch, in, n, out);
      }
    } finally {
      SCRATCH.release(scratch);
    }
  }

  /** One GEMM per example, with its columns. */
  private void forwardColumns(TrainingKernels k, Scratch scratch, Rows in, int n, float[] out) {
    int ins = input.size();
    int outs = output.size();
    int positions = windows.outHeight() * windows.outWidth();
    int patch = windows.patchSize();
    float[] cols = scratch.cols(colSize);
    for (int r = 0; r < n; r++) {
      windows.im2col(in.floats(), in.offset() + r * ins, cols, 0);
      k.gemm(false, false, spec.outChannels(), positions, patch, 1f, weight.data(),
          weight.offset(), patch, cols, 0, positions, 0f, out, r * outs, positions);
      if (bias != null) {
        for (int c = 0; c < spec.outChannels(); c++) {
          float b = bias.data()[bias.offset() + c];
          int at = r * outs + c * positions;
          for (int p = 0; p < positions; p++) {
            out[at + p] += b;
          }
        }
      }
    }
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    Grads g = (Grads) state;
    Scratch scratch = shifted == null ? SCRATCH.borrow() : null;
    try {
      if (wide) {
        backwardWide(k, g, scratch, in, dOut, n, dIn);
      } else {
        backwardPlanes(k, g, scratch, in, dOut, n, dIn);
      }
    } finally {
      if (scratch != null) {
        SCRATCH.release(scratch);
      }
    }
  }

  /** The backward pass of a shifted layer or, with {@code scratch}, of one GEMM per example. */
  private void backwardPlanes(TrainingKernels k, Grads g, Scratch scratch, Rows in, float[] dOut,
      int n, float[] dIn) {
    int ins = input.size();
    int outs = output.size();
    int positions = windows.outHeight() * windows.outWidth();
    int patch = windows.patchSize();
    // dW = sum over the shard's examples of dY_r cols_r^T: dots of rows, which need no
    // transposed copy of the columns (a packed GEMM's would cost more than its arithmetic), each
    // summed over the whole shard before its lanes are added up.
    Arrays.fill(g.dW, 0f);
    float[] cols = null;
    if (shifted != null) {
      shifted.addWeightGradient(k, g.planes, in.floats(), in.offset(), dOut, n, g.dW);
    } else {
      cols = scratch.cols(n * colSize);
      for (int r = 0; r < n; r++) {
        windows.im2col(in.floats(), in.offset() + r * ins, cols, r * colSize);
      }
      k.addRowDots(spec.outChannels(), patch, positions, n, dOut, 0, positions, outs, cols, 0,
          positions, colSize, g.dW, 0, patch);
    }
    if (bias != null) {
      Arrays.fill(g.dB, 0f);
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < spec.outChannels(); c++) {
          g.dB[c] += k.sum(positions, dOut, r * outs + c * positions);
        }
      }
    }
    if (dIn != null && shifted != null) {
      shifted.inputGradient(k, weight.data(), weight.offset(), g.planes, dOut, n, dIn);
    } else if (dIn != null) {
      // dW has used the columns: the first example's space takes each column gradient in turn.
      Arrays.fill(dIn, 0, n * ins, 0f);
      for (int r = 0; r < n; r++) {
        k.gemm(true, false, patch, positions, spec.outChannels(), 1f, weight.data(),
            weight.offset(), patch, dOut, r * outs, positions, 0f, cols, 0, positions);
        windows.col2imAdd(cols, 0, dIn, r * ins);
      }
    }
  }

  /**
   * The shard's columns side by side ({@code patch x n positions}, example r from column
   * {@code r * positions}) times the weights in one product; the result back to each example's
   * planes, with the bias.
   */
  private void forwardWide(TrainingKernels k, Scratch scratch, Rows in, int n, float[] out) {
    int ins = input.size();
    int outs = output.size();
    int positions = windows.outHeight() * windows.outWidth();
    int patch = windows.patchSize();
    int ld = n * positions;
    float[] cols = sideBySideColumns(scratch, in, n);
    int channels = spec.outChannels();
    float[] products = scratch.products(channels * ld);
    k.gemm(false, false, channels, ld, patch, 1f, weight.data(), weight.offset(), patch, cols,
        0, ld, 0f, products, 0, ld);
    for (int c = 0; c < channels; c++) {
      float b = bias == null ? 0f : bias.data()[bias.offset() + c];
      for (int r = 0; r < n; r++) {
        int from = c * ld + r * positions;
        int to = r * outs + c * positions;
        for (int p = 0; p < positions; p++) {
          out[to + p] = products[from + p] + b;
        }
      }
    }
  }

  /** The shard's columns side by side, {@code patch x n positions}, in the borrowed scratch. */
  private float[] sideBySideColumns(Scratch scratch, Rows in, int n) {
    int positions = windows.outHeight() * windows.outWidth();
    int ld = n * positions;
    float[] cols = scratch.cols(windows.patchSize() * ld);
    windows.im2col(in.floats(), in.offset(), input.size(), n, cols, 0, ld);
    return cols;
  }

  /**
   * The wide layer's backward: the output gradients side by side, then {@code dW = dY cols^T}
   * and {@code dCols = W^T dY} as one product each over the shard.
   */
  private void backwardWide(TrainingKernels k, Grads g, Scratch scratch, Rows in, float[] dOut,
      int n, float[] dIn) {
    int ins = input.size();
    int outs = output.size();
    int positions = windows.outHeight() * windows.outWidth();
    int patch = windows.patchSize();
    int ld = n * positions;
    int channels = spec.outChannels();
    float[] products = scratch.products(channels * ld);
    for (int c = 0; c < channels; c++) {
      k.copyRows(n, positions, dOut, c * positions, outs, products, c * ld, positions);
    }
    float[] cols = sideBySideColumns(scratch, in, n);
    k.gemm(false, true, channels, patch, ld, 1f, products, 0, ld, cols, 0, ld, 0f, g.dW, 0,
        patch);
    if (bias != null) {
      for (int c = 0; c < channels; c++) {
        g.dB[c] = k.sum(ld, products, c * ld);
      }
    }
    if (dIn != null) {
      // The columns are spent once dW has them: their gradient takes their place.
      k.gemm(true, false, patch, ld, channels, 1f, weight.data(), weight.offset(), patch,
          products, 0, ld, 0f, cols, 0, ld);
      Arrays.fill(dIn, 0, n * ins, 0f);
      windows.col2imAdd(cols, 0, ld, n, dIn, 0, ins);
    }
  }

  @Override
  public String toString() {
    return spec.toString();
  }
}
