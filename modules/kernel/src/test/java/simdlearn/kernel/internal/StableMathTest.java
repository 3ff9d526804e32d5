package simdlearn.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class StableMathTest {
  static final int L = VectorKernels.LANES;

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
