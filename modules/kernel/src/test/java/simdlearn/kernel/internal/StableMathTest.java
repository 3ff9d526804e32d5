package simdlearn.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class StableMathTest {
  static final int L = VectorKernels.LANES;

  @Test
  void sigmoidInOnePassGivesTheThreePassBits() {
    // Before it ran in one pass, sigmoid was -x into a scratch row, exp in place, then
    // 1 / (1 + e): the one-pass lanes must keep those bits, in place or not, tails included.
    Random r = new Random(5);
    for (int n : new int[] {1, L - 1, L, L + 3, 4 * L + 1, 600}) {
      float[] x = new float[n + 2];
      for (int i = 0; i < x.length; i++) {
        x[i] = i % 7 == 0 ? (i % 2 == 0 ? 95f : -95f) : r.nextFloat() * 40f - 20f;
      }
      float[] out = new float[n + 1];
      StableMath.sigmoid(x, 2, out, 1, n);
      float[] inPlace = x.clone();
      StableMath.sigmoid(inPlace, 2, inPlace, 2, n);
      for (int i = 0; i < n; i++) {
        float expect = 1f / (StableMath.exp(x[2 + i] * -1f) + 1f);
        assertEquals(Float.floatToRawIntBits(expect), Float.floatToRawIntBits(out[1 + i]),
            "sigmoid(" + x[2 + i] + ") n=" + n);
        assertEquals(Float.floatToRawIntBits(expect), Float.floatToRawIntBits(inPlace[2 + i]),
            "in place, n=" + n);
      }
      assertEquals(0f, out[0], "nothing written before the output");
    }
  }

  @Test
  void clampEdgesGiveTheScalarBits() {
    // The lanes clamp with compares and blends, the scalar twin with Math.max and min: the edges
    // of the range, the infinities, signed zeros and NaN must come out alike.
    float lo = -87.33654f;
    float[] edges = {lo, Math.nextDown(lo), Math.nextUp(lo), 88f, Math.nextUp(88f),
        Math.nextDown(88f), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -0f, 0f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -1000f, 1000f};
    float[] x = new float[edges.length * L];
    for (int i = 0; i < x.length; i++) {
      x[i] = edges[(i * 5 + i / L) % edges.length];
    }
    float[] e = x.clone();
    StableMath.expInPlace(e, 0, e.length);
    float[] sig = new float[x.length];
    StableMath.sigmoid(x, 0, sig, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      float s = StableMath.exp(x[i]);
      float g = 1f / (StableMath.exp(-x[i]) + 1f);
      if (Float.isNaN(x[i])) {
        assertTrue(Float.isNaN(e[i]) && Float.isNaN(sig[i]), "NaN stays NaN");
        continue;
      }
      assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(e[i]), "exp(" + x[i] + ")");
      assertEquals(Float.floatToRawIntBits(g), Float.floatToRawIntBits(sig[i]),
          "sigmoid(" + x[i] + ")");
    }
  }

  @Test
  void blocksOfTwoPassesGiveTheScalarBits() {
    // The lanes run in blocks, each through two passes (r and 2^n stored, then the polynomial):
    // every block, the last partial one and the scalar tail must give the scalar twin's bits,
    // the flush to 0 and the clamps included, in place or not.
    float[] edges = {-87.33654f, Math.nextDown(-87.33654f), 88f, Math.nextUp(88f), -1000f, 1000f,
        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0f, 0f, Float.MIN_VALUE};
    Random r = new Random(9);
    for (int n : new int[] {511, 512, 513, 3 * 512 + 2 * L + 3}) {
      float[] x = new float[n + 1];
      for (int i = 0; i < x.length; i++) {
        x[i] = i % 13 == 0 ? edges[(i / 13) % edges.length] : r.nextFloat() * 200f - 100f;
      }
      float[] e = new float[n];
      System.arraycopy(x, 1, e, 0, n);
      StableMath.expInPlace(e, 0, n);
      float[] sig = new float[n + 3];
      StableMath.sigmoid(x, 1, sig, 3, n);
      float[] inPlace = x.clone();
      StableMath.sigmoid(inPlace, 1, inPlace, 1, n);
      for (int i = 0; i < n; i++) {
        float v = x[1 + i];
        float g = 1f / (StableMath.exp(v * -1f) + 1f);
        assertEquals(Float.floatToRawIntBits(StableMath.exp(v)), Float.floatToRawIntBits(e[i]),
            "exp(" + v + ") at " + i + " of " + n);
        assertEquals(Float.floatToRawIntBits(g), Float.floatToRawIntBits(sig[3 + i]),
            "sigmoid(" + v + ") at " + i + " of " + n);
        assertEquals(Float.floatToRawIntBits(g), Float.floatToRawIntBits(inPlace[1 + i]),
            "sigmoid in place at " + i + " of " + n);
      }
    }
  }

  @Test
  void expIsAccurateAndVectorMatchesScalarBitForBit() {
    Random r = new Random(3);
    float[] x = new float[L];
    float[] v = new float[L];
    double worst = 0;
    for (int rep = 0; rep < 20_000; rep++) {
      for (int i = 0; i < L; i++) {
        x[i] = rep < 10 ? -100f + 20f * rep + i : (r.nextFloat() * 180f - 90f);
      }
      System.arraycopy(x, 0, v, 0, L);
      StableMath.expInPlace(v, 0, L);
      for (int i = 0; i < L; i++) {
        float s = StableMath.exp(x[i]);
        assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(v[i]),
            "lane " + i + " of exp(" + x[i] + "): scalar " + s + " vector " + v[i]);
        double exact = Math.exp(x[i]);
        if (x[i] < -87.33654f) {
          assertEquals(0f, s, "flushed below the normal range");
        } else if (x[i] <= 88f) {
          double ulps = Math.abs(s - exact) / Math.ulp((float) exact);
          worst = Math.max(worst, ulps);
        }
      }
    }
    assertTrue(worst <= 2.0, "exp within 2 ulp, worst " + worst);
    assertEquals(1f, StableMath.exp(0f));
  }

  @Test
  void sumLanesAddsEveryLane() {
    float[] x = new float[L];
    double expected = 0;
    for (int i = 0; i < L; i++) {
      x[i] = i + 0.25f;
      expected += x[i];
    }
    assertEquals(expected, StableMath.sumLanes(FloatVector.fromArray(VectorKernels.SPECIES, x, 0)),
        1e-4);
  }

  @Test
  void laneSumsOfManyAccumulatorsAreTheirLanesBitForBit() {
    Random r = new Random(5);
    int count = 20;
    float[] t = new float[count * L];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
    }
    float[] expected = new float[count];
    for (int q = 0; q < count; q++) {
      expected[q] = VectorGemm.lanes(t, q * L);
    }
    VectorGemm.laneSums(t, count);
    for (int q = 0; q < count; q++) {
      assertEquals(Float.floatToRawIntBits(expected[q]), Float.floatToRawIntBits(t[q]),
          "accumulator " + q);
    }
  }
}
