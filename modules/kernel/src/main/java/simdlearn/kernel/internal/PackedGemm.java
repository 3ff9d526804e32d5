package simdlearn.kernel.internal;

import static simdlearn.kernel.internal.VectorKernels.LANES;
import static simdlearn.kernel.internal.VectorKernels.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import simdlearn.kernel.training.ScratchPool;

/**
 * Cache-blocked GEMM {@code C += alpha * op(A) * op(B)} for the shapes where arithmetic dominates
 * (BLIS's loop structure, simplified).
 *
 * <p>B is packed {@code NC} columns wide into panels {@code NR = 2 * LANES} columns wide, laid
 * out k-major in blocks {@code KC} deep, so the micro-kernel reads it with one constant stride
 * and a panel ({@code KC x NR} floats, 32 KiB at 16 lanes) stays in L1 while a row block of A
 * passes over it. Up to {@code KB} of depth is packed at once and each row block of A sweeps all
 * of it before the next row block, so C's block stays in L2 instead of being re-read from memory
 * once per {@code KC}. A row block of A is packed k-major too when it serves enough panels of B,
 * or comes packed ahead ({@link #packA}): in panels of 12 rows, whose 12 x 2-vector kernel (24
 * accumulators) runs at 0.85-0.95 of the FMA units' peak where six rows read in place reach 0.7-0.8
 * (half the loads of A and the loop overhead per FMA); for narrow products A is read in place by
 * a 6 x 2-vector kernel, which the copy would not pay for.
 *
 * <p>Every micro-kernel computes an output element as one FMA chain over k in index order
 * (restarted every {@code KC} and added to C with one {@code fma(alpha, acc, C)}). Edge rows and
 * columns run the same kernels on zero-padded rows of A and a tile holding C's values, so an
 * element's bits depend only on its row of op(A), its column of op(B), k and alpha: never on
 * where it sits, which kernel computed it, how the rows were cut into shards, or how a caller
 * splits the work between threads.
 */
final class PackedGemm {
  static final int MR = 6;
  /** Rows of the widest kernel, which reads A packed: twice MR, 24 accumulators. */
  static final int WIDE_MR = 2 * MR;
  static final int NR = 2 * LANES;
  /** Depth of a packed panel: KC x NR floats stay in L1 (32 KiB at 16 lanes). */
  static final int KC = 256;
  /** Width of a packed block of B: KC x NC floats (512 KiB) stay in L2. */
  static final int NC = 16 * NR;
  /** Rows of A swept against one packed block before the next: MC x KC floats in L2. */
  static final int MC = 16 * WIDE_MR;
  /**
   * Vectors of 8 lanes or fewer mean AVX2's 16 registers (AVX-512 has 32): there the 8- and
   * 12-row kernels' 16 and 24 accumulators spill to the stack, so packed A is cut into 6-row
   * panels only (12 accumulators, 2 of B and a broadcast fit). docs/benchmarks.md has the figures.
   */
  static final boolean NARROW = LANES <= 8;

  /** Depth of B packed at once: KB x NC floats (4 MiB at most), KC blocks of it in turn. */
  static final int KB = 8 * KC;
  /**
   * Panels of B a row block must serve before packing A pays, measured at the trainer's shapes
   * (docs/benchmarks.md): transposed A is read a cache line per step in place and packed by
   * masked vector copies, so it pays one panel sooner.
   */
  static final int PACK_A_PANELS = 5;
  static final int PACK_TRANSPOSED_A_PANELS = 4;

  private PackedGemm() {}

  /** Scratch of one call: a packed block of B, a C tile and zero-padded edge rows of A. */
  static final class Scratch {
    float[] packed = new float[0];
    final float[] tile = new float[WIDE_MR * NR];
    final float[] edgeA = new float[MR * KC];
    /** The row block of A as k-major panels ({@link #packBlock}), when it is packed. */
    final float[] packedA = new float[(MC + MR) * KC];
    private final int[] map = new int[LANES];
    private int mapStride = -1;
    /** Gather maps of k-major panels 6, 8 and 12 rows high, and the row stride each is for. */
    private final int[][] panelMaps = new int[PANEL_HEIGHTS][];
    private final int[] panelStrides = new int[PANEL_HEIGHTS];

    /** {@code {0, ld, 2 ld, ...}}: the gather offsets of LANES rows {@code ld} apart. */
    int[] gatherMap(int ld) {
      if (mapStride != ld) {
        for (int l = 0; l < LANES; l++) {
          map[l] = l * ld;
        }
        mapStride = ld;
      }
      return map;
    }

    /**
     * Gather offsets that read {@code h} rows {@code ld} apart into a k-major panel: lane l of
     * vector v takes element {@code q = v * LANES + l} of the panel, row {@code q % h} at step
     * {@code q / h}; lcm(h, LANES) elements, whole vectors and whole steps.
     */
    int[] panelGatherMap(int h, int ld) {
      int slot = h / 2 - 3;
      if (panelMaps[slot] == null || panelStrides[slot] != ld) {
        int[] m = panelMaps[slot] == null ? new int[lcm(h, LANES)] : panelMaps[slot];
        for (int q = 0; q < m.length; q++) {
          m[q] = q % h * ld + q / h;
        }
        panelMaps[slot] = m;
        panelStrides[slot] = ld;
      }
      return panelMaps[slot];
    }
  }

  /** Slots of {@link Scratch#panelGatherMap}: heights 6, 8 and 12 at h / 2 - 3. */
  private static final int PANEL_HEIGHTS = 4;

  private static int lcm(int a, int b) {
    int x = a;
    int y = b;
    while (y != 0) {
      int t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

  /**
   * {@code C[rows, cols] += alpha * op(A)[rows, :] * op(B)[:, cols]} for rows {@code [i0, i1)} and
   * columns {@code [j0, j1)} of C (the whole product when called with 0, m, 0, n). With
   * {@code overwrite}, C's old values are ignored (BLAS's beta = 0): the first k block writes
   * {@code fma(alpha, acc, 0)} instead of reading C, which saves zeroing C first, for the same bits.
   */
  static void gemm(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean overwrite,
      float[] c, int cOff, int ldc) {
    sweep(transA, transB, i0, i1, j0, j1, k, alpha, a, aOff, lda, null, b, bOff, ldb, overwrite,
        c, cOff, ldc);
  }

  /**
   * {@link #gemm}'s loops, A read from {@code a} or, when {@code ap} is not null, packed ahead by
   * {@link #packA} (rows i0..i1 then the whole of it).
   */
  private static void sweep(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
      float alpha, float[] a, int aOff, int lda, float[] ap, float[] b, int bOff, int ldb,
      boolean overwrite, float[] c, int cOff, int ldc) {
    Scratch s = SCRATCH.borrow();
    try {
      int maxPanels = (Math.min(NC, j1 - j0) + NR - 1) / NR;
      int kb = Math.min(KB, k);
      int need = kb * maxPanels * NR;
      if (s.packed.length < need) {
        s.packed = new float[need];
      }
      for (int jc = j0; jc < j1; jc += NC) {
        int nc = Math.min(NC, j1 - jc);
        for (int pb = 0; pb < k; pb += kb) {
          int depth = Math.min(kb, k - pb);
          // Pack the slab's KC-deep blocks one after another, then sweep each row block of A
          // through all of them, so its C block stays in L2 across the slab's depth.
          for (int pc = pb; pc < pb + depth; pc += KC) {
            int kc = Math.min(KC, pb + depth - pc);
            packB(transB, b, bOff, ldb, pc, kc, jc, nc, s.packed, (pc - pb) * maxPanels * NR,
                kc, s);
          }
          for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            for (int pc = pb; pc < pb + depth; pc += KC) {
              int kc = Math.min(KC, pb + depth - pc);
              boolean accumulate = pc > 0 || !overwrite;
              macro(transA, ic, mc, pc, kc, jc, nc, alpha, a, aOff, lda, accumulate, c, cOff, ldc,
                  s, s.packed, (pc - pb) * maxPanels * NR, ap,
                  ap == null ? 0 : (ic - i0) * k + pc * paddedRows(mc));
            }
          }
        }
      }
    } finally {
      SCRATCH.release(s);
    }
  }

  /**
   * {@code dst[j * ldd + i] = src[i * lds + j]}: LANES source rows at a time, each destination
   * vector one gather down a column (the rows' lines stay in L1 across the columns); the last
   * rows by the scalar reference.
   */
  static void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst,
      int dstOff, int ldd) {
    int i = 0;
    if (rows >= LANES && (long) (LANES - 1) * lds < Integer.MAX_VALUE - src.length) {
      Scratch s = SCRATCH.borrow();
      try {
        int[] map = s.gatherMap(lds);
        for (; i + LANES <= rows; i += LANES) {
          int from = srcOff + i * lds;
          for (int j = 0; j < cols; j++) {
            FloatVector.fromArray(SPECIES, src, from + j, map, 0).intoArray(dst,
                dstOff + j * ldd + i);
          }
        }
      } finally {
        SCRATCH.release(s);
      }
    }
    KernelProvider.SCALAR.transpose(rows - i, cols, src, srcOff + i * lds, lds, dst, dstOff + i,
        ldd);
  }

  /**
   * Floats of a whole op(B) packed ahead ({@link #packRows}): for each KC-deep block, every
   * NR-wide panel of the n columns, k-major and zero-padded, as {@link #gemm} packs one slab.
   */
  static int packedSize(int k, int n) {
    return Math.multiplyExact(k, panels(n) * NR);
  }

  private static int panels(int n) {
    return (n + NR - 1) / NR;
  }

  /**
   * Packs rows [k0, k1) of op(B) (k x n) into {@code dst}, laid out as {@link #packedSize} says:
   * the KC block starting at row pc begins at {@code pc * panels * NR} and holds its panels one
   * after another, each {@code kc * NR} floats.
   */
  static void packRows(boolean transB, int k0, int k1, int k, int n, float[] b, int bOff, int ldb,
      float[] dst) {
    Scratch s = SCRATCH.borrow();
    try {
      int panels = panels(n);
      for (int pc = k0 - k0 % KC; pc < k1; pc += KC) {
        int kc = Math.min(KC, k - pc);
        int from = Math.max(k0, pc);
        int to = Math.min(k1, pc + kc);
        packB(transB, b, bOff, ldb, from, to - from, 0, n, dst,
            pc * panels * NR + (from - pc) * NR, kc, s);
      }
    } finally {
      SCRATCH.release(s);
    }
  }

  /**
   * {@link #gemm} of rows [0, m) and columns [0, n) with op(B) packed ahead by {@link #packRows}:
   * the same micro-kernel calls in the same k order, so the same bits.
   */
  static void gemmPrepacked(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, float[] bp, boolean overwrite, float[] c, int cOff, int ldc) {
    Scratch s = SCRATCH.borrow();
    try {
      int panels = panels(n);
      for (int jc = 0; jc < n; jc += NC) {
        int nc = Math.min(NC, n - jc);
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            macro(transA, ic, mc, pc, kc, jc, nc, alpha, a, aOff, lda, pc > 0 || !overwrite, c,
                cOff, ldc, s, bp, pc * panels * NR + jc / NR * kc * NR, null, 0);
          }
        }
      }
    } finally {
      SCRATCH.release(s);
    }
  }

  /**
   * {@link #gemm} with op(A) packed ahead by {@link #packA} ({@code ap}): the same micro-kernel
   * calls on the same panels in the same k order as when gemm packs A itself, so the same bits.
   */
  static void gemmPackedA(int m, int n, int k, float alpha, float[] ap, boolean transB, float[] b,
      int bOff, int ldb, boolean overwrite, float[] c, int cOff, int ldc) {
    sweep(false, transB, 0, m, 0, n, k, alpha, null, 0, 0, ap, b, bOff, ldb, overwrite, c, cOff,
        ldc);
  }

  /**
   * Floats of a whole op(A) packed ahead ({@link #packA}): each MC-row block's KC-deep slices
   * one after another, each as {@link #packBlock} lays it out.
   */
  static int packedASize(int m, int k) {
    return Math.multiplyExact(m / MC * MC + paddedRows(m % MC), k);
  }

  /** Packs op(A), m x k, for {@link #gemmPackedA}: what {@link #macro} packs, block by block. */
  static void packA(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] dst) {
    Scratch s = SCRATCH.borrow();
    try {
      for (int ic = 0; ic < m; ic += MC) {
        int mc = Math.min(MC, m - ic);
        for (int pc = 0; pc < k; pc += KC) {
          packBlock(transA, a, aOff, lda, ic, mc, pc, Math.min(KC, k - pc), dst,
              ic * k + pc * paddedRows(mc), s);
        }
      }
    } finally {
      SCRATCH.release(s);
    }
  }

  // Packed A is cut into k-major panels of 12 rows, then 8, then 6, then the last rows
  // zero-padded to 6: 12s and 8s tile any multiple of 4 from 8 up, so shards of 128 or 256 rows
  // run only the two fastest kernels.

  /** Panels of 8 rows in a block of mc rows (0 to 2). */
  private static int eights(int mc) {
    if (NARROW) {
      return 0;
    }
    int q = mc / 4;
    return switch (q % 3) {
      case 0 -> 0;
      case 2 -> 1;
      default -> q >= 4 ? 2 : 0;
    };
  }

  /** Panels of 12 rows in a block of mc rows. */
  private static int twelves(int mc) {
    if (NARROW) {
      return 0;
    }
    return (mc / 4 * 4 - 8 * eights(mc)) / 12;
  }

  /** Rows of mc's panels, the last one's padding included. */
  static int paddedRows(int mc) {
    if (NARROW) {
      return (mc + MR - 1) / MR * MR;
    }
    int rest = mc - WIDE_MR * twelves(mc) - 8 * eights(mc);
    return mc - rest + (rest >= MR ? MR : 0) + (rest % MR > 0 ? MR : 0);
  }

  /** Rows [ic, ic+mc) x steps [pc, pc+kc) of op(A) as its panels, each kc x h, from dst[d]. */
  private static void packBlock(boolean transA, float[] a, int aOff, int lda, int ic, int mc,
      int pc, int kc, float[] dst, int d, Scratch s) {
    int row = ic;
    int end = ic + mc;
    while (row < end) {
      int h = panelHeight(end - row);
      int rows = Math.min(h, end - row);
      packPanel(transA, a, aOff, lda, row, rows, h, pc, kc, dst, d, s);
      row += rows;
      d += h * kc;
    }
  }

  /** The height of the next panel when {@code left} rows of a block are left. */
  private static int panelHeight(int left) {
    if (twelves(left) > 0) {
      return WIDE_MR;
    }
    return eights(left) > 0 ? 8 : MR;
  }

  /**
   * {@code rows <= h} rows of op(A) from {@code row}, steps [pc, pc+kc), as a k-major panel
   * {@code dst[d + p*h + r]}, zero below the rows. Two methods, one per layout of A, so that C2
   * compiles each for what it sees instead of recompiling when the other layout first comes.
   */
  private static void packPanel(boolean transA, float[] a, int aOff, int lda, int row, int rows,
      int h, int pc, int kc, float[] dst, int d, Scratch s) {
    if (transA) {
      packPanelTransposed(a, aOff + pc * lda + row, lda, rows, h, kc, dst, d);
    } else {
      packPanelRows(a, aOff + row * lda + pc, lda, rows, h, kc, dst, d, s);
    }
  }

  /**
   * Transposed A, step p at {@code src + p * lda}: a step's rows are side by side, one masked
   * vector copy each (0.17 ns a float against 0.25 for an arraycopy of 12).
   */
  private static void packPanelTransposed(float[] a, int src, int lda, int rows, int h, int kc,
      float[] dst, int d) {
    boolean vector = rows <= LANES;
    VectorMask<Float> mask = SPECIES.indexInRange(0, vector ? rows : 0);
    for (int p = 0; p < kc; p++, src += lda) {
      if (vector) {
        FloatVector.fromArray(SPECIES, a, src, mask).intoArray(dst, d + p * h, mask);
      } else {
        System.arraycopy(a, src, dst, d + p * h, rows);
      }
      if (rows < h) {
        Arrays.fill(dst, d + p * h + rows, d + (p + 1) * h, 0f);
      }
    }
  }

  /** Row-major A, row r at {@code src + r * lda}: gathered a vector of the panel at a time. */
  private static void packPanelRows(float[] a, int src, int lda, int rows, int h, int kc,
      float[] dst, int d, Scratch s) {
    int p = 0;
    int steps = lcm(h, LANES) / h;
    if (rows == h && (long) (h - 1) * lda + steps < Integer.MAX_VALUE - a.length) {
      int[] map = s.panelGatherMap(h, lda);
      for (; p + steps <= kc; p += steps) {
        for (int v = 0, o = d + p * h; v < map.length; v += LANES, o += LANES) {
          FloatVector.fromArray(SPECIES, a, src + p, map, v).intoArray(dst, o);
        }
      }
    }
    for (; p < kc; p++) {
      for (int r = 0; r < h; r++) {
        dst[d + p * h + r] = r < rows ? a[src + r * lda + p] : 0f;
      }
    }
  }

  /**
   * Rows [ic, ic+mc) of A against the packed block: columns [jc, jc+nc) of C. Panel jp of the
   * block is at {@code bp[bBase + jp * kc * NR]}. A comes packed ({@code ap} from
   * {@code apBase}, as {@link #packBlock} lays it out), is packed here when it serves enough
   * panels of B, or is read in place.
   */
  private static void macro(boolean transA, int ic, int mc, int pc, int kc, int jc, int nc,
      float alpha, float[] a, int aOff, int lda, boolean acc, float[] c, int cOff, int ldc,
      Scratch s, float[] bp, int bBase, float[] ap, int apBase) {
    int panels = (nc + NR - 1) / NR;
    // A packed k-major is read by the fastest kernels (one base, constant offsets, 12 or 8 rows):
    // worth a copy when the copy serves several panels of B.
    if (ap == null && panels >= (transA ? PACK_TRANSPOSED_A_PANELS : PACK_A_PANELS)) {
      packBlock(transA, a, aOff, lda, ic, mc, pc, kc, s.packedA, 0, s);
      ap = s.packedA;
      apBase = 0;
    }
    if (ap != null) {
      for (int jp = 0; jp < panels; jp++) {
        int panel = bBase + jp * kc * NR;
        int cols = Math.min(NR, nc - jp * NR);
        int ci = cOff + jc + jp * NR + ic * ldc;
        for (int row = 0, g = apBase; row < mc; ) {
          int h = panelHeight(mc - row);
          int rows = Math.min(h, mc - row);
          if (cols == NR && rows == h) {
            kernelPacked(h, kc, alpha, ap, g, bp, panel, acc, c, ci + row * ldc, ldc);
          } else {
            // Past n or past the last row: run on a tile holding C's values.
            loadTile(acc, c, ci + row * ldc, ldc, rows, cols, s.tile);
            kernelPacked(h, kc, alpha, ap, g, bp, panel, true, s.tile, 0, NR);
            storeTile(s.tile, c, ci + row * ldc, ldc, rows, cols);
          }
          row += rows;
          g += h * kc;
        }
      }
      return;
    }
    int fullRows = mc - mc % MR;
    int rest = mc - fullRows;
    if (rest > 0) {
      // The last rows, zero-padded to MR: copied once for every panel of B below.
      packEdgeRows(transA, a, aOff, lda, ic + fullRows, rest, pc, kc, s.edgeA);
    }
    for (int jp = 0; jp < panels; jp++) {
      int panel = bBase + jp * kc * NR;
      int cols = Math.min(NR, nc - jp * NR);
      int cCol = cOff + jc + jp * NR;
      for (int i = 0; i < fullRows; i += MR) {
        int row = ic + i;
        if (cols == NR) {
          kernel(transA, kc, alpha, a, aOff, lda, row, pc, bp, panel, acc, c, cCol + row * ldc,
              ldc);
        } else {
          // Columns past n: the panel is zero-padded; run on a tile holding C's values.
          loadTile(acc, c, cCol + row * ldc, ldc, MR, cols, s.tile);
          kernel(transA, kc, alpha, a, aOff, lda, row, pc, bp, panel, true, s.tile, 0, NR);
          storeTile(s.tile, c, cCol + row * ldc, ldc, MR, cols);
        }
      }
      if (rest > 0) {
        // The last rows run the same kernel on a tile.
        int row = ic + fullRows;
        loadTile(acc, c, cCol + row * ldc, ldc, rest, cols, s.tile);
        kernelPacked6(kc, alpha, s.edgeA, 0, bp, panel, true, s.tile, 0, NR);
        storeTile(s.tile, c, cCol + row * ldc, ldc, rest, cols);
      }
    }
  }

  /** The packed kernel for panels {@code h} rows high. */
  private static void kernelPacked(int h, int kc, float alpha, float[] ap, int ai, float[] bp,
      int bi, boolean acc, float[] c, int ci, int ldc) {
    switch (h) {
      case WIDE_MR -> kernelPacked12(kc, alpha, ap, ai, bp, bi, acc, c, ci, ldc);
      case 8 -> kernelPacked8(kc, alpha, ap, ai, bp, bi, acc, c, ci, ldc);
      default -> kernelPacked6(kc, alpha, ap, ai, bp, bi, acc, c, ci, ldc);
    }
  }

  private static void kernel(boolean transA, int kc, float alpha, float[] a, int aOff, int lda,
      int row, int pc, float[] bp, int panel, boolean acc, float[] c, int ci, int ldc) {
    if (transA) {
      kernelTransA(kc, alpha, a, aOff + pc * lda + row, lda, bp, panel, acc, c, ci, ldc);
    } else {
      kernelRowA(kc, alpha, a, aOff + row * lda + pc, lda, bp, panel, acc, c, ci, ldc);
    }
  }

  /**
   * Copies rows x cols of C into the tile (row stride NR), zeroing the rest; only zeroes when C's
   * values are to be ignored (then the kernel's fma(alpha, acc, 0) is what the overwrite gives).
   */
  private static void loadTile(boolean acc, float[] c, int ci, int ldc, int rows, int cols,
      float[] tile) {
    Arrays.fill(tile, 0f);
    for (int r = 0; acc && r < rows; r++) {
      System.arraycopy(c, ci + r * ldc, tile, r * NR, cols);
    }
  }

  private static void storeTile(float[] tile, float[] c, int ci, int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(tile, r * NR, c, ci + r * ldc, cols);
    }
  }

  /** The last {@code rows < MR} rows of A's slice, k-major and zero-padded: {@code dst[p*MR + r]}. */
  private static void packEdgeRows(boolean transA, float[] a, int aOff, int lda, int row, int rows,
      int pc, int kc, float[] dst) {
    Arrays.fill(dst, 0, kc * MR, 0f);
    for (int r = 0; r < rows; r++) {
      for (int p = 0; p < kc; p++) {
        dst[p * MR + r] = transA ? a[aOff + (pc + p) * lda + row + r]
            : a[aOff + (row + r) * lda + pc + p];
      }
    }
  }

  /**
   * Packs rows [pc, pc+kc) of op(B), columns [jc, jc+nc), into NR-wide k-major panels
   * {@code depth} rows deep (the whole KC block's depth, of which these rows may be a part):
   * {@code dst[base + jp*depth*NR + p*NR + j]}, zero past column nc.
   */
  private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc,
      int nc, float[] dst, int base, int depth, Scratch s) {
    int panels = panels(nc);
    for (int jp = 0; jp < panels; jp++) {
      int d = base + jp * depth * NR;
      int col = jc + jp * NR;
      int cols = Math.min(NR, nc - jp * NR);
      if (!transB) {
        // op(B) row p is contiguous: copy NR floats per row.
        int src = bOff + pc * ldb + col;
        if (cols == NR) {
          for (int p = 0; p < kc; p++) {
            FloatVector.fromArray(SPECIES, b, src + p * ldb).intoArray(dst, d + p * NR);
            FloatVector.fromArray(SPECIES, b, src + p * ldb + LANES)
                .intoArray(dst, d + p * NR + LANES);
          }
        } else {
          for (int p = 0; p < kc; p++) {
            System.arraycopy(b, src + p * ldb, dst, d + p * NR, cols);
            Arrays.fill(dst, d + p * NR + cols, d + (p + 1) * NR, 0f);
          }
        }
      } else if (cols == NR && (long) (NR - 1) * ldb < Integer.MAX_VALUE - b.length) {
        // op(B) row p is column p of the stored B^T: gather it, LANES rows at a time (twice as
        // fast as scalar copies here, 0.19 against 0.36 ns a float).
        int[] map = s.gatherMap(ldb);
        int src = bOff + col * ldb + pc;
        int half = LANES * ldb;
        for (int p = 0; p < kc; p++) {
          FloatVector.fromArray(SPECIES, b, src + p, map, 0).intoArray(dst, d + p * NR);
          FloatVector.fromArray(SPECIES, b, src + half + p, map, 0)
              .intoArray(dst, d + p * NR + LANES);
        }
      } else {
        // A partial panel: read each stored row contiguously, write it strided.
        if (cols < NR) {
          Arrays.fill(dst, d, d + kc * NR, 0f);
        }
        for (int j = 0; j < cols; j++) {
          int src = bOff + (col + j) * ldb + pc;
          for (int p = 0; p < kc; p++) {
            dst[d + p * NR + j] = b[src + p];
          }
        }
      }
    }
  }

  // The micro-kernels are one kernel with A read in place (rows or transposed) or packed 6, 8 or
  // 12 rows high; each is written out because a shared helper taking vectors would box them (see
  // architecture.md), and constant strides let C2 schedule the loads. Epilogues:
  // fma(alpha, acc, C) with a constant-class receiver.

  /** A row-major in place: row r of the block at {@code ai + r * lda}, k contiguous. */
  static void kernelRowA(int kc, float alpha, float[] a, int ai, int lda, float[] bp, int bi,
      boolean acc, float[] c, int ci, int ldc) {
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
    int a0 = ai;
    int a1 = ai + lda;
    int a2 = ai + 2 * lda;
    int a3 = ai + 3 * lda;
    int a4 = ai + 4 * lda;
    int a5 = ai + 5 * lda;
    for (int p = 0; p < kc; p++) {
      int bq = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, a[a5 + p]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    if (acc) {
      va.fma(c00, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c01, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c10, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c11, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c20, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c21, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c30, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c31, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c40, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c41, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c50, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c51, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      return;
    }
    FloatVector z = FloatVector.zero(SPECIES);
    va.fma(c00, z).intoArray(c, ci);
    va.fma(c01, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c10, z).intoArray(c, ci);
    va.fma(c11, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c20, z).intoArray(c, ci);
    va.fma(c21, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c30, z).intoArray(c, ci);
    va.fma(c31, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c40, z).intoArray(c, ci);
    va.fma(c41, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c50, z).intoArray(c, ci);
    va.fma(c51, z).intoArray(c, ci + LANES);
  }

  /** A transposed in place: step p of the block's 6 rows at {@code ai + p * lda + r}. */
  static void kernelTransA(int kc, float alpha, float[] a, int ai, int lda, float[] bp, int bi,
      boolean acc, float[] c, int ci, int ldc) {
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
    for (int p = 0, ap = ai; p < kc; p++, ap += lda) {
      int bq = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    if (acc) {
      va.fma(c00, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c01, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c10, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c11, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c20, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c21, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c30, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c31, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c40, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c41, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c50, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c51, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      return;
    }
    FloatVector z = FloatVector.zero(SPECIES);
    va.fma(c00, z).intoArray(c, ci);
    va.fma(c01, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c10, z).intoArray(c, ci);
    va.fma(c11, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c20, z).intoArray(c, ci);
    va.fma(c21, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c30, z).intoArray(c, ci);
    va.fma(c31, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c40, z).intoArray(c, ci);
    va.fma(c41, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c50, z).intoArray(c, ci);
    va.fma(c51, z).intoArray(c, ci + LANES);
  }

  /** Six rows of A packed k-major ({@code ap[p * 6 + r]}): the last rows of a block. */
  static void kernelPacked6(int kc, float alpha, float[] ap, int ai, float[] bp, int bi,
      boolean acc, float[] c, int ci, int ldc) {
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
    for (int p = 0; p < kc; p++) {
      int bq = bi + p * NR;
      int aq = ai + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, ap[aq]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, ap[aq + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, ap[aq + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, ap[aq + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, ap[aq + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, ap[aq + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    if (acc) {
      va.fma(c00, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c01, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c10, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c11, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c20, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c21, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c30, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c31, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c40, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c41, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c50, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c51, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      return;
    }
    FloatVector z = FloatVector.zero(SPECIES);
    va.fma(c00, z).intoArray(c, ci);
    va.fma(c01, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c10, z).intoArray(c, ci);
    va.fma(c11, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c20, z).intoArray(c, ci);
    va.fma(c21, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c30, z).intoArray(c, ci);
    va.fma(c31, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c40, z).intoArray(c, ci);
    va.fma(c41, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c50, z).intoArray(c, ci);
    va.fma(c51, z).intoArray(c, ci + LANES);
  }

  /**
   * Twelve rows of A packed k-major ({@code ap[p * 12 + r]}) in 24 accumulators: half the loads
   * of A and the loop overhead per FMA of the 6-row kernels, so near the FMA units' peak.
   */
  static void kernelPacked12(int kc, float alpha, float[] ap, int ai, float[] bp, int bi,
      boolean acc, float[] c, int ci, int ldc) {
    FloatVector c0_0 = FloatVector.zero(SPECIES);
    FloatVector c0_1 = c0_0;
    FloatVector c1_0 = c0_0;
    FloatVector c1_1 = c0_0;
    FloatVector c2_0 = c0_0;
    FloatVector c2_1 = c0_0;
    FloatVector c3_0 = c0_0;
    FloatVector c3_1 = c0_0;
    FloatVector c4_0 = c0_0;
    FloatVector c4_1 = c0_0;
    FloatVector c5_0 = c0_0;
    FloatVector c5_1 = c0_0;
    FloatVector c6_0 = c0_0;
    FloatVector c6_1 = c0_0;
    FloatVector c7_0 = c0_0;
    FloatVector c7_1 = c0_0;
    FloatVector c8_0 = c0_0;
    FloatVector c8_1 = c0_0;
    FloatVector c9_0 = c0_0;
    FloatVector c9_1 = c0_0;
    FloatVector c10_0 = c0_0;
    FloatVector c10_1 = c0_0;
    FloatVector c11_0 = c0_0;
    FloatVector c11_1 = c0_0;
    for (int p = 0; p < kc; p++) {
      int bq = bi + p * NR;
      int aq = ai + p * 12;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, ap[aq]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 8]);
      c8_0 = x.fma(b0, c8_0);
      c8_1 = x.fma(b1, c8_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 9]);
      c9_0 = x.fma(b0, c9_0);
      c9_1 = x.fma(b1, c9_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 10]);
      c10_0 = x.fma(b0, c10_0);
      c10_1 = x.fma(b1, c10_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 11]);
      c11_0 = x.fma(b0, c11_0);
      c11_1 = x.fma(b1, c11_1);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    if (acc) {
      va.fma(c0_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c0_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c1_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c1_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c2_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c2_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c3_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c3_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c4_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c4_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c5_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c5_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c6_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c6_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c7_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c7_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c8_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c8_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c9_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c9_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c10_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c10_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c11_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c11_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      return;
    }
    FloatVector z = FloatVector.zero(SPECIES);
    va.fma(c0_0, z).intoArray(c, ci);
    va.fma(c0_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c1_0, z).intoArray(c, ci);
    va.fma(c1_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c2_0, z).intoArray(c, ci);
    va.fma(c2_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c3_0, z).intoArray(c, ci);
    va.fma(c3_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c4_0, z).intoArray(c, ci);
    va.fma(c4_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c5_0, z).intoArray(c, ci);
    va.fma(c5_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c6_0, z).intoArray(c, ci);
    va.fma(c6_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c7_0, z).intoArray(c, ci);
    va.fma(c7_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c8_0, z).intoArray(c, ci);
    va.fma(c8_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c9_0, z).intoArray(c, ci);
    va.fma(c9_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c10_0, z).intoArray(c, ci);
    va.fma(c10_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c11_0, z).intoArray(c, ci);
    va.fma(c11_1, z).intoArray(c, ci + LANES);
  }

  /** Eight rows of A packed k-major ({@code ap[p * 8 + r]}): 16 accumulators. */
  static void kernelPacked8(int kc, float alpha, float[] ap, int ai, float[] bp, int bi,
      boolean acc, float[] c, int ci, int ldc) {
    FloatVector c0_0 = FloatVector.zero(SPECIES);
    FloatVector c0_1 = c0_0;
    FloatVector c1_0 = c0_0;
    FloatVector c1_1 = c0_0;
    FloatVector c2_0 = c0_0;
    FloatVector c2_1 = c0_0;
    FloatVector c3_0 = c0_0;
    FloatVector c3_1 = c0_0;
    FloatVector c4_0 = c0_0;
    FloatVector c4_1 = c0_0;
    FloatVector c5_0 = c0_0;
    FloatVector c5_1 = c0_0;
    FloatVector c6_0 = c0_0;
    FloatVector c6_1 = c0_0;
    FloatVector c7_0 = c0_0;
    FloatVector c7_1 = c0_0;
    for (int p = 0; p < kc; p++) {
      int bq = bi + p * NR;
      int aq = ai + p * 8;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, ap[aq]);
      c0_0 = x.fma(b0, c0_0);
      c0_1 = x.fma(b1, c0_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 1]);
      c1_0 = x.fma(b0, c1_0);
      c1_1 = x.fma(b1, c1_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 2]);
      c2_0 = x.fma(b0, c2_0);
      c2_1 = x.fma(b1, c2_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 3]);
      c3_0 = x.fma(b0, c3_0);
      c3_1 = x.fma(b1, c3_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 4]);
      c4_0 = x.fma(b0, c4_0);
      c4_1 = x.fma(b1, c4_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 5]);
      c5_0 = x.fma(b0, c5_0);
      c5_1 = x.fma(b1, c5_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 6]);
      c6_0 = x.fma(b0, c6_0);
      c6_1 = x.fma(b1, c6_1);
      x = FloatVector.broadcast(SPECIES, ap[aq + 7]);
      c7_0 = x.fma(b0, c7_0);
      c7_1 = x.fma(b1, c7_1);
    }
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    if (acc) {
      va.fma(c0_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c0_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c1_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c1_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c2_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c2_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c3_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c3_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c4_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c4_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c5_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c5_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c6_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c6_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      ci += ldc;
      va.fma(c7_0, FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
      va.fma(c7_1, FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
      return;
    }
    FloatVector z = FloatVector.zero(SPECIES);
    va.fma(c0_0, z).intoArray(c, ci);
    va.fma(c0_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c1_0, z).intoArray(c, ci);
    va.fma(c1_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c2_0, z).intoArray(c, ci);
    va.fma(c2_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c3_0, z).intoArray(c, ci);
    va.fma(c3_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c4_0, z).intoArray(c, ci);
    va.fma(c4_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c5_0, z).intoArray(c, ci);
    va.fma(c5_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c6_0, z).intoArray(c, ci);
    va.fma(c6_1, z).intoArray(c, ci + LANES);
    ci += ldc;
    va.fma(c7_0, z).intoArray(c, ci);
    va.fma(c7_1, z).intoArray(c, ci + LANES);
  }
}
