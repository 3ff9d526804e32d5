package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Vector GEMM {@code C = alpha * op(A) * op(B) + beta * C} on row-major arrays.
 *
 * <p>Two register-blocked micro-kernels cover every case:
 * <ul>
 *   <li><b>broadcast</b> (op(B) rows contiguous, i.e. B not transposed): one element of A is
 *       broadcast and FMA'd into a contiguous vector of a row of B; 4 rows of C by 2 vectors are
 *       held in 8 accumulators. A may be transposed at no cost: it is only read one scalar at a
 *       time through a row stride and a column stride.
 *   <li><b>dot</b> (A rows and op(B) columns both contiguous along k, i.e. {@code A * B^T}): 4 x 4
 *       dot products of length k at once in 16 accumulators, one lane reduction each at the end.
 *       This is the fast path when C is narrow (10 classes) and k is long (784 pixels).
 * </ul>
 * Large broadcast-shaped products pack B into contiguous panels {@code KC x NR} (so a panel stays
 * in L1 and rows 4 KiB apart do not thrash the cache) and walk C in {@code MC}-row blocks. Only the
 * packing paths allocate; the shapes the trainer uses never pack.
 */
final class VectorGemm {
  /** Width of a broadcast micro-panel: two vectors. */
  private static final int NR = 2 * LANES;
  /** Depth of a packed panel: NR * KC floats (16 KiB at 16 lanes) fit in L1 beside A's rows. */
  private static final int KC = 128;
  /** Rows of C (and A) swept against one packed panel before moving on; A's block stays in L2. */
  private static final int MC = 96;
  /** Below this many multiply-adds packing costs more than it saves. */
  private static final long PACK_MIN_WORK = 1L << 20;
  /** From this many multiply-adds (and a vector of columns) {@link PackedGemm} takes over. */
  static final long PACKED_MIN_WORK = 1L << 15;
  /** Packing copies all of B's slice; it pays back only over many rows of A (not the 10-row gradient). */
  private static final int PACK_MIN_ROWS = 48;

  private VectorGemm() {}

  /**
   * {@link #gemm} over up to {@code threads} threads. Only the packed path is split (the others
   * serve small or narrow products); its elements' bits do not depend on the split.
   */
  static void gemmParallel(int threads, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    int parts = ParallelGemm.parts(threads, m, n, k);
    if (parts == 1 || !packed(m, n, k, alpha)) {
      gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    ParallelGemm.run(parts, m, n, PackedGemm.MR, PackedGemm.NR, PARALLEL_MIN_PANELS,
        (i0, i1, j0, j1) -> {
          if (beta != 0f) {
            scaleC(i1 - i0, j1 - j0, beta, c, cOff + i0 * ldc + j0, ldc);
          }
          PackedGemm.gemm(transA, transB, i0, i1, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb,
              beta == 0f, c, cOff, ldc);
        });
  }

  /** Column blocks of a parallel product are at least this many panels (else rows are cut). */
  private static final int PARALLEL_MIN_PANELS = 8;

  private static boolean packed(int m, int n, int k, float alpha) {
    return n >= LANES && k > 0 && alpha != 0f && (long) m * n * k >= PACKED_MIN_WORK;
  }

  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (packed(m, n, k, alpha)) {
      // Every transpose combination: B packed (transposed while packing), A read in place.
      if (beta != 0f) {
        scaleC(m, n, beta, c, cOff, ldc);
      }
      PackedGemm.gemm(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb,
          beta == 0f, c, cOff, ldc);
      return;
    }
    scaleC(m, n, beta, c, cOff, ldc);
    if (k == 0 || alpha == 0f) {
      return;
    }
    if (!transA && transB) {
      dotProducts(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
      return;
    }
    int rsA = transA ? 1 : lda;
    int csA = transA ? lda : 1;
    if (!transB && n >= LANES) {
      if (n >= NR && m >= PACK_MIN_ROWS && k >= KC && (long) m * n * k >= PACK_MIN_WORK) {
        packedBroadcast(m, n, k, alpha, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc);
      } else {
        broadcast(m, n, k, alpha, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc);
      }
      return;
    }
    if (transB && n >= LANES) {
      // A^T * B^T: transpose B once (k x n) so the broadcast kernel sees contiguous rows.
      float[] bt = transpose(b, bOff, ldb, n, k);
      broadcast(m, n, k, alpha, a, aOff, rsA, csA, bt, 0, n, c, cOff, ldc);
      return;
    }
    if (transA && !transB && m >= LANES) {
      // Narrow C = A^T B with a wide m (the 784 x 10 gradient): C^T = B^T A is wide, so compute
      // it with the broadcast kernel (A's rows are contiguous along m) and add it transposed.
      float[] ct = new float[n * m];
      broadcast(n, m, k, alpha, b, bOff, 1, ldb, a, aOff, lda, ct, 0, m);
      for (int i = 0; i < m; i++) {
        int ci = cOff + i * ldc;
        for (int j = 0; j < n; j++) {
          c[ci + j] += ct[j * m + i];
        }
      }
      return;
    }
    // C narrower than a vector: lay A out as m x k and B as n x k, then take dot products.
    float[] ap = transA ? transpose(a, aOff, lda, k, m) : a;
    int apOff = transA ? 0 : aOff;
    int ldap = transA ? k : lda;
    float[] bp = transB ? b : transpose(b, bOff, ldb, k, n);
    int bpOff = transB ? bOff : 0;
    int ldbp = transB ? ldb : k;
    dotProducts(m, n, k, alpha, ap, apOff, ldap, bp, bpOff, ldbp, c, cOff, ldc);
  }

  /** {@link #gemm}'s packed path with op(B) packed ahead: the same steps, so the same bits. */
  static void gemmPackedB(boolean transA, int m, float alpha, float[] a, int aOff, int lda,
      PackedOperand b, float beta, float[] c, int cOff, int ldc) {
    int n = b.cols();
    int k = b.rows();
    if (m == 0 || !scaleForPacked(m, n, alpha, beta, c, cOff, ldc)) {
      return;
    }
    PackedGemm.gemmPrepacked(transA, m, n, k, alpha, a, aOff, lda, b.data, beta == 0f, c, cOff,
        ldc);
  }

  /** {@link #gemm}'s packed path with op(A) packed ahead: the same steps, so the same bits. */
  static void gemmPackedA(PackedOperand a, boolean transB, int n, float alpha, float[] b, int bOff,
      int ldb, float beta, float[] c, int cOff, int ldc) {
    if (n <= 0) {
      if (n < 0) {
        throw new IllegalArgumentException("gemmPackedA: n must be >= 0, got " + n);
      }
      return;
    }
    int m = a.rows();
    if (!scaleForPacked(m, n, alpha, beta, c, cOff, ldc)) {
      return;
    }
    PackedGemm.gemmPackedA(m, n, a.cols(), alpha, a.data, transB, b, bOff, ldb, beta == 0f, c,
        cOff, ldc);
  }

  /**
   * C as a product with a factor packed ahead needs it: scaled by beta, or zeroed when alpha is 0
   * (beta 0 with alpha set leaves it to the product's first k block). Returns whether there is a
   * product to add.
   */
  private static boolean scaleForPacked(int m, int n, float alpha, float beta, float[] c,
      int cOff, int ldc) {
    if (beta != 0f || alpha == 0f) {
      scaleC(m, n, beta, c, cOff, ldc);
    }
    return alpha != 0f;
  }

  private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
    if (beta == 1f) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      if (beta == 0f) {
        Arrays.fill(c, row, row + n, 0f);
      } else {
        KernelProvider.vector().scale(n, beta, c, row);
      }
    }
  }

  /** A new {@code cols x rows} array holding the transpose of a rows x cols block. */
  private static float[] transpose(float[] src, int off, int ld, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      int s = off + i * ld;
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = src[s + j];
      }
    }
    return t;
  }

  // ---------------------------------------------------------------- broadcast kernel (B rows)

  /** Unpacked broadcast GEMM: C[i, j..] += alpha * sum_p A[i, p] * B[p, j..]. */
  private static void broadcast(int m, int n, int k, float alpha, float[] a, int aOff, int rsA,
      int csA, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int n2 = n - n % NR;
    int n1 = SPECIES.loopBound(n);
    for (int j = 0; j < n2; j += NR) {
      remainderRows(0, m, k, alpha, a, aOff, rsA, csA, b, bOff + j, ldb, c, cOff + j, ldc);
    }
    for (int j = n2; j < n1; j += LANES) {
      for (int i = 0; i < m; i++) {
        kernel1x1(k, alpha, a, aOff + i * rsA, csA, b, bOff + j, ldb, c, cOff + i * ldc + j);
      }
    }
    if (n1 < n) {
      scalarBlock(m, n1, n, k, alpha, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc);
    }
  }

  /**
   * Packed, cache-blocked broadcast GEMM for large shapes: for each KC-deep slice of k, B's slice
   * is copied into NR-wide panels laid out contiguously, then every MC-row block of A is swept
   * against each panel with the 4 x 2-vector micro-kernel.
   */
  private static void packedBroadcast(int m, int n, int k, float alpha, float[] a, int aOff,
      int rsA, int csA, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int n2 = n - n % NR;
    int panels = n2 / NR;
    float[] packed = new float[KC * n2];
    int m6 = m - m % 6;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      packPanels(kc, panels, b, bOff + p0 * ldb, ldb, packed);
      int aSlice = aOff + p0 * csA;
      for (int i0 = 0; i0 < m6; i0 += MC) {
        int iEnd = Math.min(i0 + MC, m6);
        for (int jp = 0; jp < panels; jp++) {
          int panel = jp * kc * NR;
          for (int i = i0; i < iEnd; i += 6) {
            kernel6x2(kc, alpha, a, aSlice + i * rsA, rsA, csA, packed, panel, NR, c,
                cOff + i * ldc + jp * NR, ldc);
          }
        }
      }
      for (int jp = 0; jp < panels; jp++) {
        remainderRows(m6, m, kc, alpha, a, aSlice, rsA, csA, packed, jp * kc * NR, NR, c,
            cOff + jp * NR, ldc);
      }
    }
    if (n2 < n) {
      // The last columns (fewer than NR) go through the unpacked kernels.
      broadcast(m, n - n2, k, alpha, a, aOff, rsA, csA, b, bOff + n2, ldb, c, cOff + n2, ldc);
    }
  }

  private static void packPanels(int kc, int panels, float[] b, int bOff, int ldb, float[] dst) {
    for (int jp = 0; jp < panels; jp++) {
      int d = jp * kc * NR;
      int s = bOff + jp * NR;
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, s + p * ldb, dst, d + p * NR, NR);
      }
    }
  }

  // Epilogues call FloatVector.fma directly, with the broadcast alpha as receiver. A vector that
  // crosses a call C2 did not inline is boxed on the heap: the fma helper is an ordinary method,
  // and in the 6 x 2 kernel C2 stops inlining it at NodeCountInliningCutoff, while FloatVector.fma
  // is force-inlined. An accumulator (a loop phi) as receiver may also lack an exact class.
  private static void kernel4x2(int k, float alpha, float[] a, int ai, int rsA, int csA,
      float[] b, int bi, int ldb, float[] c, int ci, int ldc) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = FloatVector.zero(SPECIES);
    FloatVector c10 = FloatVector.zero(SPECIES);
    FloatVector c11 = FloatVector.zero(SPECIES);
    FloatVector c20 = FloatVector.zero(SPECIES);
    FloatVector c21 = FloatVector.zero(SPECIES);
    FloatVector c30 = FloatVector.zero(SPECIES);
    FloatVector c31 = FloatVector.zero(SPECIES);
    int a0 = ai;
    int a1 = ai + rsA;
    int a2 = ai + 2 * rsA;
    int a3 = ai + 3 * rsA;
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
      int ap = p * csA;
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + ap]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + ap]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[a2 + ap]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[a3 + ap]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    va.fma(c00, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
    va.fma(c01, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
    va.fma(c10, FloatVector.fromArray(SPECIES, c, ci + ldc)).intoArray(c, ci + ldc);
    va.fma(c11, FloatVector.fromArray(SPECIES, c, ci + ldc + LANES)).intoArray(c, ci + ldc + LANES);
    va.fma(c20, FloatVector.fromArray(SPECIES, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
    va.fma(c21, FloatVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES)).intoArray(c, ci + 2 * ldc + LANES);
    va.fma(c30, FloatVector.fromArray(SPECIES, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
    va.fma(c31, FloatVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES)).intoArray(c, ci + 3 * ldc + LANES);
  }

  /** Rows [i, m) of one NR-wide column strip, 4, then 2, then 1 at a time. */
  private static void remainderRows(int i, int m, int k, float alpha, float[] a, int aOff, int rsA,
      int csA, float[] b, int bi, int ldb, float[] c, int cOff, int ldc) {
    for (; i + 4 <= m; i += 4) {
      kernel4x2(k, alpha, a, aOff + i * rsA, rsA, csA, b, bi, ldb, c, cOff + i * ldc, ldc);
    }
    if (i + 2 <= m) {
      kernel2x2(k, alpha, a, aOff + i * rsA, rsA, csA, b, bi, ldb, c, cOff + i * ldc, ldc);
      i += 2;
    }
    if (i < m) {
      kernel1x2(k, alpha, a, aOff + i * rsA, csA, b, bi, ldb, c, cOff + i * ldc);
    }
  }

  private static void kernel6x2(int k, float alpha, float[] a, int ai, int rsA, int csA,
      float[] b, int bi, int ldb, float[] c, int ci, int ldc) {
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
    int a0 = ai;
    int a1 = ai + rsA;
    int a2 = ai + 2 * rsA;
    int a3 = ai + 3 * rsA;
    int a4 = ai + 4 * rsA;
    int a5 = ai + 5 * rsA;
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
      int ap = p * csA;
      FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, a[a1 + ap]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, a[a2 + ap]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, a[a3 + ap]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, a[a4 + ap]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, a[a5 + ap]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    va.fma(c00, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
    va.fma(c01, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
    va.fma(c10, FloatVector.fromArray(SPECIES, c, ci + ldc)).intoArray(c, ci + ldc);
    va.fma(c11, FloatVector.fromArray(SPECIES, c, ci + ldc + LANES)).intoArray(c, ci + ldc + LANES);
    va.fma(c20, FloatVector.fromArray(SPECIES, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
    va.fma(c21, FloatVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES)).intoArray(c, ci + 2 * ldc + LANES);
    va.fma(c30, FloatVector.fromArray(SPECIES, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
    va.fma(c31, FloatVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES)).intoArray(c, ci + 3 * ldc + LANES);
    va.fma(c40, FloatVector.fromArray(SPECIES, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
    va.fma(c41, FloatVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES)).intoArray(c, ci + 4 * ldc + LANES);
    va.fma(c50, FloatVector.fromArray(SPECIES, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
    va.fma(c51, FloatVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES)).intoArray(c, ci + 5 * ldc + LANES);
  }

  private static void kernel2x2(int k, float alpha, float[] a, int ai, int rsA, int csA,
      float[] b, int bi, int ldb, float[] c, int ci, int ldc) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = FloatVector.zero(SPECIES);
    FloatVector c10 = FloatVector.zero(SPECIES);
    FloatVector c11 = FloatVector.zero(SPECIES);
    int a1 = ai + rsA;
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
      int ap = p * csA;
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ai + ap]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + ap]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    va.fma(c00, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
    va.fma(c01, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
    va.fma(c10, FloatVector.fromArray(SPECIES, c, ci + ldc)).intoArray(c, ci + ldc);
    va.fma(c11, FloatVector.fromArray(SPECIES, c, ci + ldc + LANES)).intoArray(c, ci + ldc + LANES);
  }

  private static void kernel1x2(int k, float alpha, float[] a, int ai, int csA,
      float[] b, int bi, int ldb, float[] c, int ci) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = FloatVector.zero(SPECIES);
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      FloatVector x = FloatVector.broadcast(SPECIES, a[ai + p * csA]);
      c00 = x.fma(FloatVector.fromArray(SPECIES, b, bp), c00);
      c01 = x.fma(FloatVector.fromArray(SPECIES, b, bp + LANES), c01);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    va.fma(c00, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
    va.fma(c01, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
  }

  private static void kernel1x1(int k, float alpha, float[] a, int ai, int csA,
      float[] b, int bi, int ldb, float[] c, int ci) {
    FloatVector acc = FloatVector.zero(SPECIES);
    for (int p = 0; p < k; p++) {
      acc = FloatVector.broadcast(SPECIES, a[ai + p * csA])
          .fma(FloatVector.fromArray(SPECIES, b, bi + p * ldb), acc);
    }
    FloatVector.broadcast(SPECIES, alpha).fma(acc, FloatVector.fromArray(SPECIES, c, ci))
        .intoArray(c, ci);
  }

  /** Columns [j0, j1) that do not fill a vector, in plain Java. */
  private static void scalarBlock(int m, int j0, int j1, int k, float alpha, float[] a, int aOff,
      int rsA, int csA, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * rsA;
      for (int j = j0; j < j1; j++) {
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a[ai + p * csA] * b[bOff + p * ldb + j];
        }
        c[cOff + i * ldc + j] += alpha * s;
      }
    }
  }

  // ---------------------------------------------------------------- dot kernel (A * B^T)

  /** C[i, j] += alpha * dot(A[i, :], B[j, :]) with A m x k and B n x k, both row-major. */
  private static void dotProducts(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int m4 = m - m % 4;
    int n4 = n - n % 4;
    // Looked up once here, not in the kernels: a thread's first lookup takes a branch the
    // warm-up's single thread never took, and would send the kernels back to C2 with it.
    float[] t = SCRATCH.get();
    for (int i = 0; i < m4; i += 4) {
      int ai = aOff + i * lda;
      int ci = cOff + i * ldc;
      for (int j = 0; j < n4; j += 4) {
        dot4x4(k, alpha, a, ai, lda, b, bOff + j * ldb, ldb, c, ci + j, ldc, t);
      }
      for (int j = n4; j < n; j++) {
        dot4x1(k, alpha, a, ai, lda, b, bOff + j * ldb, c, ci + j, ldc, t);
      }
    }
    for (int i = m4; i < m; i++) {
      for (int j = 0; j < n; j++) {
        dot1x1(k, alpha, a, aOff + i * lda, b, bOff + j * ldb, c, cOff + i * ldc + j, t);
      }
    }
  }

  /**
   * One dot product with the arithmetic of one element of {@link #dot4x4} (one accumulator, the
   * fixed lane sum, the scalar tail), so a row's results do not depend on which block it is in.
   */
  private static void dot1x1(int k, float alpha, float[] a, int ai, float[] b, int bi, float[] c,
      int ci, float[] t) {
    FloatVector s = FloatVector.zero(SPECIES);
    int bound = SPECIES.loopBound(k);
    for (int p = 0; p < bound; p += LANES) {
      s = FloatVector.fromArray(SPECIES, a, ai + p)
          .fma(FloatVector.fromArray(SPECIES, b, bi + p), s);
    }
    s.intoArray(t, 0);
    c[ci] += alpha * (lanes(t, 0) + tail(k, bound, a, ai, b, bi));
  }

  private static void dot4x4(int k, float alpha, float[] a, int ai, int lda, float[] b, int bi,
      int ldb, float[] c, int ci, int ldc, float[] t) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = FloatVector.zero(SPECIES);
    FloatVector s02 = FloatVector.zero(SPECIES);
    FloatVector s03 = FloatVector.zero(SPECIES);
    FloatVector s10 = FloatVector.zero(SPECIES);
    FloatVector s11 = FloatVector.zero(SPECIES);
    FloatVector s12 = FloatVector.zero(SPECIES);
    FloatVector s13 = FloatVector.zero(SPECIES);
    FloatVector s20 = FloatVector.zero(SPECIES);
    FloatVector s21 = FloatVector.zero(SPECIES);
    FloatVector s22 = FloatVector.zero(SPECIES);
    FloatVector s23 = FloatVector.zero(SPECIES);
    FloatVector s30 = FloatVector.zero(SPECIES);
    FloatVector s31 = FloatVector.zero(SPECIES);
    FloatVector s32 = FloatVector.zero(SPECIES);
    FloatVector s33 = FloatVector.zero(SPECIES);
    int a1 = ai + lda;
    int a2 = ai + 2 * lda;
    int a3 = ai + 3 * lda;
    int b1 = bi + ldb;
    int b2 = bi + 2 * ldb;
    int b3 = bi + 3 * ldb;
    int bound = SPECIES.loopBound(k);
    for (int p = 0; p < bound; p += LANES) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, b, bi + p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, b, b1 + p);
      FloatVector w2 = FloatVector.fromArray(SPECIES, b, b2 + p);
      FloatVector w3 = FloatVector.fromArray(SPECIES, b, b3 + p);
      FloatVector x = FloatVector.fromArray(SPECIES, a, ai + p);
      s00 = x.fma(w0, s00);
      s01 = x.fma(w1, s01);
      s02 = x.fma(w2, s02);
      s03 = x.fma(w3, s03);
      x = FloatVector.fromArray(SPECIES, a, a1 + p);
      s10 = x.fma(w0, s10);
      s11 = x.fma(w1, s11);
      s12 = x.fma(w2, s12);
      s13 = x.fma(w3, s13);
      x = FloatVector.fromArray(SPECIES, a, a2 + p);
      s20 = x.fma(w0, s20);
      s21 = x.fma(w1, s21);
      s22 = x.fma(w2, s22);
      s23 = x.fma(w3, s23);
      x = FloatVector.fromArray(SPECIES, a, a3 + p);
      s30 = x.fma(w0, s30);
      s31 = x.fma(w1, s31);
      s32 = x.fma(w2, s32);
      s33 = x.fma(w3, s33);
    }
    // Lane sums in a fixed order (see StableMath): spill the accumulators to a per-thread scratch
    // and add each one's lanes in sequence, the same bits interpreted or compiled.
    s00.intoArray(t, 0);
    s01.intoArray(t, LANES);
    s02.intoArray(t, 2 * LANES);
    s03.intoArray(t, 3 * LANES);
    s10.intoArray(t, 4 * LANES);
    s11.intoArray(t, 5 * LANES);
    s12.intoArray(t, 6 * LANES);
    s13.intoArray(t, 7 * LANES);
    s20.intoArray(t, 8 * LANES);
    s21.intoArray(t, 9 * LANES);
    s22.intoArray(t, 10 * LANES);
    s23.intoArray(t, 11 * LANES);
    s30.intoArray(t, 12 * LANES);
    s31.intoArray(t, 13 * LANES);
    s32.intoArray(t, 14 * LANES);
    s33.intoArray(t, 15 * LANES);
    storeDotRow(t, 0, k, bound, alpha, a, ai, b, bi, ldb, c, ci);
    storeDotRow(t, 4, k, bound, alpha, a, a1, b, bi, ldb, c, ci + ldc);
    storeDotRow(t, 8, k, bound, alpha, a, a2, b, bi, ldb, c, ci + 2 * ldc);
    storeDotRow(t, 12, k, bound, alpha, a, a3, b, bi, ldb, c, ci + 3 * ldc);
  }

  /** Per-thread spill area for accumulators: 16 vectors. */
  private static final ThreadLocal<float[]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[16 * LANES]);

  /**
   * Replaces the first {@code count} floats of {@code t} by the {@link #lanes} sums of the
   * {@code count} accumulators spilled there ({@code t[q] = lanes(t, q * LANES)}; each sum is
   * written only after the lanes it overwrites were read). One call per epilogue: big kernels are
   * past C2's inlining limits, and a call per accumulator costs more than the sums.
   */
  static void laneSums(float[] t, int count) {
    for (int q = 0; q < count; q++) {
      t[q] = lanes(t, q * LANES);
    }
  }

  /**
   * Sum of {@code LANES} floats of {@code t} from {@code o} in a fixed order: a pairwise tree in
   * registers for 16 and 8 lanes (4 or 3 additions of latency), in index order otherwise.
   */
  static float lanes(float[] t, int o) {
    if (LANES == 16) {
      float a0 = t[o] + t[o + 8];
      float a1 = t[o + 1] + t[o + 9];
      float a2 = t[o + 2] + t[o + 10];
      float a3 = t[o + 3] + t[o + 11];
      float a4 = t[o + 4] + t[o + 12];
      float a5 = t[o + 5] + t[o + 13];
      float a6 = t[o + 6] + t[o + 14];
      float a7 = t[o + 7] + t[o + 15];
      return ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7));
    }
    if (LANES == 8) {
      return ((t[o] + t[o + 4]) + (t[o + 2] + t[o + 6]))
          + ((t[o + 1] + t[o + 5]) + (t[o + 3] + t[o + 7]));
    }
    float s = 0f;
    for (int l = 0; l < LANES; l++) {
      s += t[o + l];
    }
    return s;
  }

  /**
   * Adds one row's four dot products (accumulators {@code first .. first+3} of the scratch), plus
   * their scalar tails [bound, k), into C.
   */
  private static void storeDotRow(float[] t, int first, int k, int bound, float alpha, float[] a,
      int ai, float[] b, int bi, int ldb, float[] c, int ci) {
    for (int j = 0; j < 4; j++) {
      c[ci + j] += alpha * (lanes(t, (first + j) * LANES) + tail(k, bound, a, ai, b, bi + j * ldb));
    }
  }

  private static float tail(int k, int from, float[] a, int ai, float[] b, int bi) {
    float s = 0f;
    for (int p = from; p < k; p++) {
      s += a[ai + p] * b[bi + p];
    }
    return s;
  }

  private static void dot4x1(int k, float alpha, float[] a, int ai, int lda, float[] b, int bi,
      float[] c, int ci, int ldc, float[] t) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = FloatVector.zero(SPECIES);
    FloatVector s2 = FloatVector.zero(SPECIES);
    FloatVector s3 = FloatVector.zero(SPECIES);
    int a1 = ai + lda;
    int a2 = ai + 2 * lda;
    int a3 = ai + 3 * lda;
    int bound = SPECIES.loopBound(k);
    for (int p = 0; p < bound; p += LANES) {
      FloatVector w = FloatVector.fromArray(SPECIES, b, bi + p);
      s0 = FloatVector.fromArray(SPECIES, a, ai + p).fma(w, s0);
      s1 = FloatVector.fromArray(SPECIES, a, a1 + p).fma(w, s1);
      s2 = FloatVector.fromArray(SPECIES, a, a2 + p).fma(w, s2);
      s3 = FloatVector.fromArray(SPECIES, a, a3 + p).fma(w, s3);
    }
    s0.intoArray(t, 0);
    s1.intoArray(t, LANES);
    s2.intoArray(t, 2 * LANES);
    s3.intoArray(t, 3 * LANES);
    c[ci] += alpha * (lanes(t, 0) + tail(k, bound, a, ai, b, bi));
    c[ci + ldc] += alpha * (lanes(t, LANES) + tail(k, bound, a, a1, b, bi));
    c[ci + 2 * ldc] += alpha * (lanes(t, 2 * LANES) + tail(k, bound, a, a2, b, bi));
    c[ci + 3 * ldc] += alpha * (lanes(t, 3 * LANES) + tail(k, bound, a, a3, b, bi));
  }
}
