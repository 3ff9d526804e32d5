package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import simdlearn.kernel.training.ScratchPool;

/**
 * {@code C = A B} where B is read through shifts, {@code B[t][p] = x[xOff + shifts[t] + p]}: a
 * stride-1 convolution straight from its planes (the vector side of
 * {@code TrainingKernels.gemmShifted}).
 *
 * <p>Six rows of A against two vectors of positions: 12 accumulators, two unaligned loads of x
 * and six broadcasts of A per step of t (15 of AVX2's 16 registers, as the packed GEMM's 6 x 2
 * kernel), each accumulator one FMA chain over t from 0. Positions past the last whole pair of
 * vectors take one more pair or one vector that ends at the last position, overlapping the ones
 * before (a masked vector only when a row is shorter than one). Rows past the last six run the
 * same kernel on a zero-padded copy of them, into a tile: an element's bits depend only on its
 * row of A, its position and the shifts. Written as planes ({@link #planes}), each row of C is
 * its own run of positions, and the bias is added to the accumulators as they are stored.
 */
final class ShiftedGemm {
  static final int MR = 6;

  private ShiftedGemm() {}

  /** A copy of the last rows of A (and of their bias) padded to {@link #MR}, and their tile. */
  private static final class Edge {
    float[] a = new float[0];
    float[] bias = new float[MR];
    float[] c = new float[0];
  }

  private static final ScratchPool<Edge> EDGES = new ScratchPool<>(Edge::new);

  static void gemm(int m, int n, int k, float[] a, int aOff, int lda, int[] shifts, float[] x,
      int xOff, float[] c, int cOff, int ldc) {
    planes(m, 1, n, 0, k, a, aOff, lda, shifts, x, xOff, null, 0, c, cOff, ldc);
  }

  /** {@code TrainingKernels.gemmShiftedPlanes}: each row of each plane as {@link #row}. */
  static void planes(int m, int rows, int width, int rowStride, int k, float[] a, int aOff,
      int lda, int[] shifts, float[] x, int xOff, float[] bias, int biasOff, float[] c, int cOff,
      int ldc) {
    if (m <= 0 || rows <= 0 || width <= 0) {
      return;
    }
    int full = m - m % MR;
    for (int i = 0; i < full; i += MR) {
      for (int y = 0; y < rows; y++) {
        row(width, k, a, aOff + i * lda, lda, shifts, x, xOff + y * rowStride, bias,
            biasOff + i, c, cOff + i * ldc + y * width, ldc);
      }
    }
    if (full == m) {
      return;
    }
    int rest = m - full;
    int size = rows * width;
    Edge edge = EDGES.borrow();
    try {
      if (edge.a.length < MR * k) {
        edge.a = new float[MR * k];
      }
      if (edge.c.length < MR * size) {
        edge.c = new float[MR * size];
      }
      Arrays.fill(edge.a, 0, MR * k, 0f);
      Arrays.fill(edge.bias, 0f);
      for (int i = 0; i < rest; i++) {
        System.arraycopy(a, aOff + (full + i) * lda, edge.a, i * k, k);
        if (bias != null) {
          edge.bias[i] = bias[biasOff + full + i];
        }
      }
      float[] edgeBias = bias == null ? null : edge.bias;
      for (int y = 0; y < rows; y++) {
        row(width, k, edge.a, 0, k, shifts, x, xOff + y * rowStride, edgeBias, 0, edge.c,
            y * width, size);
      }
      for (int i = 0; i < rest; i++) {
        System.arraycopy(edge.c, i * size, c, cOff + (full + i) * ldc, size);
      }
    } finally {
      EDGES.release(edge);
    }
  }

  /**
   * Six rows of C from {@code c0}, n positions each: pairs of vectors; then the rest as one more
   * pair whose second vector ends at the last position, overlapping the first (a row of 14:
   * positions 0-7 and 6-13), or as one vector ending there. Overlapped positions get the same
   * bits again, and a masked vector, whose loads C2 may leave to the Vector API's Java code, is
   * needed only for rows shorter than a vector. Row i's bias, when there is one, is
   * {@code bias[biasAt + i]}.
   */
  private static void row(int n, int k, float[] a, int a0, int lda, int[] shifts, float[] x,
      int x0, float[] bias, int biasAt, float[] c, int c0, int ldc) {
    int p = 0;
    for (; p + 2 * LANES <= n; p += 2 * LANES) {
      kernel6x2(k, a, a0, lda, shifts, x, x0 + p, bias, biasAt, c, c0 + p, ldc, LANES);
    }
    int rest = n - p;
    if (rest > LANES) {
      kernel6x2(k, a, a0, lda, shifts, x, x0 + p, bias, biasAt, c, c0 + p, ldc, rest - LANES);
    } else if (rest > 0 && n >= LANES) {
      kernel6x1(k, a, a0, lda, shifts, x, x0 + n - LANES, bias, biasAt, c, c0 + n - LANES, ldc);
    } else if (rest > 0) {
      kernel6x1Masked(k, a, a0, lda, shifts, x, x0, bias, biasAt, c, c0, ldc,
          SPECIES.indexInRange(0, n));
    }
  }

  /** An accumulator with row i's bias added, when there is a bias. */
  private static FloatVector biased(FloatVector acc, float[] bias, int biasAt, int i) {
    return bias == null ? acc : acc.add(bias[biasAt + i]);
  }

  /** Two vectors of positions, the second {@code second} positions after the first. */
  private static void kernel6x2(int k, float[] a, int a0, int lda, int[] shifts, float[] x,
      int x0, float[] bias, int biasAt, float[] c, int c0, int ldc, int second) {
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
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int a4 = a3 + lda;
    int a5 = a4 + lda;
    for (int t = 0; t < k; t++) {
      int xi = x0 + shifts[t];
      FloatVector b0 = FloatVector.fromArray(SPECIES, x, xi);
      FloatVector b1 = FloatVector.fromArray(SPECIES, x, xi + second);
      FloatVector w = FloatVector.broadcast(SPECIES, a[a0 + t]);
      c00 = w.fma(b0, c00);
      c01 = w.fma(b1, c01);
      w = FloatVector.broadcast(SPECIES, a[a1 + t]);
      c10 = w.fma(b0, c10);
      c11 = w.fma(b1, c11);
      w = FloatVector.broadcast(SPECIES, a[a2 + t]);
      c20 = w.fma(b0, c20);
      c21 = w.fma(b1, c21);
      w = FloatVector.broadcast(SPECIES, a[a3 + t]);
      c30 = w.fma(b0, c30);
      c31 = w.fma(b1, c31);
      w = FloatVector.broadcast(SPECIES, a[a4 + t]);
      c40 = w.fma(b0, c40);
      c41 = w.fma(b1, c41);
      w = FloatVector.broadcast(SPECIES, a[a5 + t]);
      c50 = w.fma(b0, c50);
      c51 = w.fma(b1, c51);
    }
    biased(c00, bias, biasAt, 0).intoArray(c, c0);
    biased(c01, bias, biasAt, 0).intoArray(c, c0 + second);
    biased(c10, bias, biasAt, 1).intoArray(c, c0 + ldc);
    biased(c11, bias, biasAt, 1).intoArray(c, c0 + ldc + second);
    biased(c20, bias, biasAt, 2).intoArray(c, c0 + 2 * ldc);
    biased(c21, bias, biasAt, 2).intoArray(c, c0 + 2 * ldc + second);
    biased(c30, bias, biasAt, 3).intoArray(c, c0 + 3 * ldc);
    biased(c31, bias, biasAt, 3).intoArray(c, c0 + 3 * ldc + second);
    biased(c40, bias, biasAt, 4).intoArray(c, c0 + 4 * ldc);
    biased(c41, bias, biasAt, 4).intoArray(c, c0 + 4 * ldc + second);
    biased(c50, bias, biasAt, 5).intoArray(c, c0 + 5 * ldc);
    biased(c51, bias, biasAt, 5).intoArray(c, c0 + 5 * ldc + second);
  }

  /** One vector of positions. */
  private static void kernel6x1(int k, float[] a, int a0, int lda, int[] shifts, float[] x,
      int x0, float[] bias, int biasAt, float[] c, int c0, int ldc) {
    FloatVector c0v = FloatVector.zero(SPECIES);
    FloatVector c1v = c0v;
    FloatVector c2v = c0v;
    FloatVector c3v = c0v;
    FloatVector c4v = c0v;
    FloatVector c5v = c0v;
    for (int t = 0; t < k; t++) {
      FloatVector b = FloatVector.fromArray(SPECIES, x, x0 + shifts[t]);
      c0v = FloatVector.broadcast(SPECIES, a[a0 + t]).fma(b, c0v);
      c1v = FloatVector.broadcast(SPECIES, a[a0 + lda + t]).fma(b, c1v);
      c2v = FloatVector.broadcast(SPECIES, a[a0 + 2 * lda + t]).fma(b, c2v);
      c3v = FloatVector.broadcast(SPECIES, a[a0 + 3 * lda + t]).fma(b, c3v);
      c4v = FloatVector.broadcast(SPECIES, a[a0 + 4 * lda + t]).fma(b, c4v);
      c5v = FloatVector.broadcast(SPECIES, a[a0 + 5 * lda + t]).fma(b, c5v);
    }
    biased(c0v, bias, biasAt, 0).intoArray(c, c0);
    biased(c1v, bias, biasAt, 1).intoArray(c, c0 + ldc);
    biased(c2v, bias, biasAt, 2).intoArray(c, c0 + 2 * ldc);
    biased(c3v, bias, biasAt, 3).intoArray(c, c0 + 3 * ldc);
    biased(c4v, bias, biasAt, 4).intoArray(c, c0 + 4 * ldc);
    biased(c5v, bias, biasAt, 5).intoArray(c, c0 + 5 * ldc);
  }
  /** One vector of positions, the lanes of {@code on} only (the rest neither read nor written). */
  private static void kernel6x1Masked(int k, float[] a, int a0, int lda, int[] shifts, float[] x,
      int x0, float[] bias, int biasAt, float[] c, int c0, int ldc, VectorMask<Float> on) {
    FloatVector c0v = FloatVector.zero(SPECIES);
    FloatVector c1v = c0v;
    FloatVector c2v = c0v;
    FloatVector c3v = c0v;
    FloatVector c4v = c0v;
    FloatVector c5v = c0v;
    for (int t = 0; t < k; t++) {
      FloatVector b = FloatVector.fromArray(SPECIES, x, x0 + shifts[t], on);
      c0v = FloatVector.broadcast(SPECIES, a[a0 + t]).fma(b, c0v);
      c1v = FloatVector.broadcast(SPECIES, a[a0 + lda + t]).fma(b, c1v);
      c2v = FloatVector.broadcast(SPECIES, a[a0 + 2 * lda + t]).fma(b, c2v);
      c3v = FloatVector.broadcast(SPECIES, a[a0 + 3 * lda + t]).fma(b, c3v);
      c4v = FloatVector.broadcast(SPECIES, a[a0 + 4 * lda + t]).fma(b, c4v);
      c5v = FloatVector.broadcast(SPECIES, a[a0 + 5 * lda + t]).fma(b, c5v);
    }
    biased(c0v, bias, biasAt, 0).intoArray(c, c0, on);
    biased(c1v, bias, biasAt, 1).intoArray(c, c0 + ldc, on);
    biased(c2v, bias, biasAt, 2).intoArray(c, c0 + 2 * ldc, on);
    biased(c3v, bias, biasAt, 3).intoArray(c, c0 + 3 * ldc, on);
    biased(c4v, bias, biasAt, 4).intoArray(c, c0 + 4 * ldc, on);
    biased(c5v, bias, biasAt, 5).intoArray(c, c0 + 5 * ldc, on);
  }
}
