package simdlearn.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.PackedMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * An affine layer {@code y = x W^T + b}. The weight is {@code outputs x inputs}, the layout of
 * PyTorch's {@code nn.Linear}: the forward pass is a GEMM with W transposed and the weight
 * gradient {@code dY^T X} comes out in the same layout. The bias (optional) is {@code 1 x outputs}
 * and never decays.
 *
 * <p>Narrow layers ({@value #GATHERED_MAX_OUTPUTS} outputs or fewer: a classifier's head on pixels)
 * read gathered pixel bytes in place with the kernel's gathered GEMMs; wider ones are fed floats,
 * since their GEMMs are long enough to repay one float copy of the shard.
 */
public final class Linear implements Layer {
  public static final LayerType TYPE = LayerType.of("linear", Spec.class);
  /** Up to this many outputs, pixels are read as bytes by the gathered GEMMs. */
  public static final int GATHERED_MAX_OUTPUTS = 16;
  /**
   * Columns per block of a deferred weight gradient: 13 blocks for 784 inputs, enough for two
   * threads claiming them to finish together; a multiple of the kernels' vector and panel widths.
   */
  static final int WEIGHT_BLOCK_COLUMNS = 64;

  private final int inputs;
  private final int outputs;
  private final Shape inputShape;
  private final Shape outputShape;
  private final FloatMatrix weight;
  private final FloatMatrix bias;
  private final List<Parameter> parameters;
  /** W^T laid out for the forward GEMM by {@link #packWeight}; null until then. */
  private PackedMatrix packedWeight;

  public Linear(int inputs, int outputs, boolean bias) {
    if (inputs <= 0 || outputs <= 0) {
      throw new IllegalArgumentException("a linear layer needs inputs and outputs > 0, got "
          + inputs + " -> " + outputs);
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.inputShape = Shape.features(inputs);
    this.outputShape = Shape.features(outputs);
    this.weight = FloatMatrix.zeros(outputs, inputs);
    this.bias = bias ? FloatMatrix.zeros(1, outputs) : null;
    this.parameters = bias ? List.of(Parameter.of("weight", weight), Parameter.bias("bias", this.bias))
        : List.of(Parameter.of("weight", weight));
  }

  /**
   * The model-file entry ({@code in_features}, {@code out_features} and {@code bias} of
   * PyTorch's {@code nn.Linear}).
   */
  public record Spec(int inputs, int outputs, boolean bias) implements LayerSpec {
    public Spec {
      if (inputs <= 0 || outputs <= 0) {
        throw new IllegalArgumentException("a linear layer needs inputs and outputs > 0, got "
            + inputs + " -> " + outputs);
      }
    }

    @Override
    public String type() {
      return "linear";
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Linear(inputs, outputs, bias);
    }

    @Override
    public long parameterCount(Shape input) {
      return (long) inputs * outputs + (bias ? outputs : 0);
    }

    /** {@code linear(784->256)}, {@code linear(3->1, no bias)}. */
    @Override
    public String toString() {
      return "linear(" + inputs + "->" + outputs + (bias ? "" : ", no bias") + ")";
    }
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public int outputs() {
    return outputs;
  }

  /** {@code outputs x inputs}, shared: training updates it in place. */
  public FloatMatrix weight() {
    return weight;
  }

  /** {@code 1 x outputs}, shared; null without a bias. */
  public FloatMatrix bias() {
    return bias;
  }

  public boolean hasBias() {
    return bias != null;
  }

  @Override
  public List<Parameter> parameters() {
    return parameters;
  }

  /** Draws the weights from {@code init} (fan-in: inputs, fan-out: outputs), zeroes the bias. */
  @Override
  public void initialise(Init init, SplittableRandom rng) {
    init.fill(weight.data(), weight.offset(), inputs * outputs, inputs, outputs, rng);
    if (bias != null) {
      bias.fill(0f);
    }
  }

  @Override
  public boolean readsGatheredBytes() {
    return outputs <= GATHERED_MAX_OUTPUTS;
  }

  /**
   * Whether a {@linkplain #newShardState shard state} leaves this layer's weight gradient to
   * {@link #addGradient} over the whole minibatch: wide layers, which are fed
   * floats. Their gradient is as large as the weight (800 KiB for 784 x 256); one product per
   * block of it, shard after shard, replaces a product per shard and a serial sum of the copies.
   */
  boolean defersWeightGradient() {
    return !readsGatheredBytes();
  }

  /**
   * A shard's gradients; {@code dW} is null when the weight gradient is deferred, and then
   * {@link #dOutT} holds the output gradient transposed (outputs x rows), packed as the left
   * factor of {@code dOut^T X} for {@link #addWeightGradient}.
   */
  private final class Grads implements State {
    final float[] dW;
    final float[] dB;
    /** The input rows and row count of the last deferred backward. */
    private Rows input;
    private int rows = -1;
    private PackedMatrix dOutT;
    /** The pack for the other row count a shard sees (a minibatch's short last shard). */
    private PackedMatrix spare;

    Grads(float[] dW, float[] dB) {
      this.dW = dW;
      this.dB = dB;
    }

    @Override
    public float[] gradient(int i) {
      return i == 0 ? dW : dB;
    }

    /** Storage for dOut^T of {@code rows} rows: kept, or swapped with the spare, or made. */
    PackedMatrix packFor(TrainingKernels k, int rows) {
      if (!fits(dOutT, k, rows)) {
        PackedMatrix t = spare;
        spare = dOutT;
        dOutT = fits(t, k, rows) ? t : k.newPackedA(outputs, rows);
      }
      return dOutT;
    }

    private static boolean fits(PackedMatrix p, TrainingKernels k, int rows) {
      return p != null && p.cols() == rows && p.backend() == k.backend();
    }
  }

  @Override
  public State newState(int capacity) {
    return new Grads(new float[outputs * inputs], bias == null ? null : new float[outputs]);
  }

  @Override
  public State newShardState(int capacity) {
    return defersWeightGradient()
        ? new Grads(null, bias == null ? null : new float[outputs]) : newState(capacity);
  }

  /** A deferred weight in column blocks; anything else in ranges. */
  @Override
  public List<GradientBlock> gradientBlocks() {
    if (!defersWeightGradient()) {
      return Layer.super.gradientBlocks();
    }
    List<GradientBlock> blocks = new ArrayList<>(
        GradientBlock.columns(0, outputs, inputs, WEIGHT_BLOCK_COLUMNS));
    if (bias != null) {
      blocks.addAll(GradientBlock.ranges(1, outputs));
    }
    return blocks;
  }

  @Override
  public void addGradient(TrainingKernels k, GradientBlock b, State shard, boolean first,
      float[] grad, int gradOff) {
    Grads g = (Grads) shard;
    if (b.parameter() == 0 && g.dW == null) {
      addWeightGradient(k, g, b.offset(), b.cols(), first, grad, gradOff);
    } else {
      Layer.super.addGradient(k, b, shard, first, grad, gradOff);
    }
  }

  @Override
  public void packWeights(TrainingKernels k) {
    if (defersWeightGradient()) {
      packWeight(k, 0, inputs);
    }
  }

  @Override
  public void repackWeights(TrainingKernels k, GradientBlock b) {
    if (defersWeightGradient() && b.parameter() == 0) {
      packWeight(k, b.offset(), b.cols());
    }
  }

  /**
   * Columns {@code [col0, col0 + cols)} of one shard's weight gradient {@code dOut^T X} (its
   * float input rows, from a deferred {@link #backward}) into {@code dW} (outputs x inputs from
   * {@code dwOff}): written when {@code first}, else added. The vector
   * backend's packed product adds each element's sum with one rounding and its bits do not
   * depend on the block, so shard after shard this gives exactly the sum of per-shard gradients
   * in shard order. It reads dOut^T as backward packed it, once for all the blocks: the kernel's
   * fastest layout, which a product would otherwise make again for every block.
   */
  private void addWeightGradient(TrainingKernels k, Grads state, int col0, int cols,
      boolean first, float[] dW, int dwOff) {
    Rows in = state.input;
    int n = state.rows;
    if (in == null || in.isGathered()) {
      throw new IllegalStateException("a deferred weight gradient needs a backward on float rows");
    }
    PackedMatrix dOutT = state.dOutT;
    if (dOutT == null || dOutT.cols() != n) {
      throw new IllegalStateException("addWeightGradient for " + n + " rows after a backward of "
          + (dOutT == null ? "none" : dOutT.cols()));
    }
    k.gemmPackedA(dOutT, false, cols, 1f, in.floats(), in.offset() + col0, inputs,
        first ? 0f : 1f, dW, dwOff + col0, inputs);
  }

  /**
   * Packs input columns {@code [col0, col0 + cols)} of the weight, that is rows of W^T, for the
   * forward GEMMs of passes with {@link Pass#packedWeights} (wide layers only: narrow ones read
   * W in place). Disjoint column ranges may be packed at once, once the pack exists.
   */
  private void packWeight(TrainingKernels k, int col0, int cols) {
    if (packedWeight == null || packedWeight.backend() != k.backend()) {
      packedWeight = k.newPackedB(inputs, outputs);
    }
    k.packB(true, col0, col0 + cols, weight.data(), weight.offset(), inputs, packedWeight);
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    if (in.isGathered()) {
      k.gemmGatheredNT(n, outputs, inputs, in.bytes(), in.index(), in.from(), in.scale(),
          weight.data(), weight.offset(), inputs, out, 0, outputs);
    } else if (pass.packedWeights() && packedWeight != null) {
      k.gemmPackedB(false, n, 1f, in.floats(), in.offset(), inputs, packedWeight, 0f, out, 0,
          outputs);
    } else {
      k.gemm(false, true, n, outputs, inputs, 1f, in.floats(), in.offset(), inputs, weight.data(),
          weight.offset(), inputs, 0f, out, 0, outputs);
    }
    if (bias != null) {
      k.addRowVector(n, outputs, bias.data(), bias.offset(), out, 0);
    }
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    Grads g = (Grads) state;
    // dW = dY^T X lands directly in the weight's outputs x inputs layout.
    if (g.dW == null) {
      // Deferred: addGradient computes it for the whole minibatch, block by block.
      k.packA(true, dOut, 0, outputs, g.packFor(k, n));
      g.input = in;
      g.rows = n;
    } else if (in.isGathered()) {
      k.gemmTNGathered(n, outputs, inputs, dOut, 0, outputs, in.bytes(), in.index(), in.from(),
          in.scale(), g.dW, 0, inputs);
    } else {
      k.gemm(true, false, outputs, inputs, n, 1f, dOut, 0, outputs, in.floats(), in.offset(),
          inputs, 0f, g.dW, 0, inputs);
    }
    if (bias != null) {
      Arrays.fill(g.dB, 0f);
      k.addColumnSums(n, outputs, dOut, 0, g.dB, 0);
    }
    if (dIn != null) {
      k.gemm(false, false, n, inputs, outputs, 1f, dOut, 0, outputs, weight.data(),
          weight.offset(), inputs, 0f, dIn, 0, inputs);
    }
  }

  @Override
  public LayerSpec spec() {
    return new Spec(inputs, outputs, bias != null);
  }

  @Override
  public String toString() {
    return spec().toString();
  }
}
