package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation's passes over a shard, with the scalar reference's bits
 * ({@code TrainingKernels.channelAffine}, {@code batchNormInputGradient}, {@code addChannelSums},
 * {@code addBatchNormGradientSums}). The element-wise passes run in lanes along each plane, or
 * across the channels of features; the statistics' sums run in the reference's eight chains of
 * doubles, four to a vector.
 */
final class BatchNormKernels {
  private BatchNormKernels() {}

  /** The chains of a plane's sums (TrainingKernels.addChannelSums): two vectors of four doubles. */
  private static final int CHAINS = 8;
  private static final VectorSpecies<Float> FOUR_FLOATS = FloatVector.SPECIES_128;
  private static final VectorSpecies<Double> FOUR_DOUBLES = DoubleVector.SPECIES_256;

  /**
   * Planes of a vector or more run in lanes per channel; features (plane 1) in lanes across the
   * channels, with the per-channel rows loaded as vectors.
   */
  static void channelAffine(int n, int channels, int plane, float[] x, int xOff, float[] scale,
      float[] shift, float[] out, int outOff) {
    if (plane == 1) {
      int bound = SPECIES.loopBound(channels);
      for (int r = 0; r < n; r++) {
        int at = r * channels;
        int c = 0;
        for (; c < bound; c += LANES) {
          FloatVector.fromArray(SPECIES, x, xOff + at + c)
              .mul(FloatVector.fromArray(SPECIES, scale, c))
              .add(FloatVector.fromArray(SPECIES, shift, c)).intoArray(out, outOff + at + c);
        }
        for (; c < channels; c++) {
          out[outOff + at + c] = x[xOff + at + c] * scale[c] + shift[c];
        }
      }
      return;
    }
    if (plane < LANES) {
      KernelProvider.SCALAR.channelAffine(n, channels, plane, x, xOff, scale, shift, out, outOff);
      return;
    }
    int bound = SPECIES.loopBound(plane);
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < channels; c++) {
        int at = (r * channels + c) * plane;
        float a = scale[c];
        float b = shift[c];
        int i = 0;
        for (; i < bound; i += LANES) {
          FloatVector.fromArray(SPECIES, x, xOff + at + i).mul(a).add(b)
              .intoArray(out, outOff + at + i);
        }
        for (; i < plane; i++) {
          out[outOff + at + i] = x[xOff + at + i] * a + b;
        }
      }
    }
  }

  /** As {@link #channelAffine}: lanes along each plane, or across the channels of features. */
  static void inputGradient(int n, int channels, int plane, float[] x, int xOff,
      float[] dy, int dyOff, float[] stats, float[] dx, int dxOff) {
    if (plane == 1) {
      int bound = SPECIES.loopBound(channels);
      for (int r = 0; r < n; r++) {
        int at = r * channels;
        int c = 0;
        for (; c < bound; c += LANES) {
          FloatVector xhat = FloatVector.fromArray(SPECIES, x, xOff + at + c)
              .sub(FloatVector.fromArray(SPECIES, stats, c))
              .mul(FloatVector.fromArray(SPECIES, stats, channels + c));
          FloatVector.fromArray(SPECIES, dy, dyOff + at + c)
              .sub(FloatVector.fromArray(SPECIES, stats, 3 * channels + c))
              .sub(xhat.mul(FloatVector.fromArray(SPECIES, stats, 4 * channels + c)))
              .mul(FloatVector.fromArray(SPECIES, stats, 2 * channels + c))
              .intoArray(dx, dxOff + at + c);
        }
        for (; c < channels; c++) {
          float xhat = (x[xOff + at + c] - stats[c]) * stats[channels + c];
          dx[dxOff + at + c] = stats[2 * channels + c]
              * (dy[dyOff + at + c] - stats[3 * channels + c] - xhat * stats[4 * channels + c]);
        }
      }
      return;
    }
    if (plane < LANES) {
      KernelProvider.SCALAR.batchNormInputGradient(n, channels, plane, x, xOff, dy, dyOff, stats,
          dx, dxOff);
      return;
    }
    int bound = SPECIES.loopBound(plane);
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < channels; c++) {
        float mean = stats[c];
        float invStd = stats[channels + c];
        float gain = stats[2 * channels + c];
        float mdy = stats[3 * channels + c];
        float mdyx = stats[4 * channels + c];
        int at = (r * channels + c) * plane;
        int i = 0;
        for (; i < bound; i += LANES) {
          FloatVector xhat = FloatVector.fromArray(SPECIES, x, xOff + at + i).sub(mean)
              .mul(invStd);
          FloatVector.fromArray(SPECIES, dy, dyOff + at + i).sub(mdy).sub(xhat.mul(mdyx))
              .mul(gain).intoArray(dx, dxOff + at + i);
        }
        for (; i < plane; i++) {
          float xhat = (x[xOff + at + i] - mean) * invStd;
          dx[dxOff + at + i] = gain * (dy[dyOff + at + i] - mdy - xhat * mdyx);
        }
      }
    }
  }

  /** {@code TrainingKernels.addChannelSums}: {@link #addPlaneSums} of x with itself. */
  static void addChannelSums(int n, int channels, int plane, float[] x, int xOff, double[] sums,
      double[] squares) {
    if (plane == 1) {
      addFeatureSums(n, channels, x, xOff, x, xOff, null, null, sums, squares);
    } else if (plane < CHAINS) {
      KernelProvider.SCALAR.addChannelSums(n, channels, plane, x, xOff, sums, squares);
    } else {
      addPlaneSums(n, channels, plane, x, xOff, x, xOff, null, null, sums, squares);
    }
  }

  /** {@code TrainingKernels.addBatchNormGradientSums}: {@link #addPlaneSums} of dy and xhat. */
  static void addGradientSums(int n, int channels, int plane, float[] x, int xOff, float[] dy,
      int dyOff, float[] mean, float[] invStd, double[] sums, double[] products) {
    if (plane == 1) {
      addFeatureSums(n, channels, dy, dyOff, x, xOff, mean, invStd, sums, products);
    } else if (plane < CHAINS) {
      KernelProvider.SCALAR.addBatchNormGradientSums(n, channels, plane, x, xOff, dy, dyOff,
          mean, invStd, sums, products);
    } else {
      addPlaneSums(n, channels, plane, dy, dyOff, x, xOff, mean, invStd, sums, products);
    }
  }

  /**
   * Per example and channel, the sum of a plane of {@code a} and of its products with
   * {@code (x - mean[c]) * invStd[c]} (x itself when {@code mean} is null), each in the reference's
   * eight chains: two vectors of four doubles, the values widened four at a time, then the
   * reference's fold and its tail in order. The chains wait on no add but their own, so a plane
   * goes through at the speed of its loads instead of one double add at a time (LeNet-BN's first
   * batch norm, JMH, batch 256: its backward pass 0.44 ms where the single chains took 1.28;
   * docs/benchmarks.md, session 9).
   */
  private static void addPlaneSums(int n, int channels, int plane, float[] a, int aOff,
      float[] x, int xOff, float[] mean, float[] invStd, double[] sums, double[] products) {
    int whole = plane - plane % CHAINS;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < channels; c++) {
        int at = (r * channels + c) * plane;
        int ai = aOff + at;
        int xi = xOff + at;
        float m = mean == null ? 0f : mean[c];
        float inv = invStd == null ? 1f : invStd[c];
        DoubleVector s0 = DoubleVector.zero(FOUR_DOUBLES);
        DoubleVector s1 = s0;
        DoubleVector q0 = s0;
        DoubleVector q1 = s0;
        for (int i = 0; i < whole; i += CHAINS) {
          DoubleVector a0 = widen(FloatVector.fromArray(FOUR_FLOATS, a, ai + i));
          DoubleVector a1 = widen(FloatVector.fromArray(FOUR_FLOATS, a, ai + i + 4));
          // The statistics' second factor is the value itself: (x - 0) * 1 is x, bit for bit.
          DoubleVector b0 = mean == null ? a0
              : widen(FloatVector.fromArray(FOUR_FLOATS, x, xi + i).sub(m).mul(inv));
          DoubleVector b1 = mean == null ? a1
              : widen(FloatVector.fromArray(FOUR_FLOATS, x, xi + i + 4).sub(m).mul(inv));
          s0 = s0.add(a0);
          s1 = s1.add(a1);
          q0 = a0.fma(b0, q0);
          q1 = a1.fma(b1, q1);
        }
        double s = fold(s0.add(s1));
        double q = fold(q0.add(q1));
        for (int i = whole; i < plane; i++) {
          double g = a[ai + i];
          s += g;
          q = Math.fma(g, (x[xi + i] - m) * inv, q);
        }
        sums[c] += s;
        products[c] += q;
      }
    }
  }

  /**
   * {@link #addPlaneSums} for features (planes of one value): each plane's sums are then one
   * term, {@code 0 + g} and {@code fma(g, xhat, 0)} as the reference's chain makes them, added
   * into its channel's total in example order; four channels go in lanes, their totals in
   * vectors.
   */
  private static void addFeatureSums(int n, int channels, float[] a, int aOff, float[] x,
      int xOff, float[] mean, float[] invStd, double[] sums, double[] products) {
    DoubleVector zero = DoubleVector.zero(FOUR_DOUBLES);
    int c = 0;
    for (int bound = channels - channels % 4; c < bound; c += 4) {
      DoubleVector s = DoubleVector.fromArray(FOUR_DOUBLES, sums, c);
      DoubleVector q = DoubleVector.fromArray(FOUR_DOUBLES, products, c);
      FloatVector m = mean == null ? FloatVector.zero(FOUR_FLOATS)
          : FloatVector.fromArray(FOUR_FLOATS, mean, c);
      FloatVector inv = invStd == null ? FloatVector.broadcast(FOUR_FLOATS, 1f)
          : FloatVector.fromArray(FOUR_FLOATS, invStd, c);
      for (int r = 0; r < n; r++) {
        int at = r * channels + c;
        DoubleVector g = widen(FloatVector.fromArray(FOUR_FLOATS, a, aOff + at));
        DoubleVector xhat =
            widen(FloatVector.fromArray(FOUR_FLOATS, x, xOff + at).sub(m).mul(inv));
        s = s.add(zero.add(g));
        q = q.add(g.fma(xhat, zero));
      }
      s.intoArray(sums, c);
      q.intoArray(products, c);
    }
    for (; c < channels; c++) {
      float m = mean == null ? 0f : mean[c];
      float inv = invStd == null ? 1f : invStd[c];
      for (int r = 0; r < n; r++) {
        int at = r * channels + c;
        double g = a[aOff + at];
        sums[c] += 0 + g;
        products[c] += Math.fma(g, (x[xOff + at] - m) * inv, 0);
      }
    }
  }

  private static DoubleVector widen(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 0);
  }

  /** Chains 0-3 plus 4-7 lane by lane, folded as the reference: (0 + 2) + (1 + 3). */
  private static double fold(DoubleVector v) {
    return (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
  }
}
