package simdlearn.kernel;

import simdlearn.kernel.internal.KernelProvider;

/**
 * Raw-array float kernels in BLAS style: every operand is a {@code float[]} with an offset,
 * matrices are row-major with a leading dimension (the distance between two rows).
 *
 * <p>Implementations do no argument checking beyond what the JVM does (an out-of-range index still
 * throws {@link ArrayIndexOutOfBoundsException}); {@link MatrixOps} checks shapes once per call and
 * is the API most callers want. Kernels that only a trainer needs (GEMMs on gathered pixel bytes,
 * activation derivatives, dropout masks) are in {@code simdlearn.kernel.training.TrainingKernels},
 * which extends this interface. Implementations are stateless and thread-safe, and none allocates
 * except {@link #gemm} on large or awkwardly transposed shapes, which packs operands into scratch
 * arrays.
 *
 * <p>Obtain one with {@link #vector()}, {@link #scalar()}, {@link #of(Backend)} or
 * {@link #defaultKernels()} (vector unless the system property {@value Backend#PROPERTY} says
 * {@code scalar}).
 */
public interface Kernels {

  /** The backend this implementation belongs to. */
  Backend backend();

  /** Human-readable description, e.g. {@code vector (Species[float, 16, S_512_BIT])}. */
  String description();

  /** Floats processed per instruction: the vector species' lane count, 1 for scalar. */
  int lanes();

  /** Returns {@code sum_i x[i] * y[i]}. */
  float dot(int n, float[] x, int xOff, float[] y, int yOff);

  /** {@code y += alpha * x}. */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /** {@code y = alpha * x + beta * y}. */
  void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff);

  /** {@code x *= alpha}. */
  void scale(int n, float alpha, float[] x, int xOff);

  /** {@code out = x + y} elementwise; {@code out} may alias {@code x} or {@code y}. */
  void add(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff);

  /** {@code out = x * y} elementwise; {@code out} may alias {@code x} or {@code y}. */
  void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff);

  /** Returns {@code sum_i x[i]}. */
  float sum(int n, float[] x, int xOff);

  /** The largest element; {@code -Infinity} when {@code n == 0}; NaN if any element is NaN. */
  float max(int n, float[] x, int xOff);

  /** Index (0-based, relative to {@code xOff}) of the first largest element; -1 when n == 0. */
  int argmax(int n, float[] x, int xOff);

  /** {@code out[i] = argmax(a[i, :])} for each of the m rows of a contiguous m x n matrix. */
  default void argmaxRows(int m, int n, float[] a, int aOff, int[] out, int outOff) {
    for (int i = 0; i < m; i++) {
      out[outOff + i] = argmax(n, a, aOff + i * n);
    }
  }

  /** Adds {@code bias[0..n)} to every row of the contiguous m x n matrix {@code a} (broadcast). */
  void addRowVector(int m, int n, float[] bias, int biasOff, float[] a, int aOff);

  /** {@code out[j] += sum_i a[i, j]} over the m rows of a contiguous m x n matrix (column sums). */
  void addColumnSums(int m, int n, float[] a, int aOff, float[] out, int outOff);

  /**
   * General matrix multiply {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X
   * or its transpose. op(A) is m x k, op(B) is k x n, C is m x n. A is stored m x k (lda >= k) or,
   * transposed, k x m (lda >= m); likewise B. When {@code beta == 0}, C is overwritten and its old
   * contents (even NaN) are ignored, as in BLAS.
   */
  void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc);

  /**
   * Row-wise numerically stable softmax of a contiguous m x n matrix: {@code dst[i, j] =
   * exp(src[i, j] - lse_i)}. {@code dst} may alias {@code src}. When {@code lse} is not null it
   * receives each row's log-sum-exp {@code lse_i = max_i + log(sum_j exp(src[i, j] - max_i))}.
   */
  void softmaxRows(int m, int n, float[] src, int srcOff, float[] dst, int dstOff,
      float[] lse, int lseOff);

  /** {@code out[i] = log(sum_j exp(src[i, j]))}, stably, for each row of an m x n matrix. */
  void logSumExpRows(int m, int n, float[] src, int srcOff, float[] out, int outOff);

  /** {@code out[i] = max(x[i], 0)}; {@code out} may alias {@code x}. */
  void relu(int n, float[] x, int xOff, float[] out, int outOff);

  /** {@code out[i] = 1 / (1 + e^-x[i])}, the logistic sigmoid; {@code out} may alias {@code x}. */
  void sigmoid(int n, float[] x, int xOff, float[] out, int outOff);

  /** {@code out[i] = tanh(x[i])}; {@code out} may alias {@code x}. */
  void tanh(int n, float[] x, int xOff, float[] out, int outOff);

  /** {@code out[i] = e^x[i]} (0 below about -87.3, the smallest normal float's log); may alias. */
  void exp(int n, float[] x, int xOff, float[] out, int outOff);

  /** The Panama Vector API implementation (falls back to scalar if the vector module is absent). */
  static Kernels vector() {
    return KernelProvider.VECTOR;
  }

  /** The plain-Java scalar reference implementation. */
  static Kernels scalar() {
    return KernelProvider.SCALAR;
  }

  /** The implementation for {@code backend}. */
  static Kernels of(Backend backend) {
    return backend == Backend.SCALAR ? scalar() : vector();
  }

  /**
   * The process-wide default: {@link #vector()}, unless the system property
   * {@value Backend#PROPERTY} is {@code scalar}. Read once, when first used.
   */
  static Kernels defaultKernels() {
    return KernelProvider.defaults();
  }
}
