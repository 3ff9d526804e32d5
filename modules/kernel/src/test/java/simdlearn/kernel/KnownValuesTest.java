package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.kernel.training.TrainingOps;

/** Hand-worked values, run on both backends. */
class KnownValuesTest {

  @ParameterizedTest
  @EnumSource(Backend.class)
  void gemmOfSmallMatrices(Backend backend) {
    MatrixOps ops = MatrixOps.of(backend);
    FloatMatrix a = FloatMatrix.of(new float[] {1, 2, 3}, new float[] {4, 5, 6});
    FloatMatrix b = FloatMatrix.of(new float[] {7, 8}, new float[] {9, 10}, new float[] {11, 12});
    FloatMatrix c = FloatMatrix.zeros(2, 2);
    ops.matmul(a, b, c);
    assertArrayEquals(new float[] {58, 64, 139, 154}, c.toArray());

    // C = 2 * A^T * A^T^T ... here: (A^T)(A) is 3x3; beta accumulates onto the old C.
    FloatMatrix d = FloatMatrix.zeros(3, 3);
    d.fill(1f);
    ops.gemm(true, false, 2f, a, a, 1f, d);
    assertArrayEquals(new float[] {35, 45, 55, 45, 59, 73, 55, 73, 91}, d.toArray());

    // beta = 0 ignores whatever C held, NaN included (BLAS semantics).
    FloatMatrix e = FloatMatrix.zeros(2, 2);
    e.fill(Float.NaN);
    ops.gemm(false, true, 1f, a, a, 0f, e);
    assertArrayEquals(new float[] {14, 32, 32, 77}, e.toArray());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void softmaxOfExtremeLogitsIsFinite(Backend backend) {
    MatrixOps ops = MatrixOps.of(backend);
    FloatMatrix z = FloatMatrix.of(new float[] {1000, 0, -1000}, new float[] {-1000, -1000, -1000},
        new float[] {1e30f, 1e30f, -1e30f}, new float[] {0, (float) Math.log(3), 0});
    FloatMatrix p = FloatMatrix.zeros(4, 3);
    ops.softmaxRows(z, p);
    for (float v : p.toArray()) {
      assertTrue(Float.isFinite(v), "softmax produced " + v);
    }
    assertArrayEquals(new float[] {1, 0, 0}, new float[] {p.get(0, 0), p.get(0, 1), p.get(0, 2)});
    assertEquals(1f / 3, p.get(1, 0), 1e-7f);
    assertEquals(0.5f, p.get(2, 0), 1e-7f);
    assertEquals(0.6f, p.get(3, 1), 1e-6f);
    assertEquals(0.2f, p.get(3, 0), 1e-6f);

    float[] lse = new float[4];
    ops.logSumExpRows(z, lse);
    assertEquals(1000f, lse[0], 0f);
    assertEquals(-1000f + (float) Math.log(3), lse[1], 1e-3f);
    assertEquals((float) Math.log(5), lse[3], 1e-6f);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void vectorBasics(Backend backend) {
    MatrixOps ops = MatrixOps.of(backend);
    FloatMatrix x = FloatMatrix.of(new float[] {1, -2, 3, 7, 7});
    FloatMatrix y = FloatMatrix.of(new float[] {2, 2, 2, 0, 1});
    assertEquals(11f, ops.dot(x, y));
    assertEquals(16f, ops.sum(x));
    assertEquals(7f, ops.max(x));
    assertEquals(3, ops.argmaxRow(x, 0), "first of the tied maxima");
    ops.axpyInPlace(0.5f, x, y);
    assertArrayEquals(new float[] {2.5f, 1, 3.5f, 3.5f, 4.5f}, y.toArray());

    FloatMatrix m = FloatMatrix.of(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6});
    ops.addRowVectorInPlace(m, FloatMatrix.of(new float[] {10, 20}));
    assertArrayEquals(new float[] {11, 22, 13, 24, 15, 26}, m.toArray());
    FloatMatrix sums = FloatMatrix.zeros(1, 2);
    ops.addColumnSumsInPlace(m, sums);
    assertArrayEquals(new float[] {39, 72}, sums.toArray());

    byte[] pixels = {0, (byte) 255, (byte) 128, 51};
    FloatMatrix f = FloatMatrix.zeros(2, 2);
    TrainingOps.using(TrainingKernels.of(backend)).bytesToFloats(pixels, 0, 1f / 255f, f);

    FloatMatrix z = FloatMatrix.of(new float[] {-2, 0, 3});
    FloatMatrix out = FloatMatrix.zeros(1, 3);
    ops.relu(z, out);
    assertArrayEquals(new float[] {0, 0, 3}, out.toArray());
    ops.sigmoid(z, out);
    assertArrayEquals(new float[] {0.11920292f, 0.5f, 0.95257413f}, out.toArray(), 1e-7f);
    ops.tanh(z, out);
    assertArrayEquals(new float[] {-0.9640276f, 0f, 0.9950548f}, out.toArray(), 1e-7f);
    ops.exp(z, out);
    assertArrayEquals(new float[] {0.13533528f, 1f, 20.085537f}, out.toArray(), 2e-6f);
    assertArrayEquals(new float[] {0f, 1f, 128f / 255f, 0.2f}, f.toArray(), 1e-7f);
  }
}
