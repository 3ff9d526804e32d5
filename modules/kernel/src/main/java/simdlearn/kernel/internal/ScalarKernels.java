package simdlearn.kernel.internal;

import java.util.Arrays;
import simdlearn.kernel.Backend;
import simdlearn.kernel.PackedMatrix;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Plain-Java reference kernels. They are written for obviousness, not speed: each loop is the
 * textbook definition, accumulating in float in index order, so the vector kernels have a clear
 * ground truth to agree with.
 */
final class ScalarKernels implements TrainingKernels {

  @Override
  public Backend backend() {
    return Backend.SCALAR;
  }

  @Override
  public String description() {
    return "scalar (plain Java reference)";
  }

  @Override
  public int lanes() {
    return 1;
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i] * y[yOff + i];
    }
    return s;
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
    }
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff) {
    for (int i = 0; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public void add(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = x[xOff + i] + y[yOff + i];
    }
  }

  @Override
  public void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = x[xOff + i] - y[yOff + i];
    }
  }

  @Override
  public void div(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = x[xOff + i] / y[yOff + i];
    }
  }

  @Override
  public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = x[xOff + i] * y[yOff + i];
    }
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i];
    }
    return s;
  }

  @Override
  public float max(int n, float[] x, int xOff) {
    float m = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, x[xOff + i]);
    }
    return m;
  }

  @Override
  public float min(int n, float[] x, int xOff) {
    float m = Float.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      m = Math.min(m, x[xOff + i]);
    }
    return m;
  }

  @Override
  public int argmax(int n, float[] x, int xOff) {
    return argmaxScalar(n, x, xOff);
  }

  /** First index of the largest element; NaN elements never win unless the first one is NaN. */
  static int argmaxScalar(int n, float[] x, int xOff) {
    if (n == 0) {
      return -1;
    }
    int best = 0;
    float bestValue = x[xOff];
    for (int i = 1; i < n; i++) {
      if (x[xOff + i] > bestValue) {
        bestValue = x[xOff + i];
        best = i;
      }
    }
    return best;
  }

  @Override
  public void addRowVector(int m, int n, float[] bias, int biasOff, float[] a, int aOff) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a[aOff + i * n + j] += bias[biasOff + j];
      }
    }
  }

  @Override
  public void addColumnSums(int m, int n, float[] a, int aOff, float[] out, int outOff) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[outOff + j] += a[aOff + i * n + j];
      }
    }
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    // op(A)[i][p] = a[aOff + i*rsA + p*csA]; likewise op(B)[p][j].
    int rsA = transA ? 1 : lda;
    int csA = transA ? lda : 1;
    int rsB = transB ? 1 : ldb;
    int csB = transB ? ldb : 1;
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
      }
      for (int p = 0; p < k; p++) {
        float av = alpha * a[aOff + i * rsA + p * csA];
        int bp = bOff + p * rsB;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j * csB];
        }
      }
    }
  }

  @Override
  public void gemmParallel(int threads, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    int parts = ParallelGemm.parts(threads, m, n, k);
    if (parts == 1) {
      gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    // Each row of C is computed on its own, so rows can be cut anywhere.
    int rsA = transA ? 1 : lda;
    ParallelGemm.run(parts, m, n, 1, 1, Integer.MAX_VALUE,
        (i0, i1, j0, j1) -> gemm(transA, transB, i1 - i0, n, k, alpha, a, aOff + i0 * rsA, lda,
            b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc));
  }

  @Override
  public void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst,
      int dstOff, int ldd) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        dst[dstOff + j * ldd + i] = src[srcOff + i * lds + j];
      }
    }
  }

  @Override
  public PackedMatrix newPackedB(int k, int n) {
    return new PackedOperand(Backend.SCALAR, false, k, n, Math.multiplyExact(k, n));
  }

  /** The reference layout: op(B) row-major, k x n. */
  @Override
  public void packB(boolean transB, int k0, int k1, float[] b, int bOff, int ldb,
      PackedMatrix dst) {
    PackedOperand p = PackedOperand.of(dst, Backend.SCALAR, false);
    int n = p.cols();
    for (int r = k0; r < k1; r++) {
      for (int j = 0; j < n; j++) {
        p.data[r * n + j] = transB ? b[bOff + j * ldb + r] : b[bOff + r * ldb + j];
      }
    }
  }

  @Override
  public void gemmPackedB(boolean transA, int m, float alpha, float[] a, int aOff, int lda,
      PackedMatrix b, float beta, float[] c, int cOff, int ldc) {
    PackedOperand p = PackedOperand.of(b, Backend.SCALAR, false);
    gemm(transA, false, m, p.cols(), p.rows(), alpha, a, aOff, lda, p.data, 0, p.cols(), beta, c,
        cOff, ldc);
  }

  @Override
  public PackedMatrix newPackedA(int m, int k) {
    return new PackedOperand(Backend.SCALAR, true, m, k, Math.multiplyExact(m, k));
  }

  /** The reference layout: op(A) row-major, m x k. */
  @Override
  public void packA(boolean transA, float[] a, int aOff, int lda, PackedMatrix dst) {
    PackedOperand p = PackedOperand.of(dst, Backend.SCALAR, true);
    int m = p.rows();
    int k = p.cols();
    for (int i = 0; i < m; i++) {
      for (int q = 0; q < k; q++) {
        p.data[i * k + q] = transA ? a[aOff + q * lda + i] : a[aOff + i * lda + q];
      }
    }
  }

  @Override
  public void gemmPackedA(PackedMatrix a, boolean transB, int n, float alpha, float[] b,
      int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    PackedOperand p = PackedOperand.of(a, Backend.SCALAR, true);
    gemm(false, transB, p.rows(), n, p.cols(), alpha, p.data, 0, p.cols(), b, bOff, ldb, beta, c,
        cOff, ldc);
  }

  @Override
  public void softmaxRows(int m, int n, float[] src, int srcOff, float[] dst, int dstOff,
      float[] lse, int lseOff) {
    for (int i = 0; i < m; i++) {
      int s = srcOff + i * n;
      int d = dstOff + i * n;
      float max = max(n, src, s);
      float sum = 0f;
      for (int j = 0; j < n; j++) {
        float e = (float) Math.exp(src[s + j] - max);
        dst[d + j] = e;
        sum += e;
      }
      float inv = 1f / sum;
      for (int j = 0; j < n; j++) {
        dst[d + j] *= inv;
      }
      if (lse != null) {
        lse[lseOff + i] = max + (float) Math.log(sum);
      }
    }
  }

  @Override
  public void logSumExpRows(int m, int n, float[] src, int srcOff, float[] out, int outOff) {
    for (int i = 0; i < m; i++) {
      int s = srcOff + i * n;
      float max = max(n, src, s);
      float sum = 0f;
      for (int j = 0; j < n; j++) {
        sum += (float) Math.exp(src[s + j] - max);
      }
      out[outOff + i] = max + (float) Math.log(sum);
    }
  }

  @Override
  public void bytesToFloats(int n, byte[] src, int srcOff, float scale, float[] dst, int dstOff) {
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] = (src[srcOff + i] & 0xFF) * scale;
    }
  }

  @Override
  public void gatherBytesToFloats(int rows, int cols, byte[] src, int[] index, int indexOff,
      float scale, float[] dst, int dstOff) {
    for (int r = 0; r < rows; r++) {
      bytesToFloats(cols, src, index[indexOff + r] * cols, scale, dst, dstOff + r * cols);
    }
  }

  @Override
  public void gemmGatheredNT(int m, int n, int k, byte[] x, int[] rows, int rowsOff, float scale,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    for (int r = 0; r < m; r++) {
      int xi = rows[rowsOff + r] * k;
      for (int j = 0; j < n; j++) {
        int bi = bOff + j * ldb;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += (x[xi + p] & 0xFF) * b[bi + p];
        }
        c[cOff + r * ldc + j] = scale * s;
      }
    }
  }

  @Override
  public void gemmTNGathered(int m, int n, int k, float[] a, int aOff, int lda, byte[] x,
      int[] rows, int rowsOff, float scale, float[] c, int cOff, int ldc) {
    for (int i = 0; i < n; i++) {
      Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + k, 0f);
    }
    for (int r = 0; r < m; r++) {
      int xi = rows[rowsOff + r] * k;
      for (int i = 0; i < n; i++) {
        float g = a[aOff + r * lda + i];
        int ci = cOff + i * ldc;
        for (int p = 0; p < k; p++) {
          c[ci + p] += g * (x[xi + p] & 0xFF);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < k; p++) {
        c[cOff + i * ldc + p] *= scale;
      }
    }
  }

  @Override
  public void relu(int n, float[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      out[outOff + i] = v < 0f ? 0f : v; // max(x, 0) keeping NaN (and -0), as the vector kernel
    }
  }

  @Override
  public void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = (float) (1 / (1 + Math.exp(-x[xOff + i])));
    }
  }

  @Override
  public void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = (float) Math.tanh(x[xOff + i]);
    }
  }

  @Override
  public void exp(int n, float[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = (float) Math.exp(x[xOff + i]);
    }
  }

  @Override
  public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    for (int i = 0; i < n; i++) {
      dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
  }

  @Override
  public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    for (int i = 0; i < n; i++) {
      float v = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * v * (1f - v);
    }
  }

  @Override
  public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    for (int i = 0; i < n; i++) {
      float v = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * Math.fma(-v, v, 1f);
    }
  }

  @Override
  public void dropoutMask(int n, long key, float keep, float[] mask, int off) {
    int threshold = TrainingKernels.dropoutThreshold(keep);
    float scale = 1f / keep;
    for (int j = 0; j < n; j++) {
      mask[off + j] = (TrainingKernels.dropoutHash(key, j) >>> 8) < threshold ? scale : 0f;
    }
  }
}
