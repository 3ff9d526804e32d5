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
 * <p>Blocks of six rows of X against two vectors of columns: 12 accumulators, six broadcasts of
 * X and two loads of B (or G) per step (15 of AVX2's 16 registers). Columns past the last whole
 * pair run one vector at a time, the last one masked; rows past the last six run the same kernel
 * with the last row repeated, whose results are dropped. Every element is one FMA chain (over t
 * from 0, or from C's value over the segments and rows), so its bits never depend on its block.
 */
final class WindowGemm {
  static final int MR = 6;

  private WindowGemm() {}

  /** {@code C[p][j] = sum over t of X[p][t] B[t][j]}. */
  static void gemm(int n, int m, int k, float[] x, int xOff, int[] origins, int[] shifts,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    for (int p = 0; p < n; p += MR) {
      int rows = Math.min(MR, n - p);
      int j = 0;
      for (; j + 2 * LANES <= m; j += 2 * LANES) {
        product6x2(k, x, xOff, origins, p, shifts, b, bOff + j, ldb, c, cOff + p * ldc + j, ldc,
            rows);
      }
      for (; j < m; j += LANES) {
        product6x1(k, x, xOff, origins, p, shifts, b, bOff + j, ldb, c, cOff + p * ldc + j, ldc,
            rows, SPECIES.indexInRange(j, m));
      }
    }
  }

  /** {@code C[t][j] += sum over s, p of X_s[p][t] G_s[p][j]}. */
  static void addTGemm(int k, int m, int n, int segments, float[] x, int xOff, int xStride,
      int[] origins, int[] shifts, float[] g, int gOff, int ldg, int gStride, float[] c,
      int cOff, int ldc) {
    for (int s = 0; s < segments; s++) {
      int xs = xOff + s * xStride;
      int gs = gOff + s * gStride;
      for (int t = 0; t < k; t += MR) {
        int rows = Math.min(MR, k - t);
        int j = 0;
        for (; j + 2 * LANES <= m; j += 2 * LANES) {
          gradient6x2(n, x, xs, shifts, t, origins, g, gs + j, ldg, c, cOff + t * ldc + j, ldc,
              rows);
        }
        for (; j < m; j += LANES) {
          gradient6x1(n, x, xs, shifts, t, origins, g, gs + j, ldg, c, cOff + t * ldc + j, ldc,
              rows, SPECIES.indexInRange(j, m));
        }
      }
    }
  }

  /** Row i of a block of {@code rows} from {@code first}: past the last, the last again. */
  private static int row(int[] index, int first, int i, int rows) {
    return index[first + Math.min(i, rows - 1)];
  }

  private static void product6x2(int k, float[] x, int xOff, int[] origins, int p, int[] shifts,
      float[] b, int b0, int ldb, float[] c, int c0, int ldc, int rows) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    int x0 = xOff + row(origins, p, 0, rows);
    int x1 = xOff + row(origins, p, 1, rows);
    int x2 = xOff + row(origins, p, 2, rows);
    int x3 = xOff + row(origins, p, 3, rows);
    int x4 = xOff + row(origins, p, 4, rows);
    int x5 = xOff + row(origins, p, 5, rows);
    for (int t = 0; t < k; t++) {
      int bi = b0 + t * ldb;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bi);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
      int sh = shifts[t];
      FloatVector w = FloatVector.broadcast(SPECIES, x[x0 + sh]);
      c00 = w.fma(v0, c00);
      c01 = w.fma(v1, c01);
      w = FloatVector.broadcast(SPECIES, x[x1 + sh]);
      c10 = w.fma(v0, c10);
      c11 = w.fma(v1, c11);
      w = FloatVector.broadcast(SPECIES, x[x2 + sh]);
      c20 = w.fma(v0, c20);
      c21 = w.fma(v1, c21);
      w = FloatVector.broadcast(SPECIES, x[x3 + sh]);
      c30 = w.fma(v0, c30);
      c31 = w.fma(v1, c31);
      w = FloatVector.broadcast(SPECIES, x[x4 + sh]);
      c40 = w.fma(v0, c40);
      c41 = w.fma(v1, c41);
      w = FloatVector.broadcast(SPECIES, x[x5 + sh]);
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

  private static void product6x1(int k, float[] x, int xOff, int[] origins, int p, int[] shifts,
      float[] b, int b0, int ldb, float[] c, int c0, int ldc, int rows, VectorMask<Float> on) {
    int x0 = xOff + row(origins, p, 0, rows);
    int x1 = xOff + row(origins, p, 1, rows);
    int x2 = xOff + row(origins, p, 2, rows);
    int x3 = xOff + row(origins, p, 3, rows);
    int x4 = xOff + row(origins, p, 4, rows);
    int x5 = xOff + row(origins, p, 5, rows);
    FloatVector c0v = FloatVector.zero(SPECIES);
    FloatVector c1v = c0v;
    FloatVector c2v = c0v;
    FloatVector c3v = c0v;
    FloatVector c4v = c0v;
    FloatVector c5v = c0v;
    for (int t = 0; t < k; t++) {
      FloatVector v = FloatVector.fromArray(SPECIES, b, b0 + t * ldb, on);
      int sh = shifts[t];
      c0v = FloatVector.broadcast(SPECIES, x[x0 + sh]).fma(v, c0v);
      c1v = FloatVector.broadcast(SPECIES, x[x1 + sh]).fma(v, c1v);
      c2v = FloatVector.broadcast(SPECIES, x[x2 + sh]).fma(v, c2v);
      c3v = FloatVector.broadcast(SPECIES, x[x3 + sh]).fma(v, c3v);
      c4v = FloatVector.broadcast(SPECIES, x[x4 + sh]).fma(v, c4v);
      c5v = FloatVector.broadcast(SPECIES, x[x5 + sh]).fma(v, c5v);
    }
    store1(c0v, c, c0, rows, 0, on);
    store1(c1v, c, c0 + ldc, rows, 1, on);
    store1(c2v, c, c0 + 2 * ldc, rows, 2, on);
    store1(c3v, c, c0 + 3 * ldc, rows, 3, on);
    store1(c4v, c, c0 + 4 * ldc, rows, 4, on);
    store1(c5v, c, c0 + 5 * ldc, rows, 5, on);
  }

  private static void gradient6x2(int n, float[] x, int xs, int[] shifts, int t, int[] origins,
      float[] g, int g0, int ldg, float[] c, int c0, int ldc, int rows) {
    FloatVector c00 = load(c, c0, rows, 0);
    FloatVector c01 = load(c, c0 + LANES, rows, 0);
    FloatVector c10 = load(c, c0 + ldc, rows, 1);
    FloatVector c11 = load(c, c0 + ldc + LANES, rows, 1);
    FloatVector c20 = load(c, c0 + 2 * ldc, rows, 2);
    FloatVector c21 = load(c, c0 + 2 * ldc + LANES, rows, 2);
    FloatVector c30 = load(c, c0 + 3 * ldc, rows, 3);
    FloatVector c31 = load(c, c0 + 3 * ldc + LANES, rows, 3);
    FloatVector c40 = load(c, c0 + 4 * ldc, rows, 4);
    FloatVector c41 = load(c, c0 + 4 * ldc + LANES, rows, 4);
    FloatVector c50 = load(c, c0 + 5 * ldc, rows, 5);
    FloatVector c51 = load(c, c0 + 5 * ldc + LANES, rows, 5);
    int x0 = xs + row(shifts, t, 0, rows);
    int x1 = xs + row(shifts, t, 1, rows);
    int x2 = xs + row(shifts, t, 2, rows);
    int x3 = xs + row(shifts, t, 3, rows);
    int x4 = xs + row(shifts, t, 4, rows);
    int x5 = xs + row(shifts, t, 5, rows);
    for (int p = 0; p < n; p++) {
      int gi = g0 + p * ldg;
      FloatVector v0 = FloatVector.fromArray(SPECIES, g, gi);
      FloatVector v1 = FloatVector.fromArray(SPECIES, g, gi + LANES);
      int o = origins[p];
      FloatVector w = FloatVector.broadcast(SPECIES, x[x0 + o]);
      c00 = w.fma(v0, c00);
      c01 = w.fma(v1, c01);
      w = FloatVector.broadcast(SPECIES, x[x1 + o]);
      c10 = w.fma(v0, c10);
      c11 = w.fma(v1, c11);
      w = FloatVector.broadcast(SPECIES, x[x2 + o]);
      c20 = w.fma(v0, c20);
      c21 = w.fma(v1, c21);
      w = FloatVector.broadcast(SPECIES, x[x3 + o]);
      c30 = w.fma(v0, c30);
      c31 = w.fma(v1, c31);
      w = FloatVector.broadcast(SPECIES, x[x4 + o]);
      c40 = w.fma(v0, c40);
      c41 = w.fma(v1, c41);
      w = FloatVector.broadcast(SPECIES, x[x5 + o]);
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

  private static void gradient6x1(int n, float[] x, int xs, int[] shifts, int t, int[] origins,
      float[] g, int g0, int ldg, float[] c, int c0, int ldc, int rows, VectorMask<Float> on) {
    int x0 = xs + row(shifts, t, 0, rows);
    int x1 = xs + row(shifts, t, 1, rows);
    int x2 = xs + row(shifts, t, 2, rows);
    int x3 = xs + row(shifts, t, 3, rows);
    int x4 = xs + row(shifts, t, 4, rows);
    int x5 = xs + row(shifts, t, 5, rows);
    FloatVector c0v = load(c, c0, rows, 0, on);
    FloatVector c1v = load(c, c0 + ldc, rows, 1, on);
    FloatVector c2v = load(c, c0 + 2 * ldc, rows, 2, on);
    FloatVector c3v = load(c, c0 + 3 * ldc, rows, 3, on);
    FloatVector c4v = load(c, c0 + 4 * ldc, rows, 4, on);
    FloatVector c5v = load(c, c0 + 5 * ldc, rows, 5, on);
    for (int p = 0; p < n; p++) {
      FloatVector v = FloatVector.fromArray(SPECIES, g, g0 + p * ldg, on);
      int o = origins[p];
      c0v = FloatVector.broadcast(SPECIES, x[x0 + o]).fma(v, c0v);
      c1v = FloatVector.broadcast(SPECIES, x[x1 + o]).fma(v, c1v);
      c2v = FloatVector.broadcast(SPECIES, x[x2 + o]).fma(v, c2v);
      c3v = FloatVector.broadcast(SPECIES, x[x3 + o]).fma(v, c3v);
      c4v = FloatVector.broadcast(SPECIES, x[x4 + o]).fma(v, c4v);
      c5v = FloatVector.broadcast(SPECIES, x[x5 + o]).fma(v, c5v);
    }
    store1(c0v, c, c0, rows, 0, on);
    store1(c1v, c, c0 + ldc, rows, 1, on);
    store1(c2v, c, c0 + 2 * ldc, rows, 2, on);
    store1(c3v, c, c0 + 3 * ldc, rows, 3, on);
    store1(c4v, c, c0 + 4 * ldc, rows, 4, on);
    store1(c5v, c, c0 + 5 * ldc, rows, 5, on);
  }

  /** C's row i of the block (zeros for a repeated row past the block's last). */
  private static FloatVector load(float[] c, int at, int rows, int i) {
    return i < rows ? FloatVector.fromArray(SPECIES, c, at) : FloatVector.zero(SPECIES);
  }

  private static FloatVector load(float[] c, int at, int rows, int i, VectorMask<Float> on) {
    return i < rows ? FloatVector.fromArray(SPECIES, c, at, on) : FloatVector.zero(SPECIES);
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
