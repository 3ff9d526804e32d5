package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * GEMMs whose X operand is a gathered set of unsigned-byte rows (a shuffled minibatch of pixels),
 * read and widened to floats inside the micro-kernel instead of being copied to a float buffer
 * first. For a linear layer on images that copy was a fifth of an epoch: 188 MB of floats
 * written and read back per Fashion-MNIST epoch, where the bytes are 47 MB.
 *
 * <p>Both kernels cover up to {@link #BLOCK} outputs per pass, enough for the ten classes of
 * (Fashion-)MNIST in one pass so each pixel vector is widened once. A partial last block or a last
 * odd row repeats an earlier index: the repeat computes the same bits and stores them to the same
 * place, so one micro-kernel serves every shape. Sums over pixels are scaled once at the end
 * ({@code scale * sum(pixel * w)}); every sum is formed in a fixed order, so results do not depend
 * on the JIT tier.
 */
final class VectorGatheredGemm {
  /** Outputs per pass: 20 accumulators plus operands fit AVX-512's 32 registers. */
  static final int BLOCK = 10;

  private VectorGatheredGemm() {}

  /** True when the vector kernels apply: a byte vector of {@code LANES} lanes exists. */
  static boolean supported() {
    return VectorKernels.BYTES != null;
  }

  /** C (m x n) = scale * X · B^T with X's row r the bytes at {@code x[rows[rowsOff + r] * k]}. */
  static void gemmGatheredNT(int m, int n, int k, byte[] x, int[] rows, int rowsOff, float scale,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    float[] t = SCRATCH.get();
    int touched = 0;
    for (int r = 0; r < m; r += 2) {
      int r1 = Math.min(r + 1, m - 1);
      int x0 = rows[rowsOff + r] * k;
      int x1 = rows[rowsOff + r1] * k;
      if (r + 2 < m) {
        touched += touch(x, rows[rowsOff + r + 2] * k, k);
        touched += touch(x, rows[rowsOff + Math.min(r + 3, m - 1)] * k, k);
      }
      for (int j = 0; j < n; j += BLOCK) {
        dot2xBlock(k, x, x0, x1, scale, b, bOff, ldb, j, n, c, cOff + r * ldc, cOff + r1 * ldc, t);
      }
    }
    sink = touched;
  }

  /** Keeps the touching loads alive: their sum must go somewhere the JIT cannot prove unused. */
  @SuppressWarnings("unused")
  private static int sink;

  /**
   * Reads one byte of every cache line of {@code x[off .. off + len)}. Shuffled rows are scattered
   * through a large array; touching the next rows' lines while the current ones are multiplied
   * starts all their cache misses together, instead of one or two at a time as the kernel walks a
   * row. A random row costs a DRAM round trip either way; touching ahead overlaps them.
   */
  private static int touch(byte[] x, int off, int len) {
    int s = 0;
    for (int p = off, end = off + len; p < end; p += 64) {
      s += x[p];
    }
    return len == 0 ? s : s + x[off + len - 1];
  }

  /**
   * Two rows of X against outputs {@code j .. j+9} (clamped to {@code n - 1}) of B: 20 dot
   * products of length k.
   */
  private static void dot2xBlock(int k, byte[] x, int x0, int x1, float scale, float[] b,
      int bOff, int ldb, int j, int n, float[] c, int c0, int c1, float[] t) {
    int last = n - 1;
    int w0 = bOff + Math.min(j, last) * ldb;
    int w1 = bOff + Math.min(j + 1, last) * ldb;
    int w2 = bOff + Math.min(j + 2, last) * ldb;
    int w3 = bOff + Math.min(j + 3, last) * ldb;
    int w4 = bOff + Math.min(j + 4, last) * ldb;
    int w5 = bOff + Math.min(j + 5, last) * ldb;
    int w6 = bOff + Math.min(j + 6, last) * ldb;
    int w7 = bOff + Math.min(j + 7, last) * ldb;
    int w8 = bOff + Math.min(j + 8, last) * ldb;
    int w9 = bOff + Math.min(j + 9, last) * ldb;
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = FloatVector.zero(SPECIES);
    FloatVector s02 = FloatVector.zero(SPECIES);
    FloatVector s03 = FloatVector.zero(SPECIES);
    FloatVector s04 = FloatVector.zero(SPECIES);
    FloatVector s05 = FloatVector.zero(SPECIES);
    FloatVector s06 = FloatVector.zero(SPECIES);
    FloatVector s07 = FloatVector.zero(SPECIES);
    FloatVector s08 = FloatVector.zero(SPECIES);
    FloatVector s09 = FloatVector.zero(SPECIES);
    FloatVector s10 = FloatVector.zero(SPECIES);
    FloatVector s11 = FloatVector.zero(SPECIES);
    FloatVector s12 = FloatVector.zero(SPECIES);
    FloatVector s13 = FloatVector.zero(SPECIES);
    FloatVector s14 = FloatVector.zero(SPECIES);
    FloatVector s15 = FloatVector.zero(SPECIES);
    FloatVector s16 = FloatVector.zero(SPECIES);
    FloatVector s17 = FloatVector.zero(SPECIES);
    FloatVector s18 = FloatVector.zero(SPECIES);
    FloatVector s19 = FloatVector.zero(SPECIES);
    int bound = SPECIES.loopBound(k);
    for (int p = 0; p < bound; p += LANES) {
      FloatVector a = VectorKernels.widen(x, x0 + p);
      FloatVector e = VectorKernels.widen(x, x1 + p);
      FloatVector w = FloatVector.fromArray(SPECIES, b, w0 + p);
      s00 = a.fma(w, s00);
      s10 = e.fma(w, s10);
      w = FloatVector.fromArray(SPECIES, b, w1 + p);
      s01 = a.fma(w, s01);
      s11 = e.fma(w, s11);
      w = FloatVector.fromArray(SPECIES, b, w2 + p);
      s02 = a.fma(w, s02);
      s12 = e.fma(w, s12);
      w = FloatVector.fromArray(SPECIES, b, w3 + p);
      s03 = a.fma(w, s03);
      s13 = e.fma(w, s13);
      w = FloatVector.fromArray(SPECIES, b, w4 + p);
      s04 = a.fma(w, s04);
      s14 = e.fma(w, s14);
      w = FloatVector.fromArray(SPECIES, b, w5 + p);
      s05 = a.fma(w, s05);
      s15 = e.fma(w, s15);
      w = FloatVector.fromArray(SPECIES, b, w6 + p);
      s06 = a.fma(w, s06);
      s16 = e.fma(w, s16);
      w = FloatVector.fromArray(SPECIES, b, w7 + p);
      s07 = a.fma(w, s07);
      s17 = e.fma(w, s17);
      w = FloatVector.fromArray(SPECIES, b, w8 + p);
      s08 = a.fma(w, s08);
      s18 = e.fma(w, s18);
      w = FloatVector.fromArray(SPECIES, b, w9 + p);
      s09 = a.fma(w, s09);
      s19 = e.fma(w, s19);
    }
    // Lane sums in a fixed order: spill to the per-thread scratch (see VectorGemm.lanes).
    s00.intoArray(t, 0);
    s01.intoArray(t, LANES);
    s02.intoArray(t, 2 * LANES);
    s03.intoArray(t, 3 * LANES);
    s04.intoArray(t, 4 * LANES);
    s05.intoArray(t, 5 * LANES);
    s06.intoArray(t, 6 * LANES);
    s07.intoArray(t, 7 * LANES);
    s08.intoArray(t, 8 * LANES);
    s09.intoArray(t, 9 * LANES);
    s10.intoArray(t, 10 * LANES);
    s11.intoArray(t, 11 * LANES);
    s12.intoArray(t, 12 * LANES);
    s13.intoArray(t, 13 * LANES);
    s14.intoArray(t, 14 * LANES);
    s15.intoArray(t, 15 * LANES);
    s16.intoArray(t, 16 * LANES);
    s17.intoArray(t, 17 * LANES);
    s18.intoArray(t, 18 * LANES);
    s19.intoArray(t, 19 * LANES);
    if (bound == k && j + BLOCK <= n) {
      // The common case (a whole block, no scalar tail): one call for all 20 sums, because C2
      // inlines neither lanes() nor storeRow() into this large method, and 20 calls per row
      // pair slowed the forward pass (docs/benchmarks.md).
      VectorGemm.laneSums(t, 2 * BLOCK);
      for (int q = 0; q < BLOCK; q++) {
        c[c0 + j + q] = scale * t[q];
        c[c1 + j + q] = scale * t[BLOCK + q];
      }
      return;
    }
    storeRow(t, 0, k, bound, scale, x, x0, b, bOff, ldb, j, n, c, c0);
    storeRow(t, BLOCK, k, bound, scale, x, x1, b, bOff, ldb, j, n, c, c1);
  }

  /** Per-thread spill area for the 20 accumulators. */
  private static final ThreadLocal<float[]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[2 * BLOCK * LANES]);

  /** Finishes one row of a block: lane sums plus the scalar tail [bound, k), times scale. */
  private static void storeRow(float[] t, int first, int k, int bound, float scale, byte[] x,
      int xi, float[] b, int bOff, int ldb, int j, int n, float[] c, int ci) {
    int end = Math.min(j + BLOCK, n);
    for (int q = j; q < end; q++) {
      int bi = bOff + q * ldb;
      float s = VectorGemm.lanes(t, (first + q - j) * LANES);
      for (int p = bound; p < k; p++) {
        s = Math.fma(x[xi + p] & 0xFF, b[bi + p], s);
      }
      c[ci + q] = scale * s;
    }
  }

  /**
   * C (n x k) = scale * A^T · X with A m x n and X's row r the bytes at
   * {@code x[rows[rowsOff + r] * k]}: the weight gradient of a linear layer.
   */
  static void gemmTNGathered(int m, int n, int k, float[] a, int aOff, int lda, byte[] x,
      int[] rows, int rowsOff, float scale, float[] c, int cOff, int ldc) {
    int bound = SPECIES.loopBound(k);
    for (int i = 0; i < n; i += BLOCK) {
      // Two-vector column tiles; an odd last vector is covered by a tile shifted back one
      // vector, which recomputes (same bits) the vector before it.
      if (bound >= 2 * LANES) {
        for (int p = 0; p < bound; p += 2 * LANES) {
          int q = Math.min(p, bound - 2 * LANES);
          blockx2(m, k, a, aOff, lda, i, n, x, rows, rowsOff, q, scale, c, cOff, ldc);
        }
        scalarColumns(m, n, k, i, bound, k, a, aOff, lda, x, rows, rowsOff, scale, c, cOff, ldc);
      } else {
        scalarColumns(m, n, k, i, 0, k, a, aOff, lda, x, rows, rowsOff, scale, c, cOff, ldc);
      }
    }
  }

  /** Outputs {@code i .. i+9} (clamped) x columns {@code p .. p + 2 * LANES} of C. */
  private static void blockx2(int m, int k, float[] a, int aOff, int lda, int i, int n, byte[] x,
      int[] rows, int rowsOff, int p, float scale, float[] c, int cOff, int ldc) {
    int last = n - 1;
    int i0 = Math.min(i, last);
    int i1 = Math.min(i + 1, last);
    int i2 = Math.min(i + 2, last);
    int i3 = Math.min(i + 3, last);
    int i4 = Math.min(i + 4, last);
    int i5 = Math.min(i + 5, last);
    int i6 = Math.min(i + 6, last);
    int i7 = Math.min(i + 7, last);
    int i8 = Math.min(i + 8, last);
    int i9 = Math.min(i + 9, last);
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = FloatVector.zero(SPECIES);
    FloatVector c10 = FloatVector.zero(SPECIES);
    FloatVector c11 = FloatVector.zero(SPECIES);
    FloatVector c20 = FloatVector.zero(SPECIES);
    FloatVector c21 = FloatVector.zero(SPECIES);
    FloatVector c30 = FloatVector.zero(SPECIES);
    FloatVector c31 = FloatVector.zero(SPECIES);
    FloatVector c40 = FloatVector.zero(SPECIES);
    FloatVector c41 = FloatVector.zero(SPECIES);
    FloatVector c50 = FloatVector.zero(SPECIES);
    FloatVector c51 = FloatVector.zero(SPECIES);
    FloatVector c60 = FloatVector.zero(SPECIES);
    FloatVector c61 = FloatVector.zero(SPECIES);
    FloatVector c70 = FloatVector.zero(SPECIES);
    FloatVector c71 = FloatVector.zero(SPECIES);
    FloatVector c80 = FloatVector.zero(SPECIES);
    FloatVector c81 = FloatVector.zero(SPECIES);
    FloatVector c90 = FloatVector.zero(SPECIES);
    FloatVector c91 = FloatVector.zero(SPECIES);
    for (int r = 0; r < m; r++) {
      int xi = rows[rowsOff + r] * k + p;
      FloatVector v0 = VectorKernels.widen(x, xi);
      FloatVector v1 = VectorKernels.widen(x, xi + LANES);
      int ar = aOff + r * lda;
      FloatVector g = FloatVector.broadcast(SPECIES, a[ar + i0]);
      c00 = g.fma(v0, c00);
      c01 = g.fma(v1, c01);
      g = FloatVector.broadcast(SPECIES, a[ar + i1]);
      c10 = g.fma(v0, c10);
      c11 = g.fma(v1, c11);
      g = FloatVector.broadcast(SPECIES, a[ar + i2]);
      c20 = g.fma(v0, c20);
      c21 = g.fma(v1, c21);
      g = FloatVector.broadcast(SPECIES, a[ar + i3]);
      c30 = g.fma(v0, c30);
      c31 = g.fma(v1, c31);
      g = FloatVector.broadcast(SPECIES, a[ar + i4]);
      c40 = g.fma(v0, c40);
      c41 = g.fma(v1, c41);
      g = FloatVector.broadcast(SPECIES, a[ar + i5]);
      c50 = g.fma(v0, c50);
      c51 = g.fma(v1, c51);
      g = FloatVector.broadcast(SPECIES, a[ar + i6]);
      c60 = g.fma(v0, c60);
      c61 = g.fma(v1, c61);
      g = FloatVector.broadcast(SPECIES, a[ar + i7]);
      c70 = g.fma(v0, c70);
      c71 = g.fma(v1, c71);
      g = FloatVector.broadcast(SPECIES, a[ar + i8]);
      c80 = g.fma(v0, c80);
      c81 = g.fma(v1, c81);
      g = FloatVector.broadcast(SPECIES, a[ar + i9]);
      c90 = g.fma(v0, c90);
      c91 = g.fma(v1, c91);
    }
    FloatVector s = FloatVector.broadcast(SPECIES, scale);
    int o = cOff + p;
    s.mul(c00).intoArray(c, o + i0 * ldc);
    s.mul(c01).intoArray(c, o + i0 * ldc + LANES);
    s.mul(c10).intoArray(c, o + i1 * ldc);
    s.mul(c11).intoArray(c, o + i1 * ldc + LANES);
    s.mul(c20).intoArray(c, o + i2 * ldc);
    s.mul(c21).intoArray(c, o + i2 * ldc + LANES);
    s.mul(c30).intoArray(c, o + i3 * ldc);
    s.mul(c31).intoArray(c, o + i3 * ldc + LANES);
    s.mul(c40).intoArray(c, o + i4 * ldc);
    s.mul(c41).intoArray(c, o + i4 * ldc + LANES);
    s.mul(c50).intoArray(c, o + i5 * ldc);
    s.mul(c51).intoArray(c, o + i5 * ldc + LANES);
    s.mul(c60).intoArray(c, o + i6 * ldc);
    s.mul(c61).intoArray(c, o + i6 * ldc + LANES);
    s.mul(c70).intoArray(c, o + i7 * ldc);
    s.mul(c71).intoArray(c, o + i7 * ldc + LANES);
    s.mul(c80).intoArray(c, o + i8 * ldc);
    s.mul(c81).intoArray(c, o + i8 * ldc + LANES);
    s.mul(c90).intoArray(c, o + i9 * ldc);
    s.mul(c91).intoArray(c, o + i9 * ldc + LANES);
  }

  /**
   * Columns {@code from .. to} of outputs {@code i .. i+9} one element at a time, with the same
   * operations in the same order as a vector lane: the tail gives the bits a vector would.
   */
  private static void scalarColumns(int m, int n, int k, int i, int from, int to, float[] a,
      int aOff, int lda, byte[] x, int[] rows, int rowsOff, float scale, float[] c, int cOff,
      int ldc) {
    int end = Math.min(i + BLOCK, n);
    for (int q = i; q < end; q++) {
      for (int p = from; p < to; p++) {
        float s = 0f;
        for (int r = 0; r < m; r++) {
          s = Math.fma(a[aOff + r * lda + q], x[rows[rowsOff + r] * k + p] & 0xFF, s);
        }
        c[cOff + q * ldc + p] = scale * s;
      }
    }
  }
}
