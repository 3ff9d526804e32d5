package simdlearn.nn;

import java.util.Arrays;
import simdlearn.kernel.training.TrainingKernels;

/**
 * A stride-1 convolution computed from its planes, with no im2col copy
 * ({@link TrainingKernels#gemmShiftedPlanes}, {@link TrainingKernels#addShiftedDots}).
 *
 * <p>The planes (copied with their zero padding when the layer pads) are read in place: output
 * position {@code (y, x)} is counted as {@code y * wp + x} in rows of the padded width
 * {@code wp}, so the window at kernel offset {@code (c, i, j)} is the planes shifted by
 * {@code c hp wp + i wp + j}; the forward pass computes each output row's positions straight
 * into the output planes ({@link TrainingKernels#gemmShiftedPlanes}), the bias added after the
 * chain as the im2col path does: it gives that path's bits. The weight gradient reads the output
 * gradients laid out in rows of {@code wp}, an output row's last {@code kw - 1} positions there
 * zeros ({@link TrainingKernels#addShiftedDotsOfPlanes} lays out one example at a time). The
 * input gradient is the same product ({@link TrainingKernels#gemmShifted}) over the
 * output gradients padded by {@code kh - 1 - ph, kw - 1 - pw} (a row's right padding is the next
 * row's left, see {@link #wq}), with the kernels turned half a turn and the channels swapped (a
 * full correlation), so the padding must be below the kernel's size. Where that product would
 * multiply many zeros of the padding (LeNet's second layer), the input gradient takes a group of
 * examples in the lanes instead ({@link InputGradientInLanes}), with the same bits.
 *
 * <p>With eight output channels or more the forward pass and the weight gradient put the
 * channels in the vector lanes instead ({@link TrainingKernels#gemmWindows},
 * {@link TrainingKernels#addWindowsTGemm}): only the real output positions are computed (LeNet's
 * second convolution has 100 of them where rows of {@code wp} count 136), from the window
 * origins of each position, against the weights transposed. The forward pass keeps its bits.
 */
final class ShiftedConvolution {
  private final int channels;
  private final int height;
  private final int width;
  private final int outChannels;
  private final int kh;
  private final int kw;
  private final int ph;
  private final int pw;
  private final int outHeight;
  private final int outWidth;
  /** The padded input planes' rows and width. */
  private final int hp;
  private final int wp;
  private final boolean padded;
  private final int[] shifts;
  /**
   * The output gradients' padded rows and row width, for the input gradient: a row holds its
   * left padding and its values, and the next row's left padding serves as its right padding
   * (a window reaches past a row by exactly that much), so no position of a row of {@code wq}
   * is dropped when the input has no padding (LeNet's second layer: rows of 14, not 18).
   */
  private final int hq;
  private final int wq;
  /** Input positions counted in rows of {@code wq}. */
  private final int backPositions;
  /**
   * The input gradient's rows in groups that read the same kernel rows: group g covers input
   * rows [backRows[g], backRows[g + 1]) and reads the turned kernel from row backFirst[g], the
   * other rows falling on the output gradient's zero padding (LeNet's second layer skips a third
   * of its products so). The turned kernel's offsets are ordered kernel row, channel, kernel
   * column, so a group's are one contiguous run, whose shifts are {@code backShifts[g]}.
   */
  private final int[] backRows;
  private final int[] backFirst;
  private final int[][] backShifts;
  /** Whether the channels go in the lanes; then each output position's window origin. */
  private final boolean channelsInLanes;
  private final int[] origins;
  /** The input gradient with the examples in the lanes, where it computes less; else null. */
  private final InputGradientInLanes examplesInLanes;

  /** Whether a convolution of this geometry can run here: stride 1, padding below the kernel. */
  static boolean fits(Conv2d.Spec spec) {
    return spec.strideHeight() == 1 && spec.strideWidth() == 1
        && spec.paddingHeight() < spec.kernelHeight() && spec.paddingWidth() < spec.kernelWidth();
  }

  ShiftedConvolution(Shape.Planes input, Conv2d.Spec spec) {
    this(input, spec, null);
  }

  /**
   * With {@code inLanes} null the input gradient takes the examples in the lanes when that
   * computes at most {@link #LANES_SHARE} of the planes' multiply-adds (the transposes in and out
   * cost the rest); true or false forces one way (tests compare them).
   */
  ShiftedConvolution(Shape.Planes input, Conv2d.Spec spec, Boolean inLanes) {
    this.channels = input.channels();
    this.height = input.height();
    this.width = input.width();
    this.outChannels = spec.outChannels();
    this.kh = spec.kernelHeight();
    this.kw = spec.kernelWidth();
    this.ph = spec.paddingHeight();
    this.pw = spec.paddingWidth();
    this.hp = height + 2 * ph;
    this.wp = width + 2 * pw;
    this.outHeight = hp - kh + 1;
    this.outWidth = wp - kw + 1;
    this.padded = ph > 0 || pw > 0;
    this.shifts = shifts(channels, hp, wp);
    this.hq = outHeight + 2 * (kh - 1 - ph);
    this.wq = outWidth + (kw - 1 - pw);
    this.backPositions = (height - 1) * wq + width;
    BackGroups back = backGroups();
    this.backRows = back.rows();
    this.backFirst = back.first();
    this.backShifts = back.shifts();
    this.channelsInLanes = outChannels >= CHANNELS_IN_LANES;
    this.origins = new int[outHeight * outWidth];
    for (int y = 0; y < outHeight; y++) {
      for (int x = 0; x < outWidth; x++) {
        origins[y * outWidth + x] = y * wp + x;
      }
    }
    InputGradientInLanes lanes = new InputGradientInLanes(channels, height, width, outChannels,
        kh, kw, ph, pw);
    boolean useLanes = inLanes != null ? inLanes
        : lanes.multiplyAdds() <= LANES_SHARE * planesMultiplyAdds();
    this.examplesInLanes = useLanes ? lanes : null;
  }

  /**
   * The share of the planes' multiply-adds below which the input gradient takes the examples in
   * the lanes: LeNet's second layer computes 0.71 of them so (240K useful of 365K, 259K), its
   * batch-normalised variant's 0.55; a wide plane with little padding about 1.0.
   */
  static final double LANES_SHARE = 0.8;

  /**
   * The vector the planes' cost is counted in: AVX2's, the narrowest this runs on, where the planes
   * waste the least (wider vectors cover more of the padding, so the lanes gain more there).
   */
  private static final int PLANES_LANES = 8;

  /**
   * Multiply-adds an example of the planes' input gradient computes: each group of rows takes its
   * run of kernel offsets at every position of its span, in vectors of {@link #PLANES_LANES} as
   * {@link TrainingKernels#gemmShifted} covers a row (pairs of vectors, then one more pair or
   * vector over the rest).
   */
  private long planesMultiplyAdds() {
    int lane = PLANES_LANES;
    long sum = 0;
    for (int g = 0; g < backShifts.length; g++) {
      int span = (backRows[g + 1] - backRows[g] - 1) * wq + width;
      int rest = span % (2 * lane);
      long covered = span - rest + (rest > lane ? 2 * lane : rest > 0 ? lane : 0);
      sum += (long) backShifts[g].length * covered * channels;
    }
    return sum;
  }

  private record BackGroups(int[] rows, int[] first, int[][] shifts) {}

  /** The input gradient's groups of rows (see {@link #backRows}). */
  private BackGroups backGroups() {
    int groups = 0;
    int[] rows = new int[height + 1];
    int[] first = new int[height];
    int[] last = new int[height];
    int top = kh - 1 - ph;
    for (int y = 0; y < height; y++) {
      int lo = Math.max(0, top - y);
      int hi = Math.min(kh, top + outHeight - y);
      if (groups == 0 || first[groups - 1] != lo || last[groups - 1] != hi) {
        rows[groups] = y;
        first[groups] = lo;
        last[groups] = hi;
        groups++;
      }
    }
    rows[groups] = height;
    int[][] runs = new int[groups][];
    for (int g = 0; g < groups; g++) {
      int[] run = new int[(last[g] - first[g]) * outChannels * kw];
      int t = 0;
      for (int i = first[g]; i < last[g]; i++) {
        for (int o = 0; o < outChannels; o++) {
          for (int j = 0; j < kw; j++) {
            run[t++] = o * hq * wq + i * wq + j;
          }
        }
      }
      runs[g] = run;
    }
    return new BackGroups(Arrays.copyOf(rows, groups + 1), Arrays.copyOf(first, groups), runs);
  }

  /**
   * Output channels from which they go in the lanes: one AVX2 vector. Below it (LeNet's first
   * convolution has 6) the positions fill the lanes better.
   */
  static final int CHANNELS_IN_LANES = 8;

  /** The distance of each window offset (plane, row, column) into padded planes. */
  private int[] shifts(int planes, int rows, int rowWidth) {
    int[] s = new int[planes * kh * kw];
    int t = 0;
    for (int c = 0; c < planes; c++) {
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          s[t++] = c * rows * rowWidth + i * rowWidth + j;
        }
      }
    }
    return s;
  }

  /**
   * A shard's buffers: its padded inputs (when the layer pads), its output gradients transposed
   * (with the channels in the lanes; else null), one example's padded output gradient, the
   * turned weights, one example's product (positions x channels with the channels in the lanes,
   * or an input gradient in rows of {@code wq}) and the input gradient's in the lanes. Zeros
   * where they are never written (the padding, the positions between rows) stay zeros.
   */
  record Buffers(float[] planes, float[] dyRows, float[] dyPadded, float[] turned,
      float[] product, InputGradientInLanes.Buffers lanes) {}

  /**
   * With the channels in the lanes, {@code dyRows} holds each example's output gradient
   * transposed (positions x channels) and {@code turned} also serves as the transposed weights
   * and weight gradient.
   */
  Buffers newBuffers(int capacity) {
    int outPositions = outHeight * outWidth;
    boolean planesGradient = examplesInLanes == null;
    return new Buffers(padded ? new float[capacity * channels * hp * wp] : null,
        channelsInLanes ? new float[capacity * outChannels * outPositions] : null,
        // the last row's right padding after the rows
        planesGradient ? new float[outChannels * hq * wq + kw - 1 - pw] : null,
        new float[channels * outChannels * kh * kw],
        new float[Math.max(channelsInLanes ? outChannels * outPositions : 0,
            planesGradient ? channels * backPositions : 0)],
        planesGradient ? null : examplesInLanes.newBuffers());
  }

  /** Where example r's planes start: in its padded copy, or in the input in place. */
  private int planesAt(int inOff, int r) {
    return padded ? r * channels * hp * wp : inOff + r * channels * height * width;
  }

  /**
   * The forward pass of n examples (input at {@code inOff}, output planes at {@code out}).
   *
   * @param bias the bias, or null
   */
  void forward(TrainingKernels k, float[] weight, int weightOff, float[] bias, int biasOff,
      Buffers b, float[] in, int inOff, int n, float[] out) {
    int patch = channels * kh * kw;
    int ins = channels * height * width;
    int outs = outChannels * outHeight * outWidth;
    float[] planes = padded ? b.planes : in;
    if (channelsInLanes) {
      k.transpose(outChannels, patch, weight, weightOff, patch, b.turned, 0, outChannels);
    }
    for (int r = 0; r < n; r++) {
      if (padded) {
        pad(k, in, inOff + r * ins, b.planes, r * channels * hp * wp);
      }
      if (channelsInLanes) {
        k.gemmWindows(outHeight * outWidth, outChannels, patch, planes, planesAt(inOff, r),
            origins, shifts, b.turned, 0, outChannels, b.product, 0, outChannels);
        planesFromLanes(k, b.product, bias, biasOff, out, r * outs);
        continue;
      }
      k.gemmShiftedPlanes(outChannels, outHeight, outWidth, wp, patch, weight, weightOff, patch,
          shifts, planes, planesAt(inOff, r), bias, biasOff, out, r * outs,
          outHeight * outWidth);
    }
  }

  /** Example planes into the padded copy's interior (its border is zeros). */
  private void pad(TrainingKernels k, float[] in, int from, float[] planes, int to) {
    for (int c = 0; c < channels; c++) {
      k.copyRows(height, width, in, from + c * height * width, width, planes,
          to + (c * hp + ph) * wp + pw, wp);
    }
  }

  /** One example's outputs, positions x channels, into its planes with the bias. */
  private void planesFromLanes(TrainingKernels k, float[] product, float[] bias, int biasOff,
      float[] out, int to) {
    int plane = outHeight * outWidth;
    k.transpose(plane, outChannels, product, 0, outChannels, out, to, plane);
    if (bias == null) {
      return;
    }
    for (int c = 0; c < outChannels; c++) {
      int o = to + c * plane;
      k.copyRowsAdding(1, plane, out, o, plane, bias[biasOff + c], out, o, plane);
    }
  }

  /**
   * {@code dW} (zeros on entry) {@code = sum over the shard of dY_r (planes_r through the
   * shifts)}: the output gradients read from their planes in rows of {@code wp}, or with the
   * channels in the lanes, transposed first.
   */
  void addWeightGradient(TrainingKernels k, Buffers b, float[] in, int inOff, float[] dOut,
      int n, float[] dW) {
    int patch = channels * kh * kw;
    int outs = outChannels * outHeight * outWidth;
    float[] planes = padded ? b.planes : in;
    int stride = padded ? channels * hp * wp : channels * height * width;
    if (channelsInLanes) {
      int plane = outHeight * outWidth;
      for (int r = 0; r < n; r++) {
        k.transpose(outChannels, plane, dOut, r * outs, plane, b.dyRows, r * outs, outChannels);
      }
      Arrays.fill(b.turned, 0, patch * outChannels, 0f);
      k.addWindowsTGemm(patch, outChannels, outHeight * outWidth, n, planes, planesAt(inOff, 0),
          stride, origins, shifts, b.dyRows, 0, outChannels, outs, b.turned, 0, outChannels);
      k.transpose(patch, outChannels, b.turned, 0, outChannels, dW, 0, patch);
      return;
    }
    k.addShiftedDotsOfPlanes(outChannels, patch, outHeight, outWidth, wp, n, dOut, 0, outs,
        planes, planesAt(inOff, 0), shifts, stride, dW, 0, patch);
  }

  /** {@code dIn} (overwritten) from the output gradients: a full correlation per example. */
  void inputGradient(TrainingKernels k, float[] weight, int weightOff, Buffers b, float[] dOut,
      int n, float[] dIn) {
    if (examplesInLanes != null) {
      examplesInLanes.inputGradient(k, weight, weightOff, b.lanes, dOut, n, dIn);
      return;
    }
    int patch = channels * kh * kw;
    int depth = outChannels * kh * kw;
    for (int o = 0; o < outChannels; o++) {
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < kh; i++) {
          for (int j = 0; j < kw; j++) {
            b.turned[c * depth + (i * outChannels + o) * kw + j] =
                weight[weightOff + o * patch + (c * kh + kh - 1 - i) * kw + kw - 1 - j];
          }
        }
      }
    }
    int ins = channels * height * width;
    int outs = outChannels * outHeight * outWidth;
    int top = kh - 1 - ph;
    int left = kw - 1 - pw;
    // Rows of the input's own width (no padding) are its planes: the product goes there.
    boolean inPlanes = wq == width;
    for (int r = 0; r < n; r++) {
      for (int o = 0; o < outChannels; o++) {
        k.copyRows(outHeight, outWidth, dOut, r * outs + o * outHeight * outWidth, outWidth,
            b.dyPadded, (o * hq + top) * wq + left, wq);
      }
      for (int g = 0; g < backShifts.length; g++) {
        int from = backRows[g] * wq;
        int span = (backRows[g + 1] - backRows[g] - 1) * wq + width;
        k.gemmShifted(channels, span, backShifts[g].length, b.turned,
            backFirst[g] * outChannels * kw, depth, backShifts[g], b.dyPadded, from,
            inPlanes ? dIn : b.product, (inPlanes ? r * ins : 0) + from, backPositions);
      }
      if (inPlanes) {
        continue;
      }
      for (int c = 0; c < channels; c++) {
        k.copyRows(height, width, b.product, c * backPositions, wq, dIn,
            r * ins + c * height * width, width);
      }
    }
  }
}
