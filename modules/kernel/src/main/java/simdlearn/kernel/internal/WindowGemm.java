package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Products with the windows matrix {@code X[p][t] = x[xOff + origins[p] + shifts[t]]} read in
 * place (the vector side of {@code TrainingKernels.gemmWindows} and {@code addWindowsTGemm}):
 * a convolution's im2row matrix with no copy, its columns the channels of B and C in the lanes.
 *
 * <p>Both products are one kernel: six rows of C, each reading x at its own base plus a step
 * (the product: base origins[p], steps the shifts; the transposed one: base shifts[t], steps the
 * origins), against two vectors of columns of B (or G): 12 accumulators, six broadcasts of x and
 * two loads per step (15 of AVX2's 16 registers). Columns past the last whole pair run one
 * vector at a time: whole vectors twelve rows at once where twelve rows remain (twelve chains;
 * an AVX-512 vector holds LeNet's 16 channels, and six chains would leave the two FMA pipes idle
 * for part of their four-cycle latency), the rest and a last masked vector six rows at once.
 * Rows past a block's last run with the last row repeated, whose results are dropped. Every
 * element is one FMA chain (over t from 0, or from C's value over the segments and rows), so its
 * bits never depend on its block.
 */
final class WindowGemm {
  static final int MR = 6;

  private WindowGemm() {}

  /** {@code C[p][j] = sum over t of X[p][t] B[t][j]}. */
  static void gemm(int n, int m, int k, float[] x, int xOff, int[] origins, int[] shifts,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int p = 0;
    for (; p + 2 * MR <= n; p += 2 * MR) {
      columns12(k, m, x, xOff, origins, p, shifts, b, bOff, ldb, c, cOff + p * ldc, ldc, false);
    }
    for (; p < n; p += MR) {
      columns(k, m, x, xOff, origins, p, Math.min(MR, n - p), shifts, b, bOff, ldb, c,
          cOff + p * ldc, ldc, false);
    }
  }

  /** {@code C[t][j] += sum over s, p of X_s[p][t] G_s[p][j]}. */
  static void addTGemm(int k, int m, int n, int segments, float[] x, int xOff, int xStride,
      int[] origins, int[] shifts, float[] g, int gOff, int ldg, int gStride, float[] c,
      int cOff, int ldc) {
    for (int s = 0; s < segments; s++) {
      int t = 0;
      for (; t + 2 * MR <= k; t += 2 * MR) {
        columns12(n, m, x, xOff + s * xStride, shifts, t, origins, g, gOff + s * gStride, ldg,
            c, cOff + t * ldc, ldc, true);
      }
      for (; t < k; t += MR) {
        columns(n, m, x, xOff + s * xStride, shifts, t, Math.min(MR, k - t), origins, g,
            gOff + s * gStride, ldg, c, cOff + t * ldc, ldc, true);
      }
    }
  }

  /**
   * Rows {@code first ..} (at most six) of C, all m columns: row i reads x from
   * {@code off + bases[first + i]} plus each of the {@code count} steps, against row q of B.
   */
  private static void columns(int count, int m, float[] x, int off, int[] bases, int first,
      int rows, int[] steps, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
      boolean add) {
    int j = 0;
    for (; j + 2 * LANES <= m; j += 2 * LANES) {
      kernel6x2(count, x, off, bases, first, rows, steps, b, bOff + j, ldb, c, cOff + j, ldc,
          add);
    }
    for (; j < m; j += LANES) {
      kernel6x1(count, x, off, bases, first, rows, steps, b, bOff + j, ldb, c, cOff + j, ldc,
          add, SPECIES.indexInRange(j, m));
    }
  }

  /** Rows {@code first .. first + 11} of C, all m columns (as {@link #columns}). */
  private static void columns12(int count, int m, float[] x, int off, int[] bases, int first,
      int[] steps, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add) {
    int j = 0;
    for (; j + 2 * LANES <= m; j += 2 * LANES) {
      kernel6x2(count, x, off, bases, first, MR, steps, b, bOff + j, ldb, c, cOff + j, ldc, add);
      kernel6x2(count, x, off, bases, first + MR, MR, steps, b, bOff + j, ldb, c,
          cOff + MR * ldc + j, ldc, add);
    }
    for (; j + LANES <= m; j += LANES) {
      kernel12x1(count, x, off, bases, first, steps, b, bOff + j, ldb, c, cOff + j, ldc, add);
    }
    if (j < m) {
      VectorMask<Float> on = SPECIES.indexInRange(j, m);
      kernel6x1(count, x, off, bases, first, MR, steps, b, bOff + j, ldb, c, cOff + j, ldc, add,
          on);
      kernel6x1(count, x, off, bases, first + MR, MR, steps, b, bOff + j, ldb, c,
          cOff + MR * ldc + j, ldc, add, on);
    }
  }

  /** Where row i of a block of {@code rows} from {@code first} reads: past the last, the last. */
  private static int base(int off, int[] bases, int first, int i, int rows) {
    return off + bases[first + Math.min(i, rows - 1)];
  }

  private static void kernel6x2(int count, float[] x, int off, int[] bases, int first, int rows,
      int[] steps, float[] b, int b0, int ldb, float[] c, int c0, int ldc, boolean add) {
    FloatVector c00 = load(c, c0, rows, 0, add);
    FloatVector c01 = load(c, c0 + LANES, rows, 0, add);
    FloatVector c10 = load(c, c0 + ldc, rows, 1, add);
    FloatVector c11 = load(c, c0 + ldc + LANES, rows, 1, add);
    FloatVector c20 = load(c, c0 + 2 * ldc, rows, 2, add);
    FloatVector c21 = load(c, c0 + 2 * ldc + LANES, rows, 2, add);
    FloatVector c30 = load(c, c0 + 3 * ldc, rows, 3, add);
    FloatVector c31 = load(c, c0 + 3 * ldc + LANES, rows, 3, add);
    FloatVector c40 = load(c, c0 + 4 * ldc, rows, 4, add);
    FloatVector c41 = load(c, c0 + 4 * ldc + LANES, rows, 4, add);
    FloatVector c50 = load(c, c0 + 5 * ldc, rows, 5, add);
    FloatVector c51 = load(c, c0 + 5 * ldc + LANES, rows, 5, add);
    int x0 = base(off, bases, first, 0, rows);
    int x1 = base(off, bases, first, 1, rows);
    int x2 = base(off, bases, first, 2, rows);
    int x3 = base(off, bases, first, 3, rows);
    int x4 = base(off, bases, first, 4, rows);
    int x5 = base(off, bases, first, 5, rows);
    for (int q = 0; q < count; q++) {
      int bi = b0 + q * ldb;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bi);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
      int step = steps[q];
      FloatVector w = FloatVector.broadcast(SPECIES, x[x0 + step]);
      c00 = w.fma(v0, c00);
      c01 = w.fma(v1, c01);
      w = FloatVector.broadcast(SPECIES, x[x1 + step]);
      c10 = w.fma(v0, c10);
      c11 = w.fma(v1, c11);
      w = FloatVector.broadcast(SPECIES, x[x2 + step]);
      c20 = w.fma(v0, c20);
      c21 = w.fma(v1, c21);
      w = FloatVector.broadcast(SPECIES, x[x3 + step]);
      c30 = w.fma(v0, c30);
      c31 = w.fma(v1, c31);
      w = FloatVector.broadcast(SPECIES, x[x4 + step]);
      c40 = w.fma(v0, c40);
      c41 = w.fma(v1, c41);
      w = FloatVector.broadcast(SPECIES, x[x5 + step]);
      c50 = w.fma(v0, c50);
      c51 = w.fma(v1, c51);
    }
    store2(c00, c01, c, c0, rows, 0);
    store2(c10, c11, c, c0 + ldc, rows, 1);
    store2(c20, c21, c, c0 + 2 * ldc, rows, 2);
    store2(c30, c31, c, c0 + 3 * ldc, rows, 3);
    store2(c40, c41, c, c0 + 4 * ldc, rows, 4);
    store2(c50, c51, c, c0 + 5 * ldc, rows, 5);
  }

  /** One vector of columns, the lanes of {@code on} only (the rest neither read nor written). */
  private static void kernel6x1(int count, float[] x, int off, int[] bases, int first, int rows,
      int[] steps, float[] b, int b0, int ldb, float[] c, int c0, int ldc, boolean add,
      VectorMask<Float> on) {
    FloatVector c0v = load(c, c0, rows, 0, add, on);
    FloatVector c1v = load(c, c0 + ldc, rows, 1, add, on);
    FloatVector c2v = load(c, c0 + 2 * ldc, rows, 2, add, on);
    FloatVector c3v = load(c, c0 + 3 * ldc, rows, 3, add, on);
    FloatVector c4v = load(c, c0 + 4 * ldc, rows, 4, add, on);
    FloatVector c5v = load(c, c0 + 5 * ldc, rows, 5, add, on);
    int x0 = base(off, bases, first, 0, rows);
    int x1 = base(off, bases, first, 1, rows);
    int x2 = base(off, bases, first, 2, rows);
    int x3 = base(off, bases, first, 3, rows);
    int x4 = base(off, bases, first, 4, rows);
    int x5 = base(off, bases, first, 5, rows);
    for (int q = 0; q < count; q++) {
      FloatVector v = FloatVector.fromArray(SPECIES, b, b0 + q * ldb, on);
      int step = steps[q];
      c0v = FloatVector.broadcast(SPECIES, x[x0 + step]).fma(v, c0v);
      c1v = FloatVector.broadcast(SPECIES, x[x1 + step]).fma(v, c1v);
      c2v = FloatVector.broadcast(SPECIES, x[x2 + step]).fma(v, c2v);
      c3v = FloatVector.broadcast(SPECIES, x[x3 + step]).fma(v, c3v);
      c4v = FloatVector.broadcast(SPECIES, x[x4 + step]).fma(v, c4v);
      c5v = FloatVector.broadcast(SPECIES, x[x5 + step]).fma(v, c5v);
    }
    store1(c0v, c, c0, rows, 0, on);
    store1(c1v, c, c0 + ldc, rows, 1, on);
    store1(c2v, c, c0 + 2 * ldc, rows, 2, on);
    store1(c3v, c, c0 + 3 * ldc, rows, 3, on);
    store1(c4v, c, c0 + 4 * ldc, rows, 4, on);
    store1(c5v, c, c0 + 5 * ldc, rows, 5, on);
  }

  /**
   * Twelve whole rows, one whole vector of columns. No masks: C1's profiling compile of the
   * masked form ran out of virtual registers, which left the kernel in tier-2 code (80x slower).
   */
  private static void kernel12x1(int count, float[] x, int off, int[] bases, int first,
      int[] steps, float[] b, int b0, int ldb, float[] c, int c0, int ldc, boolean add) {
    FloatVector a0 = start(c, c0, add);
    FloatVector a1 = start(c, c0 + ldc, add);
    FloatVector a2 = start(c, c0 + 2 * ldc, add);
    FloatVector a3 = start(c, c0 + 3 * ldc, add);
    FloatVector a4 = start(c, c0 + 4 * ldc, add);
    FloatVector a5 = start(c, c0 + 5 * ldc, add);
    FloatVector a6 = start(c, c0 + 6 * ldc, add);
    FloatVector a7 = start(c, c0 + 7 * ldc, add);
    FloatVector a8 = start(c, c0 + 8 * ldc, add);
    FloatVector a9 = start(c, c0 + 9 * ldc, add);
    FloatVector a10 = start(c, c0 + 10 * ldc, add);
    FloatVector a11 = start(c, c0 + 11 * ldc, add);
    int x0 = off + bases[first];
    int x1 = off + bases[first + 1];
    int x2 = off + bases[first + 2];
    int x3 = off + bases[first + 3];
    int x4 = off + bases[first + 4];
    int x5 = off + bases[first + 5];
    int x6 = off + bases[first + 6];
    int x7 = off + bases[first + 7];
    int x8 = off + bases[first + 8];
    int x9 = off + bases[first + 9];
    int x10 = off + bases[first + 10];
    int x11 = off + bases[first + 11];
    for (int q = 0; q < count; q++) {
      FloatVector v = FloatVector.fromArray(SPECIES, b, b0 + q * ldb);
      int step = steps[q];
      a0 = FloatVector.broadcast(SPECIES, x[x0 + step]).fma(v, a0);
      a1 = FloatVector.broadcast(SPECIES, x[x1 + step]).fma(v, a1);
      a2 = FloatVector.broadcast(SPECIES, x[x2 + step]).fma(v, a2);
      a3 = FloatVector.broadcast(SPECIES, x[x3 + step]).fma(v, a3);
      a4 = FloatVector.broadcast(SPECIES, x[x4 + step]).fma(v, a4);
      a5 = FloatVector.broadcast(SPECIES, x[x5 + step]).fma(v, a5);
      a6 = FloatVector.broadcast(SPECIES, x[x6 + step]).fma(v, a6);
      a7 = FloatVector.broadcast(SPECIES, x[x7 + step]).fma(v, a7);
      a8 = FloatVector.broadcast(SPECIES, x[x8 + step]).fma(v, a8);
      a9 = FloatVector.broadcast(SPECIES, x[x9 + step]).fma(v, a9);
      a10 = FloatVector.broadcast(SPECIES, x[x10 + step]).fma(v, a10);
      a11 = FloatVector.broadcast(SPECIES, x[x11 + step]).fma(v, a11);
    }
    a0.intoArray(c, c0);
    a1.intoArray(c, c0 + ldc);
    a2.intoArray(c, c0 + 2 * ldc);
    a3.intoArray(c, c0 + 3 * ldc);
    a4.intoArray(c, c0 + 4 * ldc);
    a5.intoArray(c, c0 + 5 * ldc);
    a6.intoArray(c, c0 + 6 * ldc);
    a7.intoArray(c, c0 + 7 * ldc);
    a8.intoArray(c, c0 + 8 * ldc);
    a9.intoArray(c, c0 + 9 * ldc);
    a10.intoArray(c, c0 + 10 * ldc);
    a11.intoArray(c, c0 + 11 * ldc);
  }

  /** An accumulator: C's value when adding, else zeros. */
  private static FloatVector start(float[] c, int at, boolean add) {
    return add ? FloatVector.fromArray(SPECIES, c, at) : FloatVector.zero(SPECIES);
  }

  /** Row i's accumulator: C's value when adding to a row of the block, else zeros. */
  private static FloatVector load(float[] c, int at, int rows, int i, boolean add) {
    return start(c, at, add && i < rows);
  }

  private static FloatVector load(float[] c, int at, int rows, int i, boolean add,
      VectorMask<Float> on) {
    return add && i < rows ? FloatVector.fromArray(SPECIES, c, at, on)
        : FloatVector.zero(SPECIES);
  }

  private static void store2(FloatVector v0, FloatVector v1, float[] c, int at, int rows,
      int i) {
    if (i < rows) {
      v0.intoArray(c, at);
      v1.intoArray(c, at + LANES);
    }
  }

  private static void store1(FloatVector v, float[] c, int at, int rows, int i,
      VectorMask<Float> on) {
    if (i < rows) {
      v.intoArray(c, at, on);
    }
  }
}
