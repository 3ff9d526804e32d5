package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import simdlearn.kernel.training.ScratchPool;

/**
 * Vector building blocks whose results do not depend on whether HotSpot runs them interpreted or
 * compiled, so a training run is a function of its seed alone.
 *
 * <p>Two Vector API operations are not like that: {@code reduceLanes(ADD)} sums lanes in order when
 * interpreted but may reassociate when C2 compiles it, and {@code lanewise(EXP)} is Intel's SVML
 * when compiled but {@code Math.exp} per lane when interpreted. When a method gets compiled depends
 * on timing, so two runs could differ in the last bits. Here, sums fold halves with fixed shuffles
 * and exp is a polynomial, both made only of exactly rounded IEEE operations (add, mul, fma, bit
 * moves) that give the same bits in every mode; {@link #exp(float)} is the scalar twin used for
 * tails, bit-identical lane by lane.
 */
final class StableMath {
  private StableMath() {}

  /** Shuffles swapping lane i with lane i ^ h, for h = LANES/2 ... 1. */
  // Constant shuffles swapping lane i with lane i ^ h (null where the species is too narrow):
  // constants let C2 unroll the fold and keep the vector in registers.
  private static final VectorShuffle<Float> FOLD32 = fold(32);
  private static final VectorShuffle<Float> FOLD16 = fold(16);
  private static final VectorShuffle<Float> FOLD8 = fold(8);
  private static final VectorShuffle<Float> FOLD4 = fold(4);
  private static final VectorShuffle<Float> FOLD2 = fold(2);
  private static final VectorShuffle<Float> FOLD1 = fold(1);

  private static VectorShuffle<Float> fold(int h) {
    return LANES > h ? VectorShuffle.fromOp(SPECIES, i -> i ^ h) : null;
  }

  private static final FloatVector ZERO = FloatVector.zero(SPECIES);
  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);

  /** Sum of the lanes in a fixed pairwise order (species of up to 64 lanes). */
  static float sumLanes(FloatVector acc) {
    // A constant as receiver: C2 knows its exact class, not always an accumulator's (a loop phi),
    // and a call it must guard on the receiver's class boxes the vector.
    FloatVector v = ZERO.add(acc);
    if (LANES > 32) {
      v = v.add(v.rearrange(FOLD32));
    }
    if (LANES > 16) {
      v = v.add(v.rearrange(FOLD16));
    }
    if (LANES > 8) {
      v = v.add(v.rearrange(FOLD8));
    }
    if (LANES > 4) {
      v = v.add(v.rearrange(FOLD4));
    }
    if (LANES > 2) {
      v = v.add(v.rearrange(FOLD2));
    }
    if (LANES > 1) {
      v = v.add(v.rearrange(FOLD1));
    }
    return v.lane(0);
  }

  // Cephes expf: e^x = 2^n * e^r with n = round(x / ln 2), r = x - n ln 2 in two parts.
  private static final float HI = 88.0f; // keeps 2^n finite (n <= 127)
  private static final float LO = -87.33654f; // below this e^x is not a normal float: flush to 0
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
  private static final float ROUND = 12582912f;
  private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;

  /**
   * {@code x[off + i] = e^x[off + i]} for {@code i < n}: within 2 ulp of the true value for inputs
   * in [-87.3, 88], and 0 below.
   */
  static void expInPlace(float[] x, int off, int n) {
    expScaled(x, off, 1f, x, off, n, false);
  }

  /**
   * {@code out[outOff + i] = sigmoid(x[xOff + i]) = 1 / (1 + e^-x[xOff + i])} for {@code i < n}
   * (out may be x), in one pass: e^-x stays in registers instead of a scratch row.
   */
  static void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
    expScaled(x, xOff, -1f, out, outOff, n, true);
  }

  /** Floats a block of {@link #expScaled} takes through its two passes. */
  private static final int BLOCK = 512;

  /** A block's reduced arguments and powers of two, between the passes. */
  private static final ScratchPool<float[]> PASSES = new ScratchPool<>(() -> new float[2 * BLOCK]);

  /**
   * {@code out[outOff + i] = e^(scale x[xOff + i])}, or {@code 1 / (1 + that)} when
   * {@code reciprocal}: the two share one copy of the polynomial, and C2 splits the loop on the
   * invariant flag. The polynomial is written out inside {@link #finish}'s loop on purpose: C2
   * declined to inline a {@code FloatVector exp(FloatVector)} helper ("too big"), and a vector
   * crossing a call that is not inlined is boxed on the heap, once per 16 floats.
   *
   * <p>Each block of {@link #BLOCK} floats goes through two passes with the same operations as
   * one: the range reduction (r and 2^n, the flush to 0 folded into 2^n), then the polynomial and
   * what follows. One vector's operations form a chain of some 60 cycles, and a single loop keeps
   * too few vectors in flight to fill the FMA units (about 19 cycles a vector on Zen 3, 14 in two
   * passes); the halves' shorter chains overlap more. Storing r and 2^n and loading them back
   * changes no bit, and neither does the folded flush: y is positive and finite wherever the
   * argument was clamped, so {@code y * +0} is the blend's +0.
   */
  private static void expScaled(float[] x, int xOff, float scale, float[] out, int outOff, int n,
      boolean reciprocal) {
    int bound = SPECIES.loopBound(n);
    if (bound > 0) {
      float[] passes = PASSES.borrow();
      try {
        for (int from = 0; from < bound; from += BLOCK) {
          int to = Math.min(bound, from + BLOCK);
          reduce(x, xOff + from, scale, passes, to - from);
          finish(passes, out, outOff + from, to - from, reciprocal);
        }
      } finally {
        PASSES.release(passes);
      }
    }
    for (int i = bound; i < n; i++) {
      float e = exp(x[xOff + i] * scale);
      out[outOff + i] = reciprocal ? 1f / (e + 1f) : e;
    }
  }

  /**
   * The first pass over {@code n} floats (whole vectors, n <= {@link #BLOCK}): {@code r} of
   * {@code scale x} into {@code passes[0, n)}, its power of two (+0 where e^x flushes to 0) into
   * {@code passes[BLOCK, BLOCK + n)}.
   */
  private static void reduce(float[] x, int xOff, float scale, float[] passes, int n) {
    for (int i = 0; i < n; i += LANES) {
      FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i).mul(scale);
      // The clamp as compare-and-blend: max and min must keep Java's NaN and -0 rules, which
      // C2 spells in four instructions each on AVX2; a blend gives the same lanes here (NaN
      // fails both compares and stays NaN) and the mask is needed again for the flush below.
      VectorMask<Float> low = v.lt(LO);
      FloatVector c = v.blend(LO, low);
      c = c.blend(HI, c.compare(VectorOperators.GT, HI));
      FloatVector t = c.fma(LOG2E, ROUND);
      FloatVector k = t.sub(ROUND);
      FloatVector r = k.fma(FloatVector.broadcast(SPECIES, -LN2_HI), c);
      r = k.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
      r.intoArray(passes, i);
      // Reinterpret through constant species: C2 intrinsifies only constant-species conversions.
      IntVector bits = ((IntVector) t.reinterpretShape(VectorKernels.INTS, 0)).sub(ROUND_BITS)
          .add(127).lanewise(VectorOperators.LSHL, 23);
      ((FloatVector) bits.reinterpretShape(SPECIES, 0)).blend(ZERO, low)
          .intoArray(passes, BLOCK + i);
    }
  }

  /** The second pass: {@code out[outOff + i]} from the first pass's r and power of two. */
  private static void finish(float[] passes, float[] out, int outOff, int n, boolean reciprocal) {
    for (int i = 0; i < n; i += LANES) {
      FloatVector r = FloatVector.fromArray(SPECIES, passes, i);
      FloatVector z = r.mul(r);
      FloatVector y = r.fma(P0, P1);
      y = y.fma(r, FloatVector.broadcast(SPECIES, P2));
      y = y.fma(r, FloatVector.broadcast(SPECIES, P3));
      y = y.fma(r, FloatVector.broadcast(SPECIES, P4));
      y = y.fma(r, FloatVector.broadcast(SPECIES, P5));
      y = y.fma(z, r).add(1f);
      FloatVector e = y.mul(FloatVector.fromArray(SPECIES, passes, BLOCK + i));
      if (reciprocal) {
        e = ONE.div(e.add(1f));
      }
      e.intoArray(out, outOff + i);
    }
  }

  /** The scalar twin of {@link #expInPlace}'s lanes: the same operations, the same bits. */
  static float exp(float x) {
    float c = Math.min(Math.max(x, LO), HI);
    float t = Math.fma(c, LOG2E, ROUND);
    float n = t - ROUND;
    float r = Math.fma(n, -LN2_HI, c);
    r = Math.fma(n, -LN2_LO, r);
    float z = r * r;
    float y = Math.fma(r, P0, P1);
    y = Math.fma(y, r, P2);
    y = Math.fma(y, r, P3);
    y = Math.fma(y, r, P4);
    y = Math.fma(y, r, P5);
    y = Math.fma(y, z, r) + 1f;
    float pow2n = Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUND_BITS + 127) << 23);
    return x < LO ? 0f : y * pow2n;
  }
}
