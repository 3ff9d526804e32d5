package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The matrix API as a library user meets it: printing, equality, conveniences, aliasing. */
class MatrixApiTest {
  static final MatrixOps OPS = MatrixOps.using(Kernels.vector());

  static FloatMatrix random(Random r, int rows, int cols) {
    FloatMatrix m = FloatMatrix.zeros(rows, cols);
    for (int i = 0; i < m.size(); i++) {
      m.data()[i] = r.nextFloat() * 2 - 1;
    }
    return m;
  }

  @Test
  void toStringShowsValuesAndCutsTheMiddleOfLargeMatrices() {
    FloatMatrix small = FloatMatrix.of(new float[] {1, 2}, new float[] {3, 4.5f});
    assertEquals("FloatMatrix 2x2\n[[1.0, 2.0],\n [3.0, 4.5]]", small.toString());
    FloatMatrix big = FloatMatrix.zeros(100, 200);
    big.set(99, 199, 7f);
    String text = big.toString();
    assertTrue(text.startsWith("FloatMatrix 100x200\n[[0.0, 0.0, 0.0, ..., 0.0, 0.0, 0.0],"),
        text);
    assertTrue(text.contains(" ...,\n") && text.endsWith("0.0, 0.0, 7.0]]"), text);
    assertEquals(8, text.lines().count(), "six rows, the shape and the cut: " + text);
    assertEquals("FloatMatrix 0x3\n[]", FloatMatrix.zeros(0, 3).toString());
  }

  @Test
  void equalityIsByShapeAndElements() {
    FloatMatrix a = FloatMatrix.of(new float[] {1, 2, 3}, new float[] {4, 5, Float.NaN});
    FloatMatrix b = a.copy();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, a.reshape(3, 2), "same elements, other shape");
    FloatMatrix inBigArray = FloatMatrix.wrap(new float[] {9, 1, 2, 3, 4, 5, Float.NaN}, 1, 2, 3);
    assertEquals(a, inBigArray, "views compare their own elements only");
    b.set(0, 0, 1.0001f);
    assertNotEquals(a, b);
    assertTrue(a.equalsWithin(b, 1e-3f));
    assertFalse(a.equalsWithin(b, 1e-5f));
    assertFalse(a.equalsWithin(a.reshape(3, 2), 1f));
  }

  @Test
  void viewsTransposeAndIdentity() {
    FloatMatrix a = FloatMatrix.of(new float[] {1, 2, 3}, new float[] {4, 5, 6});
    assertEquals(FloatMatrix.of(new float[] {1, 4}, new float[] {2, 5}, new float[] {3, 6}),
        a.transpose());
    Random r = new Random(1);
    FloatMatrix big = random(r, 70, 45);
    assertEquals(big, big.transpose().transpose());
    assertEquals(big.get(13, 44), big.transpose().get(44, 13));
    FloatMatrix row = a.row(1);
    row.set(0, 2, 60f);
    assertEquals(60f, a.get(1, 2), "a row is a view");
    assertSame(a.data(), a.reshape(3, 2).data(), "reshape is a view");
    assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2));
    assertEquals(big, OPS.multiply(big, FloatMatrix.identity(45)));
  }

  @Test
  void allocatingConveniencesMatchTheirInPlaceForms() {
    Random r = new Random(2);
    FloatMatrix x = random(r, 17, 33);
    FloatMatrix y = random(r, 17, 33);
    FloatMatrix w = random(r, 33, 9);
    FloatMatrix out = FloatMatrix.zeros(17, 9);
    OPS.matmul(x, w, out);
    assertEquals(out, OPS.multiply(x, w));
    // Other layouts may take other kernels (other summation orders): equal within rounding.
    assertTrue(out.equalsWithin(OPS.multiply(true, x.transpose(), false, w), 1e-5f));
    assertTrue(out.equalsWithin(OPS.multiply(false, x, true, w.transpose()), 1e-5f));
    FloatMatrix sum = OPS.add(x, y);
    FloatMatrix diff = OPS.subtract(sum, y);
    assertTrue(diff.equalsWithin(x, 1e-6f));
    FloatMatrix prod = OPS.hadamard(x, y);
    assertTrue(OPS.divide(prod, y).equalsWithin(x, 1e-5f));
    assertEquals(OPS.scale(2f, x), OPS.add(x, x));
    for (int i = 0; i < x.size(); i++) {
      assertEquals(x.data()[i] - y.data()[i], OPS.subtract(x, y).data()[i]);
      assertEquals(x.data()[i] / y.data()[i], OPS.divide(x, y).data()[i]);
    }
    FloatMatrix v = FloatMatrix.of(new float[] {3, -4, 0, 1});
    assertEquals(-4f, OPS.min(v));
    assertEquals(3f, OPS.max(v));
    assertEquals(0f, OPS.mean(v));
    assertEquals((float) Math.sqrt(26), OPS.norm(v));
    assertTrue(Float.isNaN(OPS.mean(FloatMatrix.zeros(0, 0))));
  }

  @Test
  void aProductWrittenOverItsOwnFactorsIsRefused() {
    FloatMatrix a = FloatMatrix.of(new float[] {1, 2}, new float[] {3, 4});
    FloatMatrix id = FloatMatrix.identity(2);
    var e = assertThrows(IllegalArgumentException.class, () -> OPS.matmul(a, id, a));
    assertTrue(e.getMessage().contains("shares storage with A"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OPS.matmul(id, a, a));
    assertEquals(FloatMatrix.of(new float[] {1, 2}, new float[] {3, 4}), a, "left untouched");
    // A view of another part of the same array is fine.
    float[] shared = new float[8];
    FloatMatrix left = FloatMatrix.wrap(shared, 0, 2, 2);
    FloatMatrix right = FloatMatrix.wrap(shared, 4, 2, 2);
    left.copyFrom(a);
    OPS.matmul(left, id, right);
    assertEquals(a, right);
  }

  @Test
  void elementwiseOutputsMayBeAnInputButNotOverlapOne() {
    FloatMatrix x = FloatMatrix.of(new float[] {1, 2, 3, 4});
    OPS.add(x, x, x);
    assertEquals(FloatMatrix.of(new float[] {2, 4, 6, 8}), x, "in place is fine");
    float[] shared = {1, 2, 3, 4, 5};
    FloatMatrix first = FloatMatrix.wrap(shared, 0, 1, 4);
    FloatMatrix shifted = FloatMatrix.wrap(shared, 1, 1, 4);
    var e = assertThrows(IllegalArgumentException.class, () -> OPS.add(first, first, shifted));
    assertTrue(e.getMessage().contains("partly overlaps"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OPS.relu(first, shifted));
    assertThrows(IllegalArgumentException.class, () -> OPS.axpyInPlace(1f, first, shifted));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5}, shared, "nothing written");
  }

  @Test
  void threadedOperationsGiveTheSameBits() {
    Random r = new Random(3);
    FloatMatrix a = random(r, 400, 300);
    FloatMatrix b = random(r, 300, 350);
    assertEquals(OPS.multiply(a, b), OPS.withThreads(3).multiply(a, b));
    assertEquals(3, OPS.withThreads(3).threads());
    assertThrows(IllegalArgumentException.class, () -> OPS.withThreads(0));
  }
}
