package simdlearn.kernel.internal;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import simdlearn.kernel.Backend;
import simdlearn.kernel.PackedMatrix;
import simdlearn.kernel.training.ScratchPool;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Panama Vector API kernels. Loops run unmasked to a multiple of the vector length with several
 * independent accumulators (FMA latency is several cycles), reduce lanes once, and finish with a
 * scalar tail; inputs shorter than a vector go straight to the scalar path. Lane sums and exp go
 * through {@link StableMath}, so results are the same bits whether the code runs interpreted or
 * compiled.
 */
final class VectorKernels implements TrainingKernels {
  /** A constant species: HotSpot only intrinsifies vector code whose species is constant. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  static final int LANES = SPECIES.length();
  /** Bytes feeding one float vector (16 bytes for 16 float lanes); null below 64-bit shapes. */
  static final VectorSpecies<Byte> BYTES =
      LANES >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * 8)) : null;
  static final VectorSpecies<Integer> INTS =
      VectorSpecies.of(int.class, SPECIES.vectorShape());

  @Override
  public Backend backend() {
    return Backend.VECTOR;
  }

  @Override
  public String description() {
    return "vector (" + SPECIES + ")";
  }

  @Override
  public int lanes() {
    return LANES;
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    int i = 0;
    float s = 0f;
    if (n >= 2 * LANES) {
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      FloatVector acc2 = FloatVector.zero(SPECIES);
      FloatVector acc3 = FloatVector.zero(SPECIES);
      for (int bound = n - 4 * LANES; i <= bound; i += 4 * LANES) {
        acc0 = FloatVector.fromArray(SPECIES, x, xOff + i)
            .fma(FloatVector.fromArray(SPECIES, y, yOff + i), acc0);
        acc1 = FloatVector.fromArray(SPECIES, x, xOff + i + LANES)
            .fma(FloatVector.fromArray(SPECIES, y, yOff + i + LANES), acc1);
        acc2 = FloatVector.fromArray(SPECIES, x, xOff + i + 2 * LANES)
            .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 2 * LANES), acc2);
        acc3 = FloatVector.fromArray(SPECIES, x, xOff + i + 3 * LANES)
            .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 3 * LANES), acc3);
      }
      for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
        acc0 = FloatVector.fromArray(SPECIES, x, xOff + i)
            .fma(FloatVector.fromArray(SPECIES, y, yOff + i), acc0);
      }
      s = StableMath.sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }
    for (; i < n; i++) {
      s += x[xOff + i] * y[yOff + i];
    }
    return s;
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    int i = 0;
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector vy = FloatVector.fromArray(SPECIES, y, yOff + i);
      va.fma(FloatVector.fromArray(SPECIES, x, xOff + i), vy).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff) {
    int i = 0;
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector vy = FloatVector.fromArray(SPECIES, y, yOff + i).mul(beta);
      va.fma(FloatVector.fromArray(SPECIES, x, xOff + i), vy).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
    }
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
    }
    for (; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public void add(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector.fromArray(SPECIES, x, xOff + i)
          .add(FloatVector.fromArray(SPECIES, y, yOff + i)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = x[xOff + i] + y[yOff + i];
    }
  }

  @Override
  public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector.fromArray(SPECIES, x, xOff + i)
          .mul(FloatVector.fromArray(SPECIES, y, yOff + i)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = x[xOff + i] * y[yOff + i];
    }
  }

  @Override
  public void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector.fromArray(SPECIES, x, xOff + i)
          .sub(FloatVector.fromArray(SPECIES, y, yOff + i)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = x[xOff + i] - y[yOff + i];
    }
  }

  @Override
  public void div(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector.fromArray(SPECIES, x, xOff + i)
          .div(FloatVector.fromArray(SPECIES, y, yOff + i)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = x[xOff + i] / y[yOff + i];
    }
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    int i = 0;
    float s = 0f;
    if (n >= 2 * LANES) {
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
        acc0 = acc0.add(FloatVector.fromArray(SPECIES, x, xOff + i));
        acc1 = acc1.add(FloatVector.fromArray(SPECIES, x, xOff + i + LANES));
      }
      for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
        acc0 = acc0.add(FloatVector.fromArray(SPECIES, x, xOff + i));
      }
      s = StableMath.sumLanes(acc0.add(acc1));
    }
    for (; i < n; i++) {
      s += x[xOff + i];
    }
    return s;
  }

  @Override
  public float max(int n, float[] x, int xOff) {
    int i = 0;
    float m = Float.NEGATIVE_INFINITY;
    if (n >= 2 * LANES) {
      FloatVector acc0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
      FloatVector acc1 = acc0;
      for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
        acc0 = acc0.max(FloatVector.fromArray(SPECIES, x, xOff + i));
        acc1 = acc1.max(FloatVector.fromArray(SPECIES, x, xOff + i + LANES));
      }
      for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
        acc0 = acc0.max(FloatVector.fromArray(SPECIES, x, xOff + i));
      }
      m = acc0.max(acc1).reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) {
      m = Math.max(m, x[xOff + i]);
    }
    return m;
  }

  @Override
  public float min(int n, float[] x, int xOff) {
    int i = 0;
    float m = Float.POSITIVE_INFINITY;
    if (n >= 2 * LANES) {
      FloatVector acc0 = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
      FloatVector acc1 = acc0;
      for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
        acc0 = acc0.min(FloatVector.fromArray(SPECIES, x, xOff + i));
        acc1 = acc1.min(FloatVector.fromArray(SPECIES, x, xOff + i + LANES));
      }
      for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
        acc0 = acc0.min(FloatVector.fromArray(SPECIES, x, xOff + i));
      }
      m = acc0.min(acc1).reduceLanes(VectorOperators.MIN);
    }
    for (; i < n; i++) {
      m = Math.min(m, x[xOff + i]);
    }
    return m;
  }

  @Override
  public int argmax(int n, float[] x, int xOff) {
    if (n < 2 * LANES) {
      return ScalarKernels.argmaxScalar(n, x, xOff);
    }
    float m = max(n, x, xOff);
    if (Float.isNaN(m)) {
      return ScalarKernels.argmaxScalar(n, x, xOff);
    }
    // With no NaN present, the first element equal to the maximum is the answer.
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      int lane = FloatVector.fromArray(SPECIES, x, xOff + i).eq(m).firstTrue();
      if (lane < LANES) {
        return i + lane;
      }
    }
    for (; i < n; i++) {
      if (x[xOff + i] == m) {
        return i;
      }
    }
    return ScalarKernels.argmaxScalar(n, x, xOff);
  }

  @Override
  public void addRowVector(int m, int n, float[] bias, int biasOff, float[] a, int aOff) {
    for (int i = 0; i < m; i++) {
      add(n, a, aOff + i * n, bias, biasOff, a, aOff + i * n);
    }
  }

  @Override
  public void addColumnSums(int m, int n, float[] a, int aOff, float[] out, int outOff) {
    for (int i = 0; i < m; i++) {
      add(n, out, outOff, a, aOff + i * n, out, outOff);
    }
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    VectorGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public void gemmParallel(int threads, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    VectorGemm.gemmParallel(threads, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
        beta, c, cOff, ldc);
  }

  @Override
  public void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst,
      int dstOff, int ldd) {
    PackedGemm.transpose(rows, cols, src, srcOff, lds, dst, dstOff, ldd);
  }

  @Override
  public PackedMatrix newPackedB(int k, int n) {
    return new PackedOperand(Backend.VECTOR, false, k, n, PackedGemm.packedSize(k, n));
  }

  @Override
  public void packB(boolean transB, int k0, int k1, float[] b, int bOff, int ldb,
      PackedMatrix dst) {
    PackedOperand p = PackedOperand.of(dst, Backend.VECTOR, false);
    PackedGemm.packRows(transB, k0, k1, p.rows(), p.cols(), b, bOff, ldb, p.data);
  }

  @Override
  public void gemmPackedB(boolean transA, int m, float alpha, float[] a, int aOff, int lda,
      PackedMatrix b, float beta, float[] c, int cOff, int ldc) {
    VectorGemm.gemmPackedB(transA, m, alpha, a, aOff, lda,
        PackedOperand.of(b, Backend.VECTOR, false), beta, c, cOff, ldc);
  }

  @Override
  public PackedMatrix newPackedA(int m, int k) {
    return new PackedOperand(Backend.VECTOR, true, m, k, PackedGemm.packedASize(m, k));
  }

  @Override
  public void packA(boolean transA, float[] a, int aOff, int lda, PackedMatrix dst) {
    PackedOperand p = PackedOperand.of(dst, Backend.VECTOR, true);
    PackedGemm.packA(transA, p.rows(), p.cols(), a, aOff, lda, p.data);
  }

  @Override
  public void gemmPackedA(PackedMatrix a, boolean transB, int n, float alpha, float[] b,
      int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    VectorGemm.gemmPackedA(PackedOperand.of(a, Backend.VECTOR, true), transB, n, alpha, b, bOff,
        ldb, beta, c, cOff, ldc);
  }

  /**
   * Each row shifted by its max, then exp over the whole block at once, then each row normalised.
   * One exp call for all rows: rows narrower than a vector (10 classes against 16 lanes) keep the
   * exp vectorised, and the exponential's blocks borrow their scratch once, not once a row (a
   * pool's atomics per 10-class row would cost softmax regression's epoch more than its exp).
   * Rows of at least a vector use the vector max, shift, sum and scale, narrower rows scalar
   * loops; either way a row's values are what its own pass would give (exp is elementwise).
   */
  @Override
  public void softmaxRows(int m, int n, float[] src, int srcOff, float[] dst, int dstOff,
      float[] lse, int lseOff) {
    // Row by row in small methods: C2 compiles them once, where loops over every row in one
    // method were compiled up to six times, on the stack at each loop (docs/benchmarks.md).
    for (int i = 0; i < m; i++) {
      int s = srcOff + i * n;
      int d = dstOff + i * n;
      float max = n >= LANES ? shiftWideByMax(n, src, s, dst, d) : shiftByMax(n, src, s, dst, d);
      if (lse != null) {
        lse[lseOff + i] = max;
      }
    }
    StableMath.expInPlace(dst, dstOff, m * n);
    for (int i = 0; i < m; i++) {
      int d = dstOff + i * n;
      float sum = n >= LANES ? normalizeWideRow(n, dst, d) : normalizeRow(n, dst, d);
      if (lse != null) {
        lse[lseOff + i] += (float) Math.log(sum);
      }
    }
  }

  /** A row of at least one vector shifted by its max (vector max, then add); returns the max. */
  private static float shiftWideByMax(int n, float[] src, int s, float[] dst, int d) {
    float max = maxOf(n, src, s);
    shiftRow(n, -max, src, s, dst, d);
    return max;
  }

  /** A row of at least one vector times the inverse of its sum ({@link #sumOf}); returns it. */
  private static float normalizeWideRow(int n, float[] x, int d) {
    float sum = sumOf(n, x, d);
    scaleRow(n, 1f / sum, x, d);
    return sum;
  }

  /** {@code dst[d + j] = src[s + j] + delta}. */
  private static void shiftRow(int n, float delta, float[] src, int s, float[] dst, int d) {
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
      FloatVector.fromArray(SPECIES, src, s + j).add(delta).intoArray(dst, d + j);
    }
    for (; j < n; j++) {
      dst[d + j] = src[s + j] + delta;
    }
  }

  /** Sum in a fixed order (one accumulator, stable lane fold, sequential tail). */
  private static float sumOf(int n, float[] x, int off) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
      acc = acc.add(FloatVector.fromArray(SPECIES, x, off + j));
    }
    float sum = StableMath.sumLanes(acc);
    for (; j < n; j++) {
      sum += x[off + j];
    }
    return sum;
  }

  /** {@code dst[d + j] = src[s + j] - max}, max over the row's n values; returns max. */
  private static float shiftByMax(int n, float[] src, int s, float[] dst, int d) {
    float max = src[s];
    for (int j = 1; j < n; j++) {
      max = Math.max(max, src[s + j]);
    }
    for (int j = 0; j < n; j++) {
      dst[d + j] = src[s + j] - max;
    }
    return max;
  }

  /** Divides the row's n values by their sum (times its inverse), which it returns. */
  private static float normalizeRow(int n, float[] x, int d) {
    float sum = 0f;
    for (int j = 0; j < n; j++) {
      sum += x[d + j];
    }
    float inv = 1f / sum;
    for (int j = 0; j < n; j++) {
      x[d + j] *= inv;
    }
    return sum;
  }

  private static void scaleRow(int n, float factor, float[] x, int off) {
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
      FloatVector.fromArray(SPECIES, x, off + j).mul(factor).intoArray(x, off + j);
    }
    for (; j < n; j++) {
      x[off + j] *= factor;
    }
  }

  private static float maxOf(int n, float[] x, int off) {
    FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
      acc = acc.max(FloatVector.fromArray(SPECIES, x, off + j));
    }
    float max = acc.reduceLanes(VectorOperators.MAX);
    for (; j < n; j++) {
      max = Math.max(max, x[off + j]);
    }
    return max;
  }

  @Override
  public void logSumExpRows(int m, int n, float[] src, int srcOff, float[] out, int outOff) {
    float[] row = n <= SCRATCH_FLOATS ? ROW_SCRATCH.get() : new float[n];
    for (int i = 0; i < m; i++) {
      int s = srcOff + i * n;
      float max = n >= LANES ? maxOf(n, src, s) : KernelProvider.SCALAR.max(n, src, s);
      shiftRow(n, -max, src, s, row, 0);
      StableMath.expInPlace(row, 0, n);
      out[outOff + i] = max + (float) Math.log(sumOf(n, row, 0));
    }
  }

  /** Rows up to this long reuse a per-thread scratch in logSumExpRows; longer ones allocate. */
  private static final int SCRATCH_FLOATS = 4096;
  private static final ThreadLocal<float[]> ROW_SCRATCH =
      ThreadLocal.withInitial(() -> new float[SCRATCH_FLOATS]);

  @Override
  public void bytesToFloats(int n, byte[] src, int srcOff, float scale, float[] dst, int dstOff) {
    int i = 0;
    if (BYTES != null) {
      for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
        widen(src, srcOff + i).mul(scale).intoArray(dst, dstOff + i);
      }
    }
    for (; i < n; i++) {
      dst[dstOff + i] = (src[srcOff + i] & 0xFF) * scale;
    }
  }

  /**
   * Converts four rows at a time, interleaved: shuffled rows are scattered through a large array,
   * so each row starts with cache misses, and four independent streams let those misses overlap.
   */
  @Override
  public void gatherBytesToFloats(int rows, int cols, byte[] src, int[] index, int indexOff,
      float scale, float[] dst, int dstOff) {
    int r = 0;
    if (BYTES != null) {
      for (; r + 4 <= rows; r += 4) {
        int i = indexOff + r;
        gather4(cols, src, index[i] * cols, index[i + 1] * cols, index[i + 2] * cols,
            index[i + 3] * cols, scale, dst, dstOff + r * cols);
      }
    }
    for (; r < rows; r++) {
      bytesToFloats(cols, src, index[indexOff + r] * cols, scale, dst, dstOff + r * cols);
    }
  }

  private static void gather4(int n, byte[] src, int a, int b, int c, int d, float scale,
      float[] dst, int o) {
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
      widen(src, a + j).mul(scale).intoArray(dst, o + j);
      widen(src, b + j).mul(scale).intoArray(dst, o + n + j);
      widen(src, c + j).mul(scale).intoArray(dst, o + 2 * n + j);
      widen(src, d + j).mul(scale).intoArray(dst, o + 3 * n + j);
    }
    for (; j < n; j++) {
      dst[o + j] = (src[a + j] & 0xFF) * scale;
      dst[o + n + j] = (src[b + j] & 0xFF) * scale;
      dst[o + 2 * n + j] = (src[c + j] & 0xFF) * scale;
      dst[o + 3 * n + j] = (src[d + j] & 0xFF) * scale;
    }
  }

  @Override
  public void gemmGatheredNT(int m, int n, int k, byte[] x, int[] rows, int rowsOff, float scale,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    if (VectorGatheredGemm.supported()) {
      VectorGatheredGemm.gemmGatheredNT(m, n, k, x, rows, rowsOff, scale, b, bOff, ldb, c, cOff,
          ldc);
    } else {
      KernelProvider.SCALAR.gemmGatheredNT(m, n, k, x, rows, rowsOff, scale, b, bOff, ldb, c,
          cOff, ldc);
    }
  }

  @Override
  public void gemmTNGathered(int m, int n, int k, float[] a, int aOff, int lda, byte[] x,
      int[] rows, int rowsOff, float scale, float[] c, int cOff, int ldc) {
    if (VectorGatheredGemm.supported()) {
      VectorGatheredGemm.gemmTNGathered(m, n, k, a, aOff, lda, x, rows, rowsOff, scale, c, cOff,
          ldc);
    } else {
      KernelProvider.SCALAR.gemmTNGathered(m, n, k, a, aOff, lda, x, rows, rowsOff, scale, c,
          cOff, ldc);
    }
  }

  /**
   * {@code LANES} unsigned bytes at {@code src[off]} as floats. Each conversion names its constant
   * target species: C2 only intrinsifies a conversion whose target is a compile-time constant.
   */
  static FloatVector widen(byte[] src, int off) {
    IntVector ints = (IntVector) ByteVector.fromArray(BYTES, src, off)
        .convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
    return (FloatVector) ints.convertShape(VectorOperators.I2F, SPECIES, 0);
  }

  private static final FloatVector ZERO = FloatVector.zero(SPECIES);

  /** {@code x < 0 ? 0 : x}: max(x, 0) that keeps a NaN, in a compare and a blend. */
  @Override
  public void relu(int n, float[] x, int xOff, float[] out, int outOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
      v.blend(ZERO, v.lt(0f)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      float v = x[xOff + i];
      out[outOff + i] = v < 0f ? 0f : v;
    }
  }

  @Override
  public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector g = FloatVector.fromArray(SPECIES, dy, dyOff + i);
      VectorMask<Float> on = FloatVector.fromArray(SPECIES, y, yOff + i).compare(
          VectorOperators.GT, 0f);
      ZERO.blend(g, on).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
  }

  @Override
  public void avgPool2x2(int planes, int h, int w, float[] x, int xOff, float[] out,
      int outOff) {
    PoolKernels.avgPool2x2(planes, h, w, x, xOff, out, outOff);
  }

  @Override
  public void avgPool2x2Backward(int planes, int h, int w, float[] dOut, int dOutOff,
      float[] dx, int dxOff) {
    PoolKernels.avgPool2x2Backward(planes, h, w, dOut, dOutOff, dx, dxOff);
  }

  @Override
  public void channelAffine(int n, int channels, int plane, float[] x, int xOff, float[] scale,
      float[] shift, float[] out, int outOff) {
    BatchNormKernels.channelAffine(n, channels, plane, x, xOff, scale, shift, out, outOff);
  }

  @Override
  public void batchNormInputGradient(int n, int channels, int plane, float[] x, int xOff,
      float[] dy, int dyOff, float[] stats, float[] dx, int dxOff) {
    BatchNormKernels.inputGradient(n, channels, plane, x, xOff, dy, dyOff, stats, dx, dxOff);
  }

  @Override
  public void addChannelSums(int n, int channels, int plane, float[] x, int xOff, double[] sums,
      double[] squares) {
    BatchNormKernels.addChannelSums(n, channels, plane, x, xOff, sums, squares);
  }

  @Override
  public void addBatchNormGradientSums(int n, int channels, int plane, float[] x, int xOff,
      float[] dy, int dyOff, float[] mean, float[] invStd, double[] sums, double[] products) {
    BatchNormKernels.addGradientSums(n, channels, plane, x, xOff, dy, dyOff, mean, invStd, sums,
        products);
  }

  /**
   * Whole vectors, the last one ending at the row's end and overlapping the one before (the same
   * values written twice); rows shorter than a vector, or in the same array, by the reference.
   */
  @Override
  public void copyRows(int rows, int cols, float[] src, int srcOff, int lds, float[] dst,
      int dstOff, int ldd) {
    copyRowsInLanes(rows, cols, src, srcOff, lds, dst, dstOff, ldd);
  }

  private static void copyRowsInLanes(int rows, int cols, float[] src, int srcOff, int lds,
      float[] dst, int dstOff, int ldd) {
    if (cols < LANES || src == dst) {
      KernelProvider.SCALAR.copyRows(rows, cols, src, srcOff, lds, dst, dstOff, ldd);
      return;
    }
    int last = cols - LANES;
    for (int r = 0; r < rows; r++) {
      int from = srcOff + r * lds;
      int to = dstOff + r * ldd;
      for (int c = 0; c < last; c += LANES) {
        FloatVector.fromArray(SPECIES, src, from + c).intoArray(dst, to + c);
      }
      FloatVector.fromArray(SPECIES, src, from + last).intoArray(dst, to + last);
    }
  }

  /**
   * Short rows (a convolution's 28 or 10 outputs) would leave C2's unrolled loop and run scalar:
   * here a row is whole vectors, the last one ending at the row's end and overlapping the one
   * before (the overlapped elements get the same value again), except in place.
   */
  @Override
  public void copyRowsAdding(int rows, int cols, float[] src, int srcOff, int lds, float beta,
      float[] dst, int dstOff, int ldd) {
    boolean overlap = cols >= LANES && src != dst;
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int from = srcOff + r * lds;
      int to = dstOff + r * ldd;
      int c = 0;
      for (; c < bound; c += LANES) {
        FloatVector.fromArray(SPECIES, src, from + c).add(beta).intoArray(dst, to + c);
      }
      if (c == cols) {
        continue;
      }
      if (overlap) {
        c = cols - LANES;
        FloatVector.fromArray(SPECIES, src, from + c).add(beta).intoArray(dst, to + c);
        continue;
      }
      for (; c < cols; c++) {
        dst[to + c] = src[from + c] + beta;
      }
    }
  }

  @Override
  public void gemmShifted(int m, int n, int k, float[] a, int aOff, int lda, int[] shifts,
      float[] x, int xOff, float[] c, int cOff, int ldc) {
    ShiftedGemm.gemm(m, n, k, a, aOff, lda, shifts, x, xOff, c, cOff, ldc);
  }

  @Override
  public void gemmShiftedPlanes(int m, int rows, int width, int rowStride, int k, float[] a,
      int aOff, int lda, int[] shifts, float[] x, int xOff, float[] bias, int biasOff, float[] c,
      int cOff, int ldc) {
    ShiftedGemm.planes(m, rows, width, rowStride, k, a, aOff, lda, shifts, x, xOff, bias,
        biasOff, c, cOff, ldc);
  }

  @Override
  public void gemmWindows(int n, int m, int k, float[] x, int xOff, int[] origins,
      int[] shifts, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    WindowGemm.gemm(n, m, k, x, xOff, origins, shifts, b, bOff, ldb, c, cOff, ldc);
  }

  @Override
  public void addWindowsTGemm(int k, int m, int n, int segments, float[] x, int xOff,
      int xStride, int[] origins, int[] shifts, float[] g, int gOff, int ldg, int gStride,
      float[] c, int cOff, int ldc) {
    WindowGemm.addTGemm(k, m, n, segments, x, xOff, xStride, origins, shifts, g, gOff, ldg,
        gStride, c, cOff, ldc);
  }

  /** A vector of partial sums per element of C: {@link #addRowDots}' accumulators. */
  private static final class DotSums {
    float[] sums = new float[0];
    /** Where a block's six rows of B start. */
    final int[] block = new int[6];
    /** One segment's A laid out in rows, for {@link #addShiftedDotsOfPlanes}. */
    float[] rows = new float[0];
  }

  private static final ScratchPool<DotSums> DOT_SUMS = new ScratchPool<>(DotSums::new);

  /**
   * Every element of C is one vector FMA chain over the segments in order (each segment's whole
   * vectors, then its tail as a masked vector: zeros in the lanes past k), kept in memory between
   * segments, and one {@link StableMath#sumLanes} at the end: the same bits whichever block
   * computes it. Segments are the outer loop so that each segment's rows are read from cache by
   * every block (a shard's columns are megabytes); blocks are two rows of A against six of B
   * (12 accumulators, 8 loads per 12 FMAs, two rows of A and one of B in registers: AVX2's 16).
   */
  @Override
  public void addRowDots(int m, int n, int k, int segments, float[] a, int aOff, int lda,
      int aStride, float[] b, int bOff, int ldb, int bStride, float[] c, int cOff, int ldc) {
    rowDots(m, n, k, segments, a, aOff, lda, aStride, b, bOff, ldb, null, bStride, c, cOff, ldc,
        0, 0, 0);
  }

  /** {@link #addRowDots}' kernel with B's rows at the shifts: the same chains, the same bits. */
  @Override
  public void addShiftedDots(int m, int n, int k, int segments, float[] a, int aOff, int lda,
      int aStride, float[] b, int bOff, int[] shifts, int bStride, float[] c, int cOff,
      int ldc) {
    rowDots(m, n, k, segments, a, aOff, lda, aStride, b, bOff, 0, shifts, bStride, c, cOff, ldc,
        0, 0, 0);
  }

  /**
   * {@link #addShiftedDots}' kernel on each segment's planes copied into rows just before its
   * dots (the copy then stays in L1 for them): the same rows, the same chains, the same bits.
   */
  @Override
  public void addShiftedDotsOfPlanes(int m, int n, int rows, int width, int rowWidth,
      int segments, float[] a, int aOff, int aStride, float[] b, int bOff, int[] shifts,
      int bStride, float[] c, int cOff, int ldc) {
    int k = (rows - 1) * rowWidth + width;
    rowDots(m, n, k, segments, a, aOff, k, aStride, b, bOff, 0, shifts, bStride, c, cOff, ldc,
        rows, width, rowWidth);
  }

  /**
   * Row j of a B_s at {@code shifts[j]} when there are shifts, else at {@code j * ldb}. With
   * {@code planeWidth > 0} each A_s is planes ({@link #addShiftedDotsOfPlanes}), copied into the
   * scratch's rows of {@code lda = k} (its zeros between a plane's rows written once a call).
   */
  private static void rowDots(int m, int n, int k, int segments, float[] a, int aOff, int lda,
      int aStride, float[] b, int bOff, int ldb, int[] shifts, int bStride, float[] c, int cOff,
      int ldc, int planeRows, int planeWidth, int rowWidth) {
    if (m <= 0 || n <= 0) {
      return;
    }
    DotSums scratch = DOT_SUMS.borrow();
    try {
      int size = Math.multiplyExact(m * n, LANES);
      if (scratch.sums.length < size) {
        scratch.sums = new float[size];
      }
      float[] sums = scratch.sums;
      int[] block = scratch.block;
      Arrays.fill(sums, 0, size, 0f);
      float[] planes = a;
      if (planeWidth > 0) {
        // A vector past the last row's end: masked tails then stay on the fast path.
        int laid = Math.addExact(Math.multiplyExact(m, k), LANES);
        if (scratch.rows.length < laid) {
          scratch.rows = new float[laid];
        }
        a = scratch.rows;
        Arrays.fill(a, 0, laid, 0f);
      }
      for (int s = 0; s < segments; s++) {
        int as = aOff + s * aStride;
        if (planeWidth > 0) {
          for (int i = 0; i < m; i++) {
            copyRowsInLanes(planeRows, planeWidth, planes, as + i * planeRows * planeWidth,
                planeWidth, a, i * k, rowWidth);
          }
          as = 0;
        }
        int bs = bOff + s * bStride;
        int wide = n - n % 6;
        int i = 0;
        for (; i + 2 <= m; i += 2) {
          for (int j = 0; j < wide; j += 6) {
            for (int q = 0; q < 6; q++) {
              block[q] = bs + row(j + q, ldb, shifts);
            }
            rowDots2x6(k, a, as + i * lda, lda, b, block, sums, (i * n + j) * LANES, n * LANES);
          }
        }
        for (; i < m; i++) {
          for (int j = 0; j < wide; j++) {
            rowDots1(k, a, as + i * lda, b, bs + row(j, ldb, shifts), sums, (i * n + j) * LANES);
          }
        }
        // The columns past the last block of six: six rows of A at a time against each (a
        // convolution's 25 kernel offsets leave one, which two rows at a time ran on one or two
        // FMA chains, a quarter of LeNet's first weight gradient).
        for (int j = wide; j < n; j++) {
          int bj = bs + row(j, ldb, shifts);
          int r = 0;
          for (; r + 6 <= m; r += 6) {
            rowDots6x1(k, a, as + r * lda, lda, b, bj, sums, (r * n + j) * LANES, n * LANES);
          }
          for (; r < m; r++) {
            rowDots1(k, a, as + r * lda, b, bj, sums, (r * n + j) * LANES);
          }
        }
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[cOff + i * ldc + j] +=
              StableMath.sumLanes(FloatVector.fromArray(SPECIES, sums, (i * n + j) * LANES));
        }
      }
    } finally {
      DOT_SUMS.release(scratch);
    }
  }

  private static int row(int j, int ldb, int[] shifts) {
    return shifts == null ? j * ldb : shifts[j];
  }

  private static void rowDots1(int k, float[] a, int ai, float[] b, int bi, float[] sums,
      int si) {
    FloatVector acc = FloatVector.fromArray(SPECIES, sums, si);
    int bound = SPECIES.loopBound(k);
    for (int q = 0; q < bound; q += LANES) {
      acc = FloatVector.fromArray(SPECIES, a, ai + q)
          .fma(FloatVector.fromArray(SPECIES, b, bi + q), acc);
    }
    if (bound < k) {
      VectorMask<Float> tail = SPECIES.indexInRange(bound, k);
      acc = FloatVector.fromArray(SPECIES, a, ai + bound, tail)
          .fma(FloatVector.fromArray(SPECIES, b, bi + bound, tail), acc);
    }
    acc.intoArray(sums, si);
  }

  /** Six rows of A from a0 against row bj of B; sums of row r at si + r ls. */
  private static void rowDots6x1(int k, float[] a, int a0, int lda, float[] b, int bj,
      float[] sums, int si, int ls) {
    FloatVector c0 = FloatVector.fromArray(SPECIES, sums, si);
    FloatVector c1 = FloatVector.fromArray(SPECIES, sums, si + ls);
    FloatVector c2 = FloatVector.fromArray(SPECIES, sums, si + 2 * ls);
    FloatVector c3 = FloatVector.fromArray(SPECIES, sums, si + 3 * ls);
    FloatVector c4 = FloatVector.fromArray(SPECIES, sums, si + 4 * ls);
    FloatVector c5 = FloatVector.fromArray(SPECIES, sums, si + 5 * ls);
    int bound = SPECIES.loopBound(k);
    for (int q = 0; q < bound; q += LANES) {
      FloatVector y = FloatVector.fromArray(SPECIES, b, bj + q);
      c0 = FloatVector.fromArray(SPECIES, a, a0 + q).fma(y, c0);
      c1 = FloatVector.fromArray(SPECIES, a, a0 + lda + q).fma(y, c1);
      c2 = FloatVector.fromArray(SPECIES, a, a0 + 2 * lda + q).fma(y, c2);
      c3 = FloatVector.fromArray(SPECIES, a, a0 + 3 * lda + q).fma(y, c3);
      c4 = FloatVector.fromArray(SPECIES, a, a0 + 4 * lda + q).fma(y, c4);
      c5 = FloatVector.fromArray(SPECIES, a, a0 + 5 * lda + q).fma(y, c5);
    }
    c0.intoArray(sums, si);
    c1.intoArray(sums, si + ls);
    c2.intoArray(sums, si + 2 * ls);
    c3.intoArray(sums, si + 3 * ls);
    c4.intoArray(sums, si + 4 * ls);
    c5.intoArray(sums, si + 5 * ls);
    if (bound < k) {
      // The tail on the stored sums, as rowDots2x6 ends its chains (see maskedStep).
      for (int r = 0; r < 6; r++) {
        maskedStep(bound, k, a, a0 + r * lda, b, bj, sums, si + r * ls);
      }
    }
  }

  /** Rows a0, a0 + lda against six rows of B; sums of row r, column q at si + r ls + q L. */
  private static void rowDots2x6(int k, float[] a, int a0, int lda, float[] b, int[] rows,
      float[] sums, int si, int ls) {
    FloatVector c00 = FloatVector.fromArray(SPECIES, sums, si);
    FloatVector c01 = FloatVector.fromArray(SPECIES, sums, si + LANES);
    FloatVector c02 = FloatVector.fromArray(SPECIES, sums, si + 2 * LANES);
    FloatVector c03 = FloatVector.fromArray(SPECIES, sums, si + 3 * LANES);
    FloatVector c04 = FloatVector.fromArray(SPECIES, sums, si + 4 * LANES);
    FloatVector c05 = FloatVector.fromArray(SPECIES, sums, si + 5 * LANES);
    FloatVector c10 = FloatVector.fromArray(SPECIES, sums, si + ls);
    FloatVector c11 = FloatVector.fromArray(SPECIES, sums, si + ls + LANES);
    FloatVector c12 = FloatVector.fromArray(SPECIES, sums, si + ls + 2 * LANES);
    FloatVector c13 = FloatVector.fromArray(SPECIES, sums, si + ls + 3 * LANES);
    FloatVector c14 = FloatVector.fromArray(SPECIES, sums, si + ls + 4 * LANES);
    FloatVector c15 = FloatVector.fromArray(SPECIES, sums, si + ls + 5 * LANES);
    int a1 = a0 + lda;
    int b0 = rows[0];
    int b1 = rows[1];
    int b2 = rows[2];
    int b3 = rows[3];
    int b4 = rows[4];
    int b5 = rows[5];
    int bound = SPECIES.loopBound(k);
    for (int q = 0; q < bound; q += LANES) {
      FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + q);
      FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + q);
      FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + q);
      c00 = x0.fma(y, c00);
      c10 = x1.fma(y, c10);
      y = FloatVector.fromArray(SPECIES, b, b1 + q);
      c01 = x0.fma(y, c01);
      c11 = x1.fma(y, c11);
      y = FloatVector.fromArray(SPECIES, b, b2 + q);
      c02 = x0.fma(y, c02);
      c12 = x1.fma(y, c12);
      y = FloatVector.fromArray(SPECIES, b, b3 + q);
      c03 = x0.fma(y, c03);
      c13 = x1.fma(y, c13);
      y = FloatVector.fromArray(SPECIES, b, b4 + q);
      c04 = x0.fma(y, c04);
      c14 = x1.fma(y, c14);
      y = FloatVector.fromArray(SPECIES, b, b5 + q);
      c05 = x0.fma(y, c05);
      c15 = x1.fma(y, c15);
    }
    c00.intoArray(sums, si);
    c01.intoArray(sums, si + LANES);
    c02.intoArray(sums, si + 2 * LANES);
    c03.intoArray(sums, si + 3 * LANES);
    c04.intoArray(sums, si + 4 * LANES);
    c05.intoArray(sums, si + 5 * LANES);
    c10.intoArray(sums, si + ls);
    c11.intoArray(sums, si + ls + LANES);
    c12.intoArray(sums, si + ls + 2 * LANES);
    c13.intoArray(sums, si + ls + 3 * LANES);
    c14.intoArray(sums, si + ls + 4 * LANES);
    c15.intoArray(sums, si + ls + 5 * LANES);
    if (bound < k) {
      // The tail as masked vectors: zeros in the lanes past k leave those lanes' sums as they are.
      for (int q = 0; q < 6; q++) {
        maskedStep(bound, k, a, a0, b, rows[q], sums, si + q * LANES);
        maskedStep(bound, k, a, a1, b, rows[q], sums, si + ls + q * LANES);
      }
    }
  }

  /**
   * One masked step of a lane chain kept in {@code sums}: lanes [0, k - from) of
   * {@code sums[si..]} get {@code a[ai + from..] * b[bi + from..]} added by an FMA, as the chain's
   * last step inside a kernel would. {@link #rowDots2x6} and {@link #rowDots6x1} end their
   * chains so instead of inline: C1's profiling compile of a kernel with its masked tail written
   * out ran out of virtual registers ("COMPILE SKIPPED ... LIR generator", or "... linear scan"),
   * and when its on-stack-replacement compile failed that way a run could keep the kernel in
   * C1's tier-2 code throughout, a LeNet-BN epoch in 20 s instead of 3 (docs/benchmarks.md,
   * sessions 10 and 11).
   */
  private static void maskedStep(int from, int k, float[] a, int ai, float[] b, int bi,
      float[] sums, int si) {
    VectorMask<Float> on = SPECIES.indexInRange(from, k);
    FloatVector.fromArray(SPECIES, a, ai + from, on)
        .fma(FloatVector.fromArray(SPECIES, b, bi + from, on),
            FloatVector.fromArray(SPECIES, sums, si))
        .intoArray(sums, si);
  }

  /** {@code x < 0 ? slope * x : x} in a compare and a blend, as {@link #relu}. */
  @Override
  public void leakyRelu(int n, float slope, float[] x, int xOff, float[] out, int outOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
      v.blend(v.mul(slope), v.lt(0f)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      float v = x[xOff + i];
      out[outOff + i] = v < 0f ? slope * v : v;
    }
  }

  @Override
  public void leakyReluBackward(int n, float slope, float[] y, int yOff, float[] dy, int dyOff,
      float[] dx, int dxOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector g = FloatVector.fromArray(SPECIES, dy, dyOff + i);
      VectorMask<Float> on = FloatVector.fromArray(SPECIES, y, yOff + i).compare(
          VectorOperators.GT, 0f);
      g.mul(slope).blend(g, on).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      float g = dy[dyOff + i];
      dx[dxOff + i] = y[yOff + i] > 0f ? g : slope * g;
    }
  }

  /** Elements per pass of tanh, through a per-thread scratch (may alias). */
  private static final int EXP_BLOCK = 512;
  private static final ThreadLocal<float[]> EXP_SCRATCH =
      ThreadLocal.withInitial(() -> new float[EXP_BLOCK]);

  @Override
  public void exp(int n, float[] x, int xOff, float[] out, int outOff) {
    if (out != x || outOff != xOff) {
      System.arraycopy(x, xOff, out, outOff, n);
    }
    StableMath.expInPlace(out, outOff, n);
  }

  /** {@code 1 / (1 + e^-x)}, with e^-x from {@link StableMath} (the same bits in every JIT tier). */
  @Override
  public void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
    StableMath.sigmoid(x, xOff, out, outOff, n);
  }

  // Cephes tanhf: an odd polynomial below |x| = 0.625, else 1 - 2 / (e^2|x| + 1) with x's sign.
  private static final float TANH_SMALL = 0.625f;
  private static final float T4 = -5.70498872745e-3f;
  private static final float T3 = 2.06390887954e-2f;
  private static final float T2 = -5.37397155531e-2f;
  private static final float T1 = 1.33314422036e-1f;
  private static final float T0 = -3.33332819422e-1f;

  @Override
  public void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
    float[] t = EXP_SCRATCH.get();
    for (int b = 0; b < n; b += EXP_BLOCK) {
      int len = Math.min(EXP_BLOCK, n - b);
      int i = 0;
      for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
        FloatVector.fromArray(SPECIES, x, xOff + b + i).abs().mul(2f).intoArray(t, i);
      }
      for (; i < len; i++) {
        t[i] = Math.abs(x[xOff + b + i]) * 2f;
      }
      StableMath.expInPlace(t, 0, len);
      i = 0;
      for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
        FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + b + i);
        FloatVector big = FloatVector.broadcast(SPECIES, 1f)
            .sub(FloatVector.broadcast(SPECIES, 2f).div(FloatVector.fromArray(SPECIES, t, i).add(1f)));
        big = big.blend(big.neg(), v.lt(0f));
        FloatVector s = v.mul(v);
        FloatVector p = s.fma(T4, T3);
        p = p.fma(s, FloatVector.broadcast(SPECIES, T2));
        p = p.fma(s, FloatVector.broadcast(SPECIES, T1));
        p = p.fma(s, FloatVector.broadcast(SPECIES, T0));
        p = p.mul(s).fma(v, v);
        big.blend(p, v.abs().lt(TANH_SMALL)).intoArray(out, outOff + b + i);
      }
      for (; i < len; i++) {
        out[outOff + b + i] = tanhLane(x[xOff + b + i], t[i]);
      }
    }
  }

  /** One lane of {@link #tanh}, the same operations: {@code e2x} is e^2|x|. */
  static float tanhLane(float v, float e2x) {
    float big = 1f - 2f / (e2x + 1f);
    big = v < 0f ? -big : big;
    float s = v * v;
    float p = Math.fma(s, T4, T3);
    p = Math.fma(p, s, T2);
    p = Math.fma(p, s, T1);
    p = Math.fma(p, s, T0);
    p = Math.fma(p * s, v, v);
    return Math.abs(v) < TANH_SMALL ? p : big;
  }

  @Override
  public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector v = FloatVector.fromArray(SPECIES, y, yOff + i);
      FloatVector.fromArray(SPECIES, dy, dyOff + i).mul(v)
          .mul(FloatVector.broadcast(SPECIES, 1f).sub(v)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      float v = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * v * (1f - v);
    }
  }

  @Override
  public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      FloatVector v = FloatVector.fromArray(SPECIES, y, yOff + i);
      FloatVector.fromArray(SPECIES, dy, dyOff + i).mul(v.neg().fma(v, FloatVector.broadcast(SPECIES, 1f)))
          .intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      float v = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * Math.fma(-v, v, 1f);
    }
  }

  /** Lane l holds {@code l * 0x9E3779B9}: the hash's counter steps within one vector. */
  private static final int[] GOLDEN_STEPS = goldenSteps();

  private static int[] goldenSteps() {
    int[] s = new int[LANES];
    for (int l = 0; l < LANES; l++) {
      s[l] = l * 0x9E3779B9;
    }
    return s;
  }

  /** {@link TrainingKernels#dropoutHash} on LANES counters at once: integer ops, the same bits. */
  @Override
  public void dropoutMask(int n, long key, float keep, float[] mask, int off) {
    int threshold = TrainingKernels.dropoutThreshold(keep);
    float scale = 1f / keep;
    int lo = (int) key;
    int hi = (int) (key >>> 32);
    IntVector steps = IntVector.fromArray(INTS, GOLDEN_STEPS, 0);
    FloatVector kept = FloatVector.broadcast(SPECIES, scale);
    int j = 0;
    for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
      IntVector h = steps.add(lo + j * 0x9E3779B9).lanewise(VectorOperators.XOR, hi);
      h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
      h = h.mul(0x85EBCA6B);
      h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13));
      h = h.mul(0xC2B2AE35);
      h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
      VectorMask<Float> on = h.lanewise(VectorOperators.LSHR, 8)
          .compare(VectorOperators.LT, threshold).cast(SPECIES);
      ZERO.blend(kept, on).intoArray(mask, off + j);
    }
    for (; j < n; j++) {
      mask[off + j] = (TrainingKernels.dropoutHash(key, j) >>> 8) < threshold ? scale : 0f;
    }
  }
}
