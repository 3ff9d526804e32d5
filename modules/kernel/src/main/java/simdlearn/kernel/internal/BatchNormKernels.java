package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import simdlearn.kernel.training.ScratchPool;

/**
 * Batch normalisation's passes over a shard, with the scalar reference's bits
 * ({@code TrainingKernels.channelAffine}, {@code batchNormInputGradient}, {@code addChannelSums}).
 * The element-wise passes run in lanes along each plane, or across the channels of features. The
 * statistics' sums are chains in double whose order is part of the result, so they stay scalar
 * chains in the plane's order, but the planes are widened to double in lanes first and four
 * examples' chains run side by side: 0.28 ms for a shard of LeNet-BN's first layer (128 x 6 x 24
 * x 24) where the plain loop took 0.49. The gradient's sums gained nothing so (0.44-0.46 ms
 * against 0.44, with the products widened too) and stay the scalar loop.
 */
final class BatchNormKernels {
  private BatchNormKernels() {}

  /** Doubles in the preferred shape, and as many floats: widened a vector at a time. */
  private static final VectorSpecies<Double> DOUBLES =
      VectorSpecies.of(double.class, SPECIES.vectorShape());
  private static final VectorSpecies<Float> HALF =
      VectorSpecies.of(float.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));
  /** Examples whose sums run side by side: independent chains hide each add's latency. */
  private static final int EXAMPLES = 4;
  /** Planes from which widening ahead pays (features run the scalar loop). */
  private static final int WIDE_PLANE = 8;

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

  static void addChannelSums(int n, int channels, int plane, float[] x, int xOff, double[] sums,
      double[] squares) {
    int stride = channels * plane;
    int r = 0;
    if (plane >= WIDE_PLANE) {
      Widened w = WIDENED.borrow();
      double[] d = w.of(EXAMPLES * plane);
      for (; r + EXAMPLES <= n; r += EXAMPLES) {
        for (int c = 0; c < channels; c++) {
          for (int e = 0; e < EXAMPLES; e++) {
            widen(x, xOff + (r + e) * stride + c * plane, plane, d, e * plane);
          }
          addChains(d, plane, sums, squares, c);
        }
      }
      WIDENED.release(w);
    }
    KernelProvider.SCALAR.addChannelSums(n - r, channels, plane, x, xOff + r * stride, sums,
        squares);
  }

  /** {@code d[to + i] = x[from + i]} widened to double in lanes. */
  private static void widen(float[] x, int from, int len, double[] d, int to) {
    int i = 0;
    for (int bound = HALF.loopBound(len); i < bound; i += HALF.length()) {
      ((DoubleVector) FloatVector.fromArray(HALF, x, from + i)
          .convertShape(VectorOperators.F2D, DOUBLES, 0)).intoArray(d, to + i);
    }
    for (; i < len; i++) {
      d[to + i] = x[from + i];
    }
  }

  /**
   * The {@link #EXAMPLES} widened planes' sums of values and of squares, each a chain from 0 in
   * the plane's order, added into {@code sums[c]} and {@code squares[c]} in example order.
   */
  private static void addChains(double[] d, int plane, double[] sums, double[] squares, int c) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    for (int i = 0; i < plane; i++) {
      double v0 = d[i];
      double v1 = d[plane + i];
      double v2 = d[2 * plane + i];
      double v3 = d[3 * plane + i];
      s0 += v0;
      s1 += v1;
      s2 += v2;
      s3 += v3;
      q0 += v0 * v0;
      q1 += v1 * v1;
      q2 += v2 * v2;
      q3 += v3 * v3;
    }
    sums[c] += s0;
    sums[c] += s1;
    sums[c] += s2;
    sums[c] += s3;
    squares[c] += q0;
    squares[c] += q1;
    squares[c] += q2;
    squares[c] += q3;
  }

  /** A borrowed row of doubles, grown as needed. */
  private static final class Widened {
    private double[] d = new double[0];

    double[] of(int n) {
      if (d.length < n) {
        d = new double[n];
      }
      return d;
    }
  }

  private static final ScratchPool<Widened> WIDENED = new ScratchPool<>(Widened::new);
}
