package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A right factor packed ahead ({@link Kernels#packB}, {@link Kernels#gemmPackedB}) gives the bits
 * of {@link Kernels#gemm} on the same factor, however its rows were packed (in pieces, in any
 * order, again after a change), on both backends; so does a left factor packed ahead
 * ({@link Kernels#packA}, {@link Kernels#gemmPackedA}), for every row count the packed panels
 * cut differently; and {@link Kernels#transpose}, which a trainer uses to read a factor row by
 * row, is exact.
 */
class PackedMatrixTest {
  static final Kernels V = Kernels.vector();
  static final Kernels S = Kernels.scalar();
  static final int L = KernelAgreementTest.L;

  @Test
  void packedProductsHaveTheBitsOfGemm() {
    Random r = new Random(3);
    for (int rep = 0; rep < 120; rep++) {
      boolean big = rep % 4 == 0;
      int m = 1 + r.nextInt(big ? 200 : 20);
      int n = 1 + r.nextInt(big ? 300 : 3 * L + 5);
      // Depths across KC blocks (256) with a short last one, and below one vector.
      int k = 1 + r.nextInt(big ? 800 : 2 * L + 40);
      check(r, r.nextBoolean(), r.nextBoolean(), m, n, k);
    }
    // A layer's forward pass: shards of 128 and 96 rows by 784 -> 256, a wider slab than NC.
    check(r, false, true, 128, 256, 784);
    check(r, false, true, 96, 256, 784);
    check(r, false, true, 128, 256, 256);
    check(r, true, false, 40, 600, 300);
  }

  /** Whether the vector gemm takes its packed path, whose bits the packed product keeps. */
  static boolean vectorPacks(int m, int n, int k, float alpha) {
    return n >= L && alpha != 0f && (long) m * n * k >= 1L << 15;
  }

  static void check(Random r, boolean ta, boolean tb, int m, int n, int k) {
    GemmOperands g = checkPacked(r, false, ta, tb, m, n, k);
    String shape = shape(ta, tb, m, n, k);
    // After B changes, repacking only the rows that changed gives the new product.
    PackedMatrix p = V.newPackedB(k, n);
    V.packB(tb, 0, k, g.b(), 2, g.ldb(), p);
    int from = r.nextInt(k);
    int to = from + 1 + r.nextInt(k - from);
    for (int row = from; row < to; row++) {
      for (int j = 0; j < n; j++) {
        g.b()[2 + (tb ? j * g.ldb() + row : row * g.ldb() + j)] += 0.5f;
      }
    }
    V.packB(tb, from, to, g.b(), 2, g.ldb(), p);
    float[] expected = g.c0().clone();
    float[] actual = g.c0().clone();
    V.gemm(ta, tb, m, n, k, 1f, g.a(), 1, g.lda(), g.b(), 2, g.ldb(), 0f, expected, 3, g.ldc());
    V.gemmPackedB(ta, m, 1f, g.a(), 1, g.lda(), p, 0f, actual, 3, g.ldc());
    if (vectorPacks(m, n, k, 1f)) {
      assertArrayEquals(expected, actual, "repacked rows " + from + ".." + to + " " + shape);
    }
  }

  @Test
  void packedLeftFactorsHaveTheBitsOfGemm() {
    Random r = new Random(4);
    // Every row count up to 40 (panels of 12, 8, 6 and padded edges), across a row block (192).
    for (int m = 1; m <= 40; m++) {
      checkLeft(r, r.nextBoolean(), r.nextBoolean(), m, 1 + r.nextInt(3 * L + 5),
          1 + r.nextInt(2 * L + 40));
    }
    for (int rep = 0; rep < 40; rep++) {
      checkLeft(r, r.nextBoolean(), r.nextBoolean(), 1 + r.nextInt(420), 1 + r.nextInt(300),
          1 + r.nextInt(rep % 4 == 0 ? 800 : 100));
    }
    // A wide layer's weight gradient: dOut^T (256 x shard rows) by blocks of the input's columns.
    checkLeft(r, true, false, 256, 64, 128);
    checkLeft(r, true, false, 256, 16, 48);
    checkLeft(r, false, true, 200, 600, 300);
  }

  static void checkLeft(Random r, boolean ta, boolean tb, int m, int n, int k) {
    checkPacked(r, true, ta, tb, m, n, k);
  }

  /**
   * Random operands with the left or the right factor packed (op(B)'s rows in pieces), on both
   * backends, against {@link Kernels#gemm}; returns the operands.
   */
  static GemmOperands checkPacked(Random r, boolean left, boolean ta, boolean tb, int m, int n,
      int k) {
    GemmOperands g = GemmOperands.random(r, ta, tb, m, n, k);
    float alpha = GemmOperands.alpha(r);
    float beta = GemmOperands.beta(r);
    for (Kernels kernels : List.of(S, V)) {
      float[] actual = g.c0().clone();
      if (left) {
        PackedMatrix p = kernels.newPackedA(m, k);
        assertTrue(p.left());
        kernels.packA(ta, g.a(), 1, g.lda(), p);
        kernels.gemmPackedA(p, tb, n, alpha, g.b(), 2, g.ldb(), beta, actual, 3, g.ldc());
      } else {
        PackedMatrix p = kernels.newPackedB(k, n);
        packInPieces(r, kernels, tb, k, g.b(), g.ldb(), p);
        kernels.gemmPackedB(ta, m, alpha, g.a(), 1, g.lda(), p, beta, actual, 3, g.ldc());
      }
      assertMatchesGemm(kernels, g, ta, tb, m, n, k, alpha, beta, actual, shape(ta, tb, m, n, k));
    }
    return g;
  }

  static String shape(boolean ta, boolean tb, int m, int n, int k) {
    return (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k;
  }

  /**
   * {@code actual} (C from a packed product) has the bits of {@link Kernels#gemm} on the same
   * operands where the vector gemm packs (always on the scalar backend), else agrees to rounding.
   */
  static void assertMatchesGemm(Kernels kernels, GemmOperands g, boolean ta, boolean tb, int m,
      int n, int k, float alpha, float beta, float[] actual, String shape) {
    float[] expected = g.c0().clone();
    kernels.gemm(ta, tb, m, n, k, alpha, g.a(), 1, g.lda(), g.b(), 2, g.ldb(), beta, expected, 3,
        g.ldc());
    if (kernels == S || vectorPacks(m, n, k, alpha)) {
      assertArrayEquals(expected, actual, kernels.backend() + " " + shape);
    } else {
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-4f * (1 + Math.abs(expected[i])), shape);
      }
    }
  }

  /** Packs op(B)'s rows as a few disjoint ranges, in shuffled order. */
  static void packInPieces(Random r, Kernels kernels, boolean tb, int k, float[] b, int ldb,
      PackedMatrix p) {
    List<int[]> pieces = new ArrayList<>();
    for (int from = 0; from < k; ) {
      int to = Math.min(k, from + 1 + r.nextInt(Math.max(1, k / 3)));
      pieces.add(new int[] {from, to});
      from = to;
    }
    Collections.shuffle(pieces, r);
    for (int[] piece : pieces) {
      kernels.packB(tb, piece[0], piece[1], b, 2, ldb, p);
    }
  }

  @Test
  void transposesAreExactOnBothBackends() {
    Random r = new Random(8);
    for (int rep = 0; rep < 80; rep++) {
      int rows = r.nextInt(3 * L + 7);
      int cols = r.nextInt(40) + (rep == 0 ? 256 : 0);
      int lds = cols + r.nextInt(3);
      int ldd = rows + r.nextInt(3);
      float[] src = KernelAgreementTest.random(r, rows * lds, 2);
      for (Kernels kernels : List.of(S, V)) {
        float[] dst = new float[cols * ldd + 2];
        dst[dst.length - 1] = 7f;
        kernels.transpose(rows, cols, src, 1, lds, dst, 1, ldd);
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) {
            assertEquals(src[1 + i * lds + j], dst[1 + j * ldd + i], kernels.backend() + " "
                + rows + "x" + cols + " at " + i + "," + j);
          }
        }
        assertEquals(7f, dst[dst.length - 1], "nothing written past the destination");
      }
    }
  }

  @Test
  void aPackedLeftFactorWithZeroAlphaOnlyScalesC() {
    for (Kernels kernels : List.of(S, V)) {
      PackedMatrix p = kernels.newPackedA(3, 40);
      kernels.packA(false, KernelAgreementTest.random(new Random(2), 120, 0), 0, 40, p);
      float[] b = KernelAgreementTest.random(new Random(3), 40 * 20, 0);
      float[] c = new float[3 * 20];
      Arrays.fill(c, 2f);
      kernels.gemmPackedA(p, false, 20, 0f, b, 0, 20, 0.5f, c, 0, 20);
      for (float v : c) {
        assertEquals(1f, v, kernels.backend().toString());
      }
      kernels.gemmPackedA(p, false, 0, 1f, b, 0, 20, 0f, c, 0, 20);
      assertEquals(1f, c[0], "n = 0 writes nothing");
    }
  }

  @Test
  void aPackReadByAnotherBackendIsRefusedSayingWhy() {
    PackedMatrix p = S.newPackedB(4, 3);
    float[] c = new float[6];
    var e = assertThrows(IllegalArgumentException.class,
        () -> V.gemmPackedB(false, 2, 1f, new float[8], 0, 4, p, 0f, c, 0, 3));
    assertTrue(e.getMessage().contains("packed by the scalar kernels"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> S.packB(false, 0, 4, new float[12], 0, 3, V.newPackedB(4, 3)));
    assertThrows(IllegalArgumentException.class, () -> V.newPackedB(0, 3));
    assertThrows(IllegalArgumentException.class, () -> V.newPackedA(3, 0));
    var side = assertThrows(IllegalArgumentException.class,
        () -> V.gemmPackedA(V.newPackedB(4, 3), false, 3, 1f, new float[12], 0, 3, 0f, c, 0, 3));
    assertTrue(side.getMessage().contains("packed as the right factor cannot be used as the left"),
        side.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> V.gemmPackedB(false, 2, 1f, new float[8], 0, 4, V.newPackedA(4, 3), 0f, c, 0, 3));
  }

  @Test
  void matrixOpsChecksShapesAndMultipliesAsGemm() {
    MatrixOps ops = MatrixOps.using(V);
    Random r = new Random(5);
    FloatMatrix w = FloatMatrix.wrap(KernelAgreementTest.random(r, 64 * 300, 0), 64, 300);
    FloatMatrix x = FloatMatrix.wrap(KernelAgreementTest.random(r, 50 * 300, 0), 50, 300);
    PackedMatrix wt = ops.packB(true, w);
    assertEquals(300, wt.rows());
    assertEquals(64, wt.cols());
    FloatMatrix viaPack = FloatMatrix.zeros(50, 64);
    ops.gemm(false, 1f, x, wt, 0f, viaPack);
    FloatMatrix direct = FloatMatrix.zeros(50, 64);
    ops.gemm(false, true, 1f, x, w, 0f, direct);
    assertArrayEquals(direct.toArray(), viaPack.toArray());
    var e = assertThrows(IllegalArgumentException.class,
        () -> ops.gemm(true, 1f, x, wt, 0f, FloatMatrix.zeros(50, 64)));
    assertTrue(e.getMessage().startsWith("gemm: cannot multiply 50x300^T by a packed 300x64"),
        e.getMessage());
    // The left factor packed: x (50 x 300) by w^T.
    PackedMatrix xp = ops.packA(false, x);
    assertEquals(50, xp.rows());
    assertEquals(300, xp.cols());
    FloatMatrix viaLeft = FloatMatrix.zeros(50, 64);
    ops.gemm(1f, xp, true, w, 0f, viaLeft);
    assertArrayEquals(direct.toArray(), viaLeft.toArray());
    var left = assertThrows(IllegalArgumentException.class,
        () -> ops.gemm(1f, xp, false, w, 0f, FloatMatrix.zeros(50, 64)));
    assertTrue(left.getMessage().startsWith("gemm: cannot multiply a packed 50x300 by 64x300"),
        left.getMessage());
  }
}
