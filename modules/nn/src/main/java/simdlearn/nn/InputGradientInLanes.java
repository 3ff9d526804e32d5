package simdlearn.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import simdlearn.kernel.training.TrainingKernels;

/**
 * A stride-1 convolution's input gradient with a group of examples in the vector lanes: the full
 * correlation of {@link ShiftedConvolution#inputGradient}, each input position's chain over only
 * the kernel offsets that meet the output gradient.
 *
 * <p>Laid out in planes, a vector holds neighbouring positions of one example, so it must read
 * every kernel column that any of them needs, and the columns that fall on the output gradient's
 * padding are multiplied by zeros (LeNet's second layer: 365K multiply-adds an example for 240K
 * useful). Here a vector holds one position of {@link #GROUP} examples, so each position reads
 * only its own offsets: the output gradients of a group are transposed once (positions x
 * examples, one zero column either side of each row), each input row's positions are taken two at
 * a time ({@link TrainingKernels#gemmShifted} over a run of two positions' lanes, the 12-register
 * kernel), and the result is transposed back. A pair reads the offsets either of its positions
 * needs; the other one's extra terms read the zero columns.
 *
 * <p>Each input element is the FMA chain of the planes' path over the same terms in the same
 * order (kernel row, output channel, kernel column), less terms that multiply a zero of the
 * padding: adding {@code w * 0} leaves a sum unchanged, so the bits are those of the planes' path
 * for finite weights (a zero's sign aside).
 */
final class InputGradientInLanes {
  /**
   * Examples in the lanes: at least one vector (AVX2's 8; AVX-512's 16, where a pair of
   * positions of 8 examples was one vector, which {@link TrainingKernels#gemmShifted} runs with
   * six chains, too few to keep both FMA pipes busy). The bits do not depend on it.
   */
  static final int GROUP = Math.max(8, TrainingKernels.bestAvailable().lanes());

  private final int channels;
  private final int height;
  private final int width;
  private final int outChannels;
  private final int outHeight;
  private final int outWidth;
  /** A transposed output-gradient row: its values and a zero column either side. */
  private final int rowWidth;
  /** The first position of each block of an input row, and how many it has (2, or 1 last). */
  private final int[] blockX;
  private final int[] blockWidth;
  /** The terms of block b of input row y: {@code terms[y][b]}. */
  private final Terms[][] terms;
  /** The distinct term lists, and the floats their weights take. */
  private final List<Terms> lists;
  private final int weightFloats;

  /**
   * The kernel offsets one block reads, in chain order: {@code shifts[q]} is term q's distance in
   * the transposed output gradients from the block's first position, and its weights (a row per
   * input channel, {@code count()} long) start at {@code weightsAt} in the gathered weights, read
   * from {@code weightIndex} of the layer's.
   */
  private record Terms(int[] shifts, int[] weightIndex, int weightsAt) {
    int count() {
      return shifts.length;
    }
  }

  InputGradientInLanes(int channels, int height, int width, int outChannels, int kh, int kw,
      int ph, int pw) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.outChannels = outChannels;
    this.outHeight = height + 2 * ph - kh + 1;
    this.outWidth = width + 2 * pw - kw + 1;
    this.rowWidth = outWidth + 2;
    int blocks = (width + 1) / 2;
    this.blockX = new int[blocks];
    this.blockWidth = new int[blocks];
    for (int b = 0; b < blocks; b++) {
      blockX[b] = 2 * b;
      blockWidth[b] = Math.min(2, width - 2 * b);
    }
    int top = kh - 1 - ph;
    int left = kw - 1 - pw;
    Map<List<Integer>, Terms> distinct = new HashMap<>();
    this.lists = new ArrayList<>();
    this.terms = new Terms[height][blocks];
    int floats = 0;
    for (int y = 0; y < height; y++) {
      int i0 = Math.max(0, top - y);
      int i1 = Math.min(kh, top + outHeight - y);
      for (int b = 0; b < blocks; b++) {
        int x = blockX[b];
        int j0 = Math.max(0, left - (x + blockWidth[b] - 1));
        int j1 = Math.min(kw, left + outWidth - x);
        List<Integer> key = List.of(i0, i1, j0, j1);
        Terms t = distinct.get(key);
        if (t == null) {
          t = terms(i0, i1, j0, j1, kh, kw, top, left, floats);
          distinct.put(key, t);
          lists.add(t);
          floats += t.weightIndex.length;
        }
        terms[y][b] = t;
      }
    }
    this.weightFloats = floats;
  }

  private Terms terms(int i0, int i1, int j0, int j1, int kh, int kw, int top, int left,
      int weightsAt) {
    int count = Math.max(0, i1 - i0) * outChannels * Math.max(0, j1 - j0);
    int[] shifts = new int[count];
    int[] weightIndex = new int[channels * count];
    int patch = channels * kh * kw;
    int q = 0;
    for (int i = i0; i < i1; i++) {
      for (int o = 0; o < outChannels; o++) {
        for (int j = j0; j < j1; j++) {
          shifts[q] = ((o * outHeight + i - top) * rowWidth + j - left + 1) * GROUP;
          for (int c = 0; c < channels; c++) {
            weightIndex[c * count + q] = o * patch + (c * kh + kh - 1 - i) * kw + kw - 1 - j;
          }
          q++;
        }
      }
    }
    return new Terms(shifts, weightIndex, weightsAt);
  }

  /**
   * Multiply-adds an example computed here: a block's positions each take every term of the
   * block's list.
   */
  long multiplyAdds() {
    long sum = 0;
    for (int y = 0; y < height; y++) {
      for (int b = 0; b < blockX.length; b++) {
        sum += (long) terms[y][b].count() * blockWidth[b] * channels;
      }
    }
    return sum;
  }

  /**
   * A shard's buffers: the transposed output gradients (zero columns never written), the
   * transposed copy before its rows are spread, the transposed input gradient and the gathered
   * weights.
   */
  record Buffers(float[] dyLanes, float[] dyPacked, float[] dInLanes, float[] weights) {}

  Buffers newBuffers() {
    return new Buffers(new float[outChannels * outHeight * rowWidth * GROUP],
        new float[outChannels * outHeight * outWidth * GROUP],
        new float[channels * height * width * GROUP], new float[weightFloats]);
  }

  /** {@code dIn} (overwritten) from the output gradients of n examples. */
  void inputGradient(TrainingKernels k, float[] weight, int weightOff, Buffers b, float[] dOut,
      int n, float[] dIn) {
    for (Terms t : lists) {
      for (int e = 0; e < t.weightIndex.length; e++) {
        b.weights[t.weightsAt + e] = weight[weightOff + t.weightIndex[e]];
      }
    }
    int outs = outChannels * outHeight * outWidth;
    int ins = channels * height * width;
    int plane = height * width;
    for (int r = 0; r < n; r += GROUP) {
      // A short last group leaves the other lanes as they were: finite, computed, never read.
      int examples = Math.min(GROUP, n - r);
      k.transpose(examples, outs, dOut, r * outs, outs, b.dyPacked, 0, GROUP);
      k.copyRows(outChannels * outHeight, outWidth * GROUP, b.dyPacked, 0, outWidth * GROUP,
          b.dyLanes, GROUP, rowWidth * GROUP);
      for (int y = 0; y < height; y++) {
        for (int blk = 0; blk < blockX.length; blk++) {
          Terms t = terms[y][blk];
          int x = blockX[blk];
          k.gemmShifted(channels, blockWidth[blk] * GROUP, t.count(), b.weights, t.weightsAt,
              t.count(), t.shifts, b.dyLanes, (y * rowWidth + x) * GROUP, b.dInLanes,
              (y * width + x) * GROUP, plane * GROUP);
        }
      }
      k.transpose(ins, examples, b.dInLanes, 0, GROUP, dIn, r * ins, ins);
    }
  }
}
