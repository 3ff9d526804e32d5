package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.kernel.training.TrainingOps;

class ShapeErrorTest {
  final MatrixOps ops = MatrixOps.defaults();
  final TrainingOps training = TrainingOps.using(TrainingKernels.defaultKernels());

  @Test
  void gemmMismatchNamesBothShapes() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ops.matmul(FloatMatrix.zeros(2, 3), FloatMatrix.zeros(4, 5), FloatMatrix.zeros(2, 5)));
    assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("4x5"), e.getMessage());
    var t = assertThrows(IllegalArgumentException.class, () -> ops.gemm(true, false, 1f,
        FloatMatrix.zeros(2, 3), FloatMatrix.zeros(2, 5), 0f, FloatMatrix.zeros(2, 5)));
    assertTrue(t.getMessage().contains("2x3^T"), t.getMessage());
  }

  @Test
  void elementwiseAndRowMismatches() {
    assertThrows(IllegalArgumentException.class,
        () -> ops.dot(FloatMatrix.zeros(1, 3), FloatMatrix.zeros(1, 4)));
    assertThrows(IllegalArgumentException.class,
        () -> ops.add(FloatMatrix.zeros(2, 3), FloatMatrix.zeros(3, 2), FloatMatrix.zeros(2, 3)));
    assertThrows(IllegalArgumentException.class,
        () -> ops.addRowVectorInPlace(FloatMatrix.zeros(2, 3), FloatMatrix.zeros(1, 4)));
    assertThrows(IllegalArgumentException.class,
        () -> ops.argmaxRows(FloatMatrix.zeros(5, 3), new int[4]));
    assertThrows(IllegalArgumentException.class,
        () -> training.bytesToFloats(new byte[3], 0, 1f, FloatMatrix.zeros(2, 2)));
    assertThrows(IllegalArgumentException.class,
        () -> ops.relu(FloatMatrix.zeros(2, 3), FloatMatrix.zeros(3, 2)));
  }

  @Test
  void gatheredGemmsCheckShapesAndRowIndices() {
    byte[] px = {1, 2, 3, 4, 5, 6}; // three rows of two pixels
    FloatMatrix w = FloatMatrix.of(new float[] {1, 10}, new float[] {100, 1000}, new float[] {0, 1});
    FloatMatrix out = FloatMatrix.zeros(2, 3);
    training.gatheredTimesTransposed(px, new int[] {2, 0}, 0, 0.5f, w, out);
    // Rows 2 and 0 of the pixels: (5, 6) and (1, 2), halved, times each weight row.
    assertEquals(0.5f * (5 + 60), out.get(0, 0));
    assertEquals(0.5f * (500 + 6000), out.get(0, 1));
    assertEquals(0.5f * 2, out.get(1, 2));
    FloatMatrix g = FloatMatrix.of(new float[] {1, 0, 2}, new float[] {3, 1, 0});
    FloatMatrix grad = FloatMatrix.zeros(3, 2);
    training.transposedTimesGathered(g, px, new int[] {2, 0}, 0, 1f, grad);
    assertEquals(1 * 5 + 3 * 1, grad.get(0, 0));
    assertEquals(0 * 6 + 1 * 2, grad.get(1, 1));
    assertEquals(2 * 6 + 0 * 2, grad.get(2, 1));
    var badIndex = assertThrows(IllegalArgumentException.class,
        () -> training.gatheredTimesTransposed(px, new int[] {3, 0}, 0, 1f, w, out));
    assertTrue(badIndex.getMessage().contains("row index 3"), badIndex.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> training.gatheredTimesTransposed(px, new int[] {0}, 0, 1f, w, out));
    assertThrows(IllegalArgumentException.class,
        () -> training.gatheredTimesTransposed(px, new int[] {0, 1}, 0, 1f, w, FloatMatrix.zeros(2, 2)));
    var badShape = assertThrows(IllegalArgumentException.class,
        () -> training.transposedTimesGathered(g, px, new int[] {0, 1}, 0, 1f, FloatMatrix.zeros(2, 2)));
    assertTrue(badShape.getMessage().contains("2x3^T"), badShape.getMessage());
  }

  @Test
  void constructionErrors() {
    var neg = assertThrows(IllegalArgumentException.class, () -> FloatMatrix.zeros(-1, 3));
    assertTrue(neg.getMessage().contains("-1x3"));
    assertThrows(IllegalArgumentException.class, () -> FloatMatrix.wrap(new float[5], 2, 3));
    assertThrows(IllegalArgumentException.class, () -> FloatMatrix.wrap(new float[6], 1, 2, 3));
    assertThrows(IllegalArgumentException.class,
        () -> FloatMatrix.of(new float[] {1, 2}, new float[] {3}));
    assertThrows(IllegalArgumentException.class, () -> FloatMatrix.zeros(1 << 16, 1 << 16));
    var oob = assertThrows(IndexOutOfBoundsException.class, () -> FloatMatrix.zeros(2, 2).get(2, 0));
    assertTrue(oob.getMessage().contains("row 2"));
    assertThrows(IndexOutOfBoundsException.class, () -> FloatMatrix.zeros(2, 2).rowRange(1, 3));
  }

  @Test
  void viewsShareStorage() {
    FloatMatrix m = FloatMatrix.of(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6});
    FloatMatrix tail = m.rowRange(1, 3);
    assertEquals(2, tail.rows());
    assertEquals(3f, tail.get(0, 0));
    tail.set(1, 1, 60f);
    assertEquals(60f, m.get(2, 1));
    assertSame(m.data(), tail.data());
  }

  @Test
  void backendSelection() {
    assertEquals(Backend.SCALAR, Backend.parse("Scalar"));
    assertEquals(Backend.VECTOR, Kernels.of(Backend.VECTOR).backend());
    assertEquals(Backend.SCALAR, Kernels.of(Backend.SCALAR).backend());
    assertEquals(Backend.VECTOR, Kernels.defaultKernels().backend(), "vector is the default");
    var e = assertThrows(IllegalArgumentException.class, () -> Backend.parse("gpu"));
    assertTrue(e.getMessage().contains("'vector' or 'scalar'"));
  }
}
