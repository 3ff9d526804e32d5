package simdlearn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * Batch normalisation (d2l 7.5; PyTorch's {@code BatchNorm1d} on features, {@code BatchNorm2d} on
 * planes): each feature, or each channel over its whole plane, is normalised by the minibatch's
 * mean and variance in training and by running estimates in evaluation, then scaled by a learnt
 * {@code weight} (gamma) and shifted by a learnt {@code bias} (beta).
 *
 * <p>The statistics are the whole minibatch's, never one shard's: the layer
 * {@linkplain Layer#meetings meets the shards} once in each pass, summing their parts in shard
 * order, so the bits do not depend on the thread count. Sums run in double; the biased variance
 * normalises, the unbiased one ({@code n / (n - 1)}) enters the running variance, with
 * {@code running = (1 - momentum) * running + momentum * batch} as PyTorch. Weight decay does
 * not apply to gamma and beta.
 */
public final class BatchNorm implements Layer {
  public static final LayerType TYPE = LayerType.of("batch-norm", Spec.class);

  /** PyTorch's defaults. */
  public static final double EPS = 1e-5;

  public static final double MOMENTUM = 0.1;

  private final Shape shape;
  private final Spec spec;
  private final int channels;
  /** Values per channel in one example: 1 for features, height x width for planes. */
  private final int plane;
  private final FloatMatrix gamma;
  private final FloatMatrix beta;
  private final FloatMatrix runningMean;
  private final FloatMatrix runningVar;
  private final List<Parameter> parameters;
  private final List<StateTensor> buffers;
  /** The batch's sums at a meeting; written on the meeting thread only, between passes. */
  private final double[] totalSum;
  private final double[] totalProduct;

  /**
   * The model-file entry: PyTorch's {@code num_features}, {@code eps} and {@code momentum}.
   *
   * @param features features, or channels of planes
   * @param eps added to the variance
   * @param momentum weight of the batch in the running statistics
   */
  public record Spec(int features, double eps, double momentum) implements LayerSpec {
    public Spec {
      if (features <= 0 || !(eps > 0) || Double.isInfinite(eps) || !(momentum >= 0)
          || momentum > 1) {
        throw new IllegalArgumentException("impossible batch-norm: " + features + " features,"
            + " eps " + eps + " (> 0), momentum " + momentum + " (in [0, 1])");
      }
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public static Spec of(int features) {
      return new Spec(features, EPS, MOMENTUM);
    }

    @Override
    public String type() {
      return TYPE.name();
    }

    @Override
    public Layer build(Shape input, int position) {
      return new BatchNorm(input, this);
    }

    @Override
    public long parameterCount(Shape input) {
      return 2L * features;
    }

    /** {@code batch-norm(6)}, or with its settings when they are not PyTorch's. */
    @Override
    public String toString() {
      return "batch-norm(" + features
          + (eps == EPS && momentum == MOMENTUM ? "" : ", eps " + eps + ", momentum " + momentum)
          + ")";
    }
  }

  /**
   * @throws IllegalArgumentException if {@code input} has not {@code spec.features()} features
   *     (or channels)
   */
  public BatchNorm(Shape input, Spec spec) {
    int c = input instanceof Shape.Planes p ? p.channels() : input.size();
    if (c != spec.features()) {
      throw new IllegalArgumentException("batch-norm takes " + spec.features()
          + (input instanceof Shape.Planes ? " channels" : " features") + " but gets " + input);
    }
    this.shape = input;
    this.spec = spec;
    this.channels = c;
    this.plane = input.size() / c;
    this.gamma = FloatMatrix.zeros(1, c);
    this.beta = FloatMatrix.zeros(1, c);
    this.runningMean = FloatMatrix.zeros(1, c);
    this.runningVar = FloatMatrix.zeros(1, c);
    runningVar.fill(1f);
    this.parameters = List.of(Parameter.bias("weight", gamma), Parameter.bias("bias", beta));
    this.buffers = List.of(new StateTensor("running_mean", runningMean),
        new StateTensor("running_var", runningVar));
    this.totalSum = new double[c];
    this.totalProduct = new double[c];
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public List<StateTensor> buffers() {
    return buffers;
  }

  /** Gamma 1, beta 0, running mean 0 and variance 1, as PyTorch; draws nothing. */
  @Override
  public void initialise(Init init, SplittableRandom rng) {
    gamma.fill(1f);
    beta.fill(0f);
    runningMean.fill(0f);
    runningVar.fill(1f);
  }

  @Override
  public int meetings() {
    return 1;
  }

  /** One shard's sums and the batch figures it uses. */
  private static final class Figures implements State {
    final float[] dGamma;
    final float[] dBeta;
    /**
     * This shard's sums per channel: of x and x^2 after a forward's first half, of dy and
     * dy * xhat after a backward's.
     */
    final double[] sum;
    final double[] sumProduct;
    /** This shard's values per channel in its last partial pass, and the whole batch's. */
    long count;
    long batchCount;
    /** The batch's mean and 1 / sqrt(var + eps), then the scale and shift they give. */
    final float[] mean;
    final float[] invStd;
    final float[] scale;
    final float[] shift;
    /** The batch's mean of dy and of dy * xhat, per channel. */
    final float[] meanDy;
    final float[] meanDyXhat;
    /** The five rows {@link TrainingKernels#batchNormInputGradient} reads, filled before it. */
    final float[] stats;
    boolean forwardMet;
    boolean backwardMet;
    /** This state alone, for a pass that meets on one shard. */
    final State[] self = {this};

    Figures(int c) {
      dGamma = new float[c];
      dBeta = new float[c];
      sum = new double[c];
      sumProduct = new double[c];
      mean = new float[c];
      invStd = new float[c];
      scale = new float[c];
      shift = new float[c];
      meanDy = new float[c];
      meanDyXhat = new float[c];
      stats = new float[5 * c];
    }

    @Override
    public float[] gradient(int i) {
      return i == 0 ? dGamma : dBeta;
    }
  }

  @Override
  public State newState(int capacity) {
    return new Figures(channels);
  }

  /**
   * The shards' sums per channel added in shard order (never thread order) into
   * {@link #totalSum} and {@link #totalProduct}.
   */
  private void addShards(State[] shards, int used) {
    Arrays.fill(totalSum, 0);
    Arrays.fill(totalProduct, 0);
    for (int s = 0; s < used; s++) {
      Figures f = (Figures) shards[s];
      for (int c = 0; c < channels; c++) {
        totalSum[c] += f.sum[c];
        totalProduct[c] += f.sumProduct[c];
      }
    }
  }

  /** The shard's figures with its sums at zero, for a partial pass to add into. */
  private static Figures cleared(State state) {
    Figures f = (Figures) state;
    Arrays.fill(f.sum, 0);
    Arrays.fill(f.sumProduct, 0);
    return f;
  }

  @Override
  public void forwardPartial(TrainingKernels k, State state, Rows in, int n, Pass pass,
      int meeting) {
    Figures f = cleared(state);
    k.addChannelSums(n, channels, plane, in.floats(), in.offset(), f.sum, f.sumProduct);
    f.count = (long) n * plane;
  }

  @Override
  public void meetForward(TrainingKernels k, State[] shards, int used, int meeting) {
    long count = 0;
    for (int s = 0; s < used; s++) {
      count += ((Figures) shards[s]).count;
    }
    float m = (float) spec.momentum();
    float[] rm = runningMean.data();
    float[] rv = runningVar.data();
    int ro = runningMean.offset();
    int vo = runningVar.offset();
    addShards(shards, used);
    for (int c = 0; c < channels; c++) {
      double mean = totalSum[c] / count;
      double var = Math.max(totalProduct[c] / count - mean * mean, 0);
      float invStd = (float) (1 / Math.sqrt(var + spec.eps()));
      for (int s = 0; s < used; s++) {
        Figures f = (Figures) shards[s];
        f.mean[c] = (float) mean;
        f.invStd[c] = invStd;
        f.batchCount = count;
      }
      double unbiased = count > 1 ? var * count / (count - 1) : var;
      rm[ro + c] = (1 - m) * rm[ro + c] + m * (float) mean;
      rv[vo + c] = (1 - m) * rv[vo + c] + m * (float) unbiased;
    }
    for (int s = 0; s < used; s++) {
      ((Figures) shards[s]).forwardMet = true;
    }
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    Figures f = (Figures) state;
    float[] g = gamma.data();
    float[] b = beta.data();
    int go = gamma.offset();
    int bo = beta.offset();
    if (pass.isTraining()) {
      if (!f.forwardMet) {
        forwardPartial(k, f, in, n, pass, 0);
        meetForward(k, f.self, 1, 0);
      }
      f.forwardMet = false;
      for (int c = 0; c < channels; c++) {
        f.scale[c] = g[go + c] * f.invStd[c];
        f.shift[c] = b[bo + c] - f.mean[c] * f.scale[c];
      }
    } else {
      float[] rm = runningMean.data();
      float[] rv = runningVar.data();
      for (int c = 0; c < channels; c++) {
        float invStd = (float) (1 / Math.sqrt(rv[runningVar.offset() + c] + spec.eps()));
        f.scale[c] = g[go + c] * invStd;
        f.shift[c] = b[bo + c] - rm[runningMean.offset() + c] * f.scale[c];
      }
    }
    k.channelAffine(n, channels, plane, in.floats(), in.offset(), f.scale, f.shift, out, 0);
  }

  @Override
  public void backwardPartial(TrainingKernels k, State state, Rows in, float[] out, float[] dOut,
      int n, int meeting) {
    Figures f = cleared(state);
    k.addBatchNormGradientSums(n, channels, plane, in.floats(), in.offset(), dOut, 0, f.mean,
        f.invStd, f.sum, f.sumProduct);
    for (int c = 0; c < channels; c++) {
      f.dBeta[c] = (float) f.sum[c];
      f.dGamma[c] = (float) f.sumProduct[c];
    }
  }

  @Override
  public void meetBackward(TrainingKernels k, State[] shards, int used, int meeting) {
    long count = ((Figures) shards[0]).batchCount; // the forward pass's meeting counted it
    addShards(shards, used);
    for (int c = 0; c < channels; c++) {
      for (int s = 0; s < used; s++) {
        Figures f = (Figures) shards[s];
        f.meanDy[c] = (float) (totalSum[c] / count);
        f.meanDyXhat[c] = (float) (totalProduct[c] / count);
      }
    }
    for (int s = 0; s < used; s++) {
      ((Figures) shards[s]).backwardMet = true;
    }
  }

  /**
   * The shard's sums per channel (and, forward, its value count): {@code [count, sums...,
   * products...]} forward, {@code [sums..., products...]} backward.
   */
  @Override
  public double[] meetingPart(State state, int meeting, boolean forward) {
    Figures f = (Figures) state;
    return numbers(forward, f.count, c -> f.sum[c], c -> f.sumProduct[c]);
  }

  @Override
  public void setMeetingPart(State state, int meeting, boolean forward, double[] part) {
    Figures f = (Figures) state;
    long count = read(part, forward, "part", (c, v) -> f.sum[c] = v,
        (c, v) -> f.sumProduct[c] = v);
    if (forward) {
      f.count = count;
    }
  }

  /**
   * The batch's figures per channel: {@code [count, means..., 1/stds...]} forward,
   * {@code [mean dy..., mean dy*xhat...]} backward (floats, exact as doubles).
   */
  @Override
  public double[] meetingOutcome(State state, int meeting, boolean forward) {
    Figures f = (Figures) state;
    float[] a = forward ? f.mean : f.meanDy;
    float[] b = forward ? f.invStd : f.meanDyXhat;
    return numbers(forward, f.batchCount, c -> a[c], c -> b[c]);
  }

  @Override
  public void setMeetingOutcome(State state, int meeting, boolean forward, double[] outcome) {
    Figures f = (Figures) state;
    float[] a = forward ? f.mean : f.meanDy;
    float[] b = forward ? f.invStd : f.meanDyXhat;
    long count = read(outcome, forward, "outcome", (c, v) -> a[c] = (float) v,
        (c, v) -> b[c] = (float) v);
    if (forward) {
      f.batchCount = count;
      f.forwardMet = true;
    } else {
      f.backwardMet = true;
    }
  }

  /** Where {@link #read} puts channel c's number. */
  private interface Slot {
    void set(int c, double v);
  }

  /** {@code [count (forward only), a per channel..., b per channel...]}. */
  private double[] numbers(boolean forward, long count, IntToDoubleFunction a,
      IntToDoubleFunction b) {
    int at = forward ? 1 : 0;
    double[] values = new double[at + 2 * channels];
    if (forward) {
      values[0] = count;
    }
    for (int c = 0; c < channels; c++) {
      values[at + c] = a.applyAsDouble(c);
      values[at + channels + c] = b.applyAsDouble(c);
    }
    return values;
  }

  /** The reverse of {@link #numbers}: the channels into a and b; returns the count (forward). */
  private long read(double[] values, boolean forward, String what, Slot a, Slot b) {
    int at = forward ? 1 : 0;
    if (values.length != at + 2 * channels) {
      throw new IllegalArgumentException("a batch normalisation meeting's " + what + " has "
          + values.length + " numbers, not " + (at + 2 * channels));
    }
    for (int c = 0; c < channels; c++) {
      a.set(c, values[at + c]);
      b.set(c, values[at + channels + c]);
    }
    return forward ? (long) values[0] : 0;
  }

  /**
   * {@code dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))}, the means over the
   * whole minibatch.
   */
  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    Figures f = (Figures) state;
    if (!f.backwardMet) {
      backwardPartial(k, f, in, out, dOut, n, 0);
      meetBackward(k, f.self, 1, 0);
    }
    f.backwardMet = false;
    if (dIn == null) {
      return;
    }
    float[] g = gamma.data();
    float[] stats = f.stats;
    for (int c = 0; c < channels; c++) {
      stats[c] = f.mean[c];
      stats[channels + c] = f.invStd[c];
      stats[2 * channels + c] = g[gamma.offset() + c] * f.invStd[c];
      stats[3 * channels + c] = f.meanDy[c];
      stats[4 * channels + c] = f.meanDyXhat[c];
    }
    k.batchNormInputGradient(n, channels, plane, in.floats(), in.offset(), dOut, 0, stats, dIn,
        0);
  }

  @Override
  public String toString() {
    return spec.toString();
  }
}
