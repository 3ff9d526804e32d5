package simdlearn.kernel;

import simdlearn.kernel.internal.KernelProvider;

/**
 * Raw-array float kernels in BLAS style: every operand is a {@code float[]} with an offset,
 * matrices are row-major with a leading dimension (the distance between two rows).
 *
 * <p>"May alias" below means the output may be the very same elements as an input (same array,
 * same offset); outputs that partly overlap an input give undefined results.
 *
 * <p>Implementations do no argument checking beyond what the JVM does (an out-of-range index still
 * throws {@link ArrayIndexOutOfBoundsException}); {@link MatrixOps} checks shapes once per call and
 * is the API most callers want. Kernels that only a trainer needs (GEMMs on gathered pixel bytes,
 * activation derivatives, dropout masks) are in {@code simdlearn.kernel.training.TrainingKernels},
 * which extends this interface. Implementations are stateless and thread-safe, and none allocates
 * except {@link #gemm} on large or awkwardly transposed shapes, which packs operands into scratch
 * arrays.
 *
 * <p>Obtain one with {@link #vector()}, {@link #scalar()}, {@link #of(Backend)},
 * {@link #bestAvailable()} or {@link #defaultKernels()} (the best available unless the system
 * property {@value Backend#PROPERTY} says otherwise).
 */
public interface Kernels {

  /**
   * The backend this implementation belongs to.
   *
   * @return the backend
   */
  Backend backend();

  /**
   * Human-readable description, e.g. {@code vector (Species[float, 16, S_512_BIT])}.
   *
   * @return the description
   */
  String description();

  /**
   * Floats processed per instruction: the vector species' lane count, 1 for scalar.
   *
   * @return the lane count
   */
  int lanes();

  /**
   * Returns {@code sum_i x[i] * y[i]}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param y the second input array
   * @param yOff the index of {@code y}'s first element
   * @return the dot product
   */
  float dot(int n, float[] x, int xOff, float[] y, int yOff);

  /**
   * {@code y += alpha * x}.
   *
   * @param n the number of elements
   * @param alpha the factor applied to {@code x}
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param y the array updated in place
   * @param yOff the index of {@code y}'s first element
   */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /**
   * {@code y = alpha * x + beta * y}.
   *
   * @param n the number of elements
   * @param alpha the factor applied to {@code x}
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param beta the factor applied to {@code y}
   * @param y the array updated in place
   * @param yOff the index of {@code y}'s first element
   */
  void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff);

  /**
   * {@code x *= alpha}.
   *
   * @param n the number of elements
   * @param alpha the factor
   * @param x the array scaled in place
   * @param xOff the index of {@code x}'s first element
   */
  void scale(int n, float alpha, float[] x, int xOff);

  /**
   * {@code out = x + y} elementwise; {@code out} may alias {@code x} or {@code y}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param y the second input array
   * @param yOff the index of {@code y}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void add(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff);

  /**
   * {@code out = x - y} elementwise; {@code out} may alias {@code x} or {@code y}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param y the second input array
   * @param yOff the index of {@code y}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff);

  /**
   * {@code out = x * y} elementwise; {@code out} may alias {@code x} or {@code y}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param y the second input array
   * @param yOff the index of {@code y}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff);

  /**
   * {@code out = x / y} elementwise (IEEE: x/0 is infinite or NaN); {@code out} may alias.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param y the second input array
   * @param yOff the index of {@code y}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void div(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff);

  /**
   * Returns {@code sum_i x[i]}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @return the sum
   */
  float sum(int n, float[] x, int xOff);

  /**
   * The smallest element; {@code +Infinity} when {@code n == 0}; NaN if any element is NaN.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @return the smallest element
   */
  float min(int n, float[] x, int xOff);

  /**
   * The largest element; {@code -Infinity} when {@code n == 0}; NaN if any element is NaN.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @return the largest element
   */
  float max(int n, float[] x, int xOff);

  /**
   * Index (0-based, relative to {@code xOff}) of the first largest element; -1 when n == 0.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @return the index of the first largest element
   */
  int argmax(int n, float[] x, int xOff);

  /**
   * {@code out[i] = argmax(a[i, :])} for each of the m rows of a contiguous m x n matrix.
   *
   * @param m the number of rows
   * @param n the number of columns
   * @param a matrix A, row-major
   * @param aOff the index of A's first element
   * @param out receives each row's argmax
   * @param outOff the index of {@code out}'s first element
   */
  default void argmaxRows(int m, int n, float[] a, int aOff, int[] out, int outOff) {
    for (int i = 0; i < m; i++) {
      out[outOff + i] = argmax(n, a, aOff + i * n);
    }
  }

  /**
   * Adds {@code bias[0..n)} to every row of the contiguous m x n matrix {@code a} (broadcast).
   *
   * @param m the number of rows
   * @param n the number of columns
   * @param bias the row vector added
   * @param biasOff the index of {@code bias}'s first element
   * @param a the m x n matrix updated in place
   * @param aOff the index of A's first element
   */
  void addRowVector(int m, int n, float[] bias, int biasOff, float[] a, int aOff);

  /**
   * {@code out[j] += sum_i a[i, j]} over the m rows of a contiguous m x n matrix (column sums).
   *
   * @param m the number of rows
   * @param n the number of columns
   * @param a the contiguous m x n matrix
   * @param aOff the index of A's first element
   * @param out the n column sums are added to it
   * @param outOff the index of {@code out}'s first element
   */
  void addColumnSums(int m, int n, float[] a, int aOff, float[] out, int outOff);

  /**
   * General matrix multiply {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X
   * or its transpose. op(A) is m x k, op(B) is k x n, C is m x n. A is stored m x k (lda >= k) or,
   * transposed, k x m (lda >= m); likewise B. When {@code beta == 0}, C is overwritten and its old
   * contents (even NaN) are ignored, as in BLAS. C must not share storage with A or B (the
   * result would be wrong, as in BLAS); {@link MatrixOps#gemm} checks this.
   *
   * @param transA whether op(A) is A transposed (A then stored k x m)
   * @param transB whether op(B) is B transposed (B then stored n x k)
   * @param m the rows of op(A) and of C
   * @param n the columns of op(B) and of C
   * @param k the inner dimension: columns of op(A), rows of op(B)
   * @param alpha the factor applied to the product
   * @param a matrix A, row-major
   * @param aOff the index of A's first element
   * @param lda the distance between two stored rows of A
   * @param b matrix B, row-major
   * @param bOff the index of B's first element
   * @param ldb the distance between two stored rows of B
   * @param beta the factor applied to the old output
   * @param c matrix C, row-major, written
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   */
  void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc);

  /**
   * {@link #gemm} on up to {@code threads} threads: the caller's and helpers from a shared pool
   * of daemon threads. The result has the same bits as {@link #gemm} for any {@code threads}
   * (C is cut into blocks whose elements are computed exactly as one thread computes them).
   * Products of fewer than 2^24 multiply-adds (256^3) stay on the caller's thread, where the
   * hand-off would cost more than it saves.
   *
   * @param threads the most threads to use, at least 1
   * @param transA whether op(A) is A transposed (A then stored k x m)
   * @param transB whether op(B) is B transposed (B then stored n x k)
   * @param m the rows of op(A) and of C
   * @param n the columns of op(B) and of C
   * @param k the inner dimension: columns of op(A), rows of op(B)
   * @param alpha the factor applied to the product
   * @param a matrix A, row-major
   * @param aOff the index of A's first element
   * @param lda the distance between two stored rows of A
   * @param b matrix B, row-major
   * @param bOff the index of B's first element
   * @param ldb the distance between two stored rows of B
   * @param beta the factor applied to the old output
   * @param c matrix C, row-major, written
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  void gemmParallel(int threads, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc);

  /**
   * {@code dst[dstOff + j * ldd + i] = src[srcOff + i * lds + j]}: the transpose of a rows x cols
   * matrix. Worth it before several products that would otherwise read a factor transposed in
   * place (a stride of a whole row per step).
   *
   * @param rows the rows of the source
   * @param cols the columns of the source
   * @param src the source, row-major
   * @param srcOff the index of its first element
   * @param lds the distance between two rows of the source
   * @param dst receives the cols x rows transpose; must not overlap the source
   * @param dstOff the index of its first element
   * @param ldd the distance between two rows of the destination
   */
  void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff,
      int ldd);

  /**
   * Storage for an operand {@code op(B)} of k rows and n columns, laid out for
   * {@link #gemmPackedB} by this implementation; fill it with {@link #packB}.
   *
   * @param k the rows of op(B): the products' inner dimension
   * @param n the columns of op(B)
   * @return the zero-filled storage
   * @throws IllegalArgumentException if k or n is not positive
   */
  PackedMatrix newPackedB(int k, int n);

  /**
   * Packs rows {@code [k0, k1)} of {@code op(B)} into {@code dst} (all of it with 0 and
   * {@code dst.rows()}); the other rows keep what was packed before. B is stored as for
   * {@link #gemm}: k x n, or n x k when {@code transB}. Disjoint row ranges may be packed at once
   * from different threads.
   *
   * @param transB whether op(B) is B transposed (B then stored n x k)
   * @param k0 the first row of op(B) packed
   * @param k1 one past the last row packed
   * @param b matrix B, row-major
   * @param bOff the index of B's first element
   * @param ldb the distance between two stored rows of B
   * @param dst storage from this implementation's {@link #newPackedB}
   * @throws IllegalArgumentException if {@code dst} comes from another backend or is a packed A
   */
  void packB(boolean transB, int k0, int k1, float[] b, int bOff, int ldb, PackedMatrix dst);

  /**
   * {@link #gemm} with op(B) read from {@link #packB}'s layout: {@code C = alpha * op(A) * P +
   * beta * C}, P k x n ({@code b.rows() x b.cols()}), op(A) m x k. The result has the bits
   * {@link #gemm} gives for the same op(B) whenever gemm itself packs B (on the vector backend:
   * n at least one vector and {@code m * n * k >= 2^15}; on the scalar backend always); smaller
   * products may round differently.
   *
   * @param transA whether op(A) is A transposed (A then stored k x m)
   * @param m the rows of op(A) and of C
   * @param alpha the factor applied to the product
   * @param a matrix A, row-major
   * @param aOff the index of A's first element
   * @param lda the distance between two stored rows of A
   * @param b the packed op(B), from this implementation
   * @param beta the factor applied to the old output
   * @param c matrix C, row-major, written
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   * @throws IllegalArgumentException if {@code b} comes from another backend or is a packed A
   */
  void gemmPackedB(boolean transA, int m, float alpha, float[] a, int aOff, int lda,
      PackedMatrix b, float beta, float[] c, int cOff, int ldc);

  /**
   * Storage for an operand {@code op(A)} of m rows and k columns, laid out for
   * {@link #gemmPackedA} by this implementation; fill it with {@link #packA}.
   *
   * @param m the rows of op(A) and of the products' C
   * @param k the columns of op(A): the products' inner dimension
   * @return the zero-filled storage
   * @throws IllegalArgumentException if m or k is not positive
   */
  PackedMatrix newPackedA(int m, int k);

  /**
   * Packs all of {@code op(A)} into {@code dst} ({@code dst.rows() x dst.cols()}). A is stored as
   * for {@link #gemm}: m x k, or k x m when {@code transA}.
   *
   * @param transA whether op(A) is A transposed (A then stored k x m)
   * @param a matrix A, row-major
   * @param aOff the index of A's first element
   * @param lda the distance between two stored rows of A
   * @param dst storage from this implementation's {@link #newPackedA}
   * @throws IllegalArgumentException if {@code dst} comes from another backend or is a packed B
   */
  void packA(boolean transA, float[] a, int aOff, int lda, PackedMatrix dst);

  /**
   * {@link #gemm} with op(A) read from {@link #packA}'s layout: {@code C = alpha * P * op(B) +
   * beta * C}, P m x k ({@code a.rows() x a.cols()}), op(B) k x n. The result has the bits
   * {@link #gemm} gives for the same op(A) whenever gemm itself packs B (on the vector backend:
   * n at least one vector and {@code m * n * k >= 2^15}; on the scalar backend always); smaller
   * products may round differently.
   *
   * @param a the packed op(A), from this implementation
   * @param transB whether op(B) is B transposed (B then stored n x k)
   * @param n the columns of op(B) and of C
   * @param alpha the factor applied to the product
   * @param b matrix B, row-major
   * @param bOff the index of B's first element
   * @param ldb the distance between two stored rows of B
   * @param beta the factor applied to the old output
   * @param c matrix C, row-major, written
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   * @throws IllegalArgumentException if {@code a} comes from another backend or is a packed B
   */
  void gemmPackedA(PackedMatrix a, boolean transB, int n, float alpha, float[] b, int bOff,
      int ldb, float beta, float[] c, int cOff, int ldc);

  /**
   * Row-wise numerically stable softmax of a contiguous m x n matrix: {@code dst[i, j] =
   * exp(src[i, j] - lse_i)}. {@code dst} may alias {@code src}. When {@code lse} is not null it
   * receives each row's log-sum-exp {@code lse_i = max_i + log(sum_j exp(src[i, j] - max_i))}.
   *
   * @param m the number of rows
   * @param n the number of columns
   * @param src the input array
   * @param srcOff the index of {@code src}'s first element
   * @param dst the output array
   * @param dstOff the index of {@code dst}'s first element
   * @param lse receives each row's log-sum-exp, or null
   * @param lseOff the index of {@code lse}'s first element
   */
  void softmaxRows(int m, int n, float[] src, int srcOff, float[] dst, int dstOff,
      float[] lse, int lseOff);

  /**
   * {@code out[i] = log(sum_j exp(src[i, j]))}, stably, for each row of an m x n matrix.
   *
   * @param m the number of rows
   * @param n the number of columns
   * @param src the input array
   * @param srcOff the index of {@code src}'s first element
   * @param out receives one value per row
   * @param outOff the index of {@code out}'s first element
   */
  void logSumExpRows(int m, int n, float[] src, int srcOff, float[] out, int outOff);

  /**
   * {@code out[i] = max(x[i], 0)}; {@code out} may alias {@code x}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void relu(int n, float[] x, int xOff, float[] out, int outOff);

  /**
   * {@code out[i] = 1 / (1 + e^-x[i])}, the logistic sigmoid; {@code out} may alias {@code x}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void sigmoid(int n, float[] x, int xOff, float[] out, int outOff);

  /**
   * {@code out[i] = tanh(x[i])}; {@code out} may alias {@code x}.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void tanh(int n, float[] x, int xOff, float[] out, int outOff);

  /**
   * {@code out[i] = e^x[i]} (0 below about -87.3, the smallest normal float's log); may alias.
   *
   * @param n the number of elements
   * @param x the input array
   * @param xOff the index of {@code x}'s first element
   * @param out the output array
   * @param outOff the index of {@code out}'s first element
   */
  void exp(int n, float[] x, int xOff, float[] out, int outOff);

  /**
   * The Panama Vector API implementation.
   *
   * @return the vector kernels
   * @throws UnsupportedOperationException when {@code jdk.incubator.vector} is not in the JVM (a
   *     class-path program started without {@code --add-modules jdk.incubator.vector}); the
   *     message says what to add. It never returns scalar code: see {@link #bestAvailable()}
   */
  static Kernels vector() {
    return KernelProvider.vector();
  }

  /**
   * {@link #vector()} when the Vector API is available, else {@link #scalar()} with a warning
   * logged once (to {@code System.Logger} "simdlearn.kernel") saying why and what to add.
   *
   * @return the fastest kernels this JVM can run
   */
  static Kernels bestAvailable() {
    return KernelProvider.bestAvailable();
  }

  /**
   * Whether {@link #vector()} can be used in this JVM.
   *
   * @return whether the Vector API is available
   */
  static boolean vectorAvailable() {
    return KernelProvider.vectorAvailable();
  }

  /**
   * The plain-Java scalar reference implementation.
   *
   * @return the scalar kernels
   */
  static Kernels scalar() {
    return KernelProvider.SCALAR;
  }

  /**
   * The implementation for {@code backend}.
   *
   * @param backend which implementation
   * @return the kernels for that backend
   */
  static Kernels of(Backend backend) {
    return backend == Backend.SCALAR ? scalar() : vector();
  }

  /**
   * The process-wide default: {@link #scalar()} or {@link #vector()} when the system property
   * {@value Backend#PROPERTY} says {@code scalar} or {@code vector}, else {@link #bestAvailable()}.
   *
   * @return the default kernels
   * @throws IllegalArgumentException if the property names no backend
   */
  static Kernels defaultKernels() {
    return KernelProvider.defaults();
  }
}
