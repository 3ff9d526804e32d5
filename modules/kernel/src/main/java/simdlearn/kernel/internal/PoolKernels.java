package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * 2 x 2 average pooling at stride 2 in lanes ({@code TrainingKernels.avgPool2x2} and
 * {@code avgPool2x2Backward}), with the scalar reference's bits: a vector of means reads two
 * vectors of each input row and splits them into even and odd columns with constant shuffles, so
 * each mean still adds its four terms from 0 in the window's order. The scalar loop read with a
 * stride of 2 and ran a short row (LeNet's 14 means) outside C2's unrolled loop.
 */
final class PoolKernels {
  private PoolKernels() {}

  private static final int HALF = LANES / 2;
  /** Lane i < HALF takes lane 2i (+1 for odd); lane i >= HALF takes 2(i - HALF) (+1). */
  private static final VectorShuffle<Float> EVEN_LO = shuffle(0, false);
  private static final VectorShuffle<Float> EVEN_HI = shuffle(0, true);
  private static final VectorShuffle<Float> ODD_LO = shuffle(1, false);
  private static final VectorShuffle<Float> ODD_HI = shuffle(1, true);
  /** Lane i takes lane i / 2, or HALF + i / 2: a vector of gradients, each twice. */
  private static final VectorShuffle<Float> TWICE_LO = VectorShuffle.fromOp(SPECIES, i -> i / 2);
  private static final VectorShuffle<Float> TWICE_HI =
      VectorShuffle.fromOp(SPECIES, i -> HALF + i / 2);
  private static final VectorMask<Float> UPPER =
      VectorMask.fromLong(SPECIES, ((1L << LANES) - 1) & ~((1L << HALF) - 1));
  private static final FloatVector ZERO = FloatVector.zero(SPECIES);

  private static VectorShuffle<Float> shuffle(int odd, boolean upper) {
    return VectorShuffle.fromOp(SPECIES,
        i -> upper ? (i >= HALF ? 2 * (i - HALF) + odd : 0) : (i < HALF ? 2 * i + odd : 0));
  }

  static void avgPool2x2(int planes, int h, int w, float[] x, int xOff, float[] out, int outOff) {
    int oh = h / 2;
    int ow = w / 2;
    if (ow < LANES) {
      KernelProvider.SCALAR.avgPool2x2(planes, h, w, x, xOff, out, outOff);
      return;
    }
    for (int p = 0; p < planes; p++) {
      for (int oy = 0; oy < oh; oy++) {
        int top = xOff + (p * h + 2 * oy) * w;
        int o = outOff + (p * oh + oy) * ow;
        int ox = 0;
        for (; ox + LANES <= ow; ox += LANES) {
          means(x, top, w, ox, out, o);
        }
        if (ox < ow) {
          // The last vector ends at the row's end, again over some means: the same values.
          means(x, top, w, ow - LANES, out, o);
        }
      }
    }
  }

  /** LANES means from output column {@code ox} of the row whose windows start at {@code top}. */
  private static void means(float[] x, int top, int w, int ox, float[] out, int o) {
    int at = top + 2 * ox;
    FloatVector t0 = FloatVector.fromArray(SPECIES, x, at);
    FloatVector t1 = FloatVector.fromArray(SPECIES, x, at + LANES);
    FloatVector b0 = FloatVector.fromArray(SPECIES, x, at + w);
    FloatVector b1 = FloatVector.fromArray(SPECIES, x, at + w + LANES);
    ZERO.add(t0.rearrange(EVEN_LO).blend(t1.rearrange(EVEN_HI), UPPER))
        .add(t0.rearrange(ODD_LO).blend(t1.rearrange(ODD_HI), UPPER))
        .add(b0.rearrange(EVEN_LO).blend(b1.rearrange(EVEN_HI), UPPER))
        .add(b0.rearrange(ODD_LO).blend(b1.rearrange(ODD_HI), UPPER))
        .mul(0.25f).intoArray(out, o + ox);
  }

  static void avgPool2x2Backward(int planes, int h, int w, float[] dOut, int dOutOff,
      float[] dx, int dxOff) {
    int oh = h / 2;
    int ow = w / 2;
    if (ow < LANES || h % 2 == 1 || w % 2 == 1) {
      KernelProvider.SCALAR.avgPool2x2Backward(planes, h, w, dOut, dOutOff, dx, dxOff);
      return;
    }
    for (int p = 0; p < planes; p++) {
      for (int oy = 0; oy < oh; oy++) {
        int top = dxOff + (p * h + 2 * oy) * w;
        int o = dOutOff + (p * oh + oy) * ow;
        int ox = 0;
        for (; ox + LANES <= ow; ox += LANES) {
          quarters(dOut, o, ox, dx, top, w);
        }
        if (ox < ow) {
          // Written, not added: the last vector may end at the row's end over some inputs again.
          quarters(dOut, o, ow - LANES, dx, top, w);
        }
      }
    }
  }

  /** The quarters of LANES means' gradients from column {@code ox}, each into its 2 x 2 inputs. */
  private static void quarters(float[] dOut, int o, int ox, float[] dx, int top, int w) {
    FloatVector g = ZERO.add(FloatVector.fromArray(SPECIES, dOut, o + ox).mul(0.25f));
    FloatVector lo = g.rearrange(TWICE_LO);
    FloatVector hi = g.rearrange(TWICE_HI);
    int at = top + 2 * ox;
    lo.intoArray(dx, at);
    hi.intoArray(dx, at + LANES);
    lo.intoArray(dx, at + w);
    hi.intoArray(dx, at + w + LANES);
  }
}
