package simdlearn.kernel;

import java.util.Objects;

/**
 * Shape-checked matrix and vector operations on {@link FloatMatrix}, delegating to one
 * {@link Kernels} implementation. Every method checks its shapes once, then runs the kernel; a
 * mismatch is an {@link IllegalArgumentException} that names both shapes.
 *
 * <p>Methods that return a matrix allocate it ({@link #multiply}, {@link #add(FloatMatrix,
 * FloatMatrix)}, ...); methods that take an {@code out} write into it and allocate nothing. An
 * output may be the very same matrix as an elementwise operation's input (same array and
 * offset), but an output that partly overlaps an input, or a product's output that shares any
 * storage with its factors ({@code matmul(a, b, a)}), is refused with an
 * {@link IllegalArgumentException}: the kernels would silently compute garbage.
 *
 * <p>Vector operations ({@link #dot}, {@link #axpyInPlace}, ...) treat a matrix as its flat
 * sequence of {@code rows * cols} elements, so a 1 x n, n x 1 or r x c matrix of the same size
 * are interchangeable there.
 *
 * <p>Instances are immutable and thread-safe. Products run on the caller's thread, or on up to
 * {@link #withThreads} threads with the same bits.
 */
public final class MatrixOps {
  private final Kernels kernels;
  private final int threads;

  private MatrixOps(Kernels kernels, int threads) {
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    this.threads = threads;
  }

  /**
   * Operations on the given kernels.
   *
   * @param kernels the kernels that do the arithmetic
   * @return the operations
   */
  public static MatrixOps using(Kernels kernels) {
    return new MatrixOps(kernels, 1);
  }

  /**
   * Operations on {@link Kernels#of(Backend)}.
   *
   * @param backend which kernels
   * @return the kernels for that backend
   */
  public static MatrixOps of(Backend backend) {
    return new MatrixOps(Kernels.of(backend), 1);
  }

  /**
   * Operations on {@link Kernels#defaultKernels()}.
   *
   * @return the operations
   */
  public static MatrixOps defaults() {
    return new MatrixOps(Kernels.defaultKernels(), 1);
  }

  /**
   * These operations with products ({@link #gemm}, {@link #matmul}, {@link #multiply}) split over
   * up to {@code threads} threads, through {@link Kernels#gemmParallel}: same results to the bit,
   * and small products stay on the caller's thread.
   *
   * @param threads the most threads a product may use, at least 1
   * @return the same operations, with products on up to that many threads
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public MatrixOps withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    return new MatrixOps(kernels, threads);
  }

  /**
   * The kernels doing the arithmetic.
   *
   * @return the kernels
   */
  public Kernels kernels() {
    return kernels;
  }

  /**
   * The most threads a product may use (1 unless set by {@link #withThreads}).
   *
   * @return the thread count
   */
  public int threads() {
    return threads;
  }

  /**
   * The dot product of two matrices of the same size, as flat vectors.
   *
   * @param x the first operand
   * @param y the second operand
   * @return {@code sum_i x[i] * y[i]}
   */
  public float dot(FloatMatrix x, FloatMatrix y) {
    sameSize("dot", x, y);
    return kernels.dot(x.size(), x.data(), x.offset(), y.data(), y.offset());
  }

  /**
   * {@code y += alpha * x}.
   *
   * @param alpha the factor
   * @param x the first operand
   * @param y the matrix updated in place
   */
  public void axpyInPlace(float alpha, FloatMatrix x, FloatMatrix y) {
    sameSize("axpy", x, y);
    noPartialOverlap("axpy", x, y);
    kernels.axpy(x.size(), alpha, x.data(), x.offset(), y.data(), y.offset());
  }

  /**
   * {@code y = alpha * x + beta * y}.
   *
   * @param alpha the factor
   * @param x the first operand
   * @param beta the factor applied to the old {@code c}
   * @param y the matrix updated in place
   */
  public void axpbyInPlace(float alpha, FloatMatrix x, float beta, FloatMatrix y) {
    sameSize("axpby", x, y);
    noPartialOverlap("axpby", x, y);
    kernels.axpby(x.size(), alpha, x.data(), x.offset(), beta, y.data(), y.offset());
  }

  /**
   * {@code x *= alpha}.
   *
   * @param alpha the factor
   * @param x the matrix scaled in place
   */
  public void scaleInPlace(float alpha, FloatMatrix x) {
    kernels.scale(x.size(), alpha, x.data(), x.offset());
  }

  /**
   * {@code out = x + y} elementwise.
   *
   * @param x the first operand
   * @param y the second operand
   * @param out receives the result (the same shape)
   */
  public void add(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
    elementwise("add", x, y, out);
    kernels.add(x.size(), x.data(), x.offset(), y.data(), y.offset(), out.data(), out.offset());
  }

  /**
   * {@code x + y} elementwise, in a new matrix.
   *
   * @param x the first operand
   * @param y the second operand
   * @return a new matrix holding the sum
   */
  public FloatMatrix add(FloatMatrix x, FloatMatrix y) {
    FloatMatrix out = FloatMatrix.zeros(x.rows(), x.cols());
    add(x, y, out);
    return out;
  }

  /**
   * {@code out = x - y} elementwise.
   *
   * @param x the first operand
   * @param y the second operand
   * @param out receives the result (the same shape)
   */
  public void subtract(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
    elementwise("subtract", x, y, out);
    kernels.sub(x.size(), x.data(), x.offset(), y.data(), y.offset(), out.data(), out.offset());
  }

  /**
   * {@code x - y} elementwise, in a new matrix.
   *
   * @param x the first operand
   * @param y the second operand
   * @return a new matrix holding the difference
   */
  public FloatMatrix subtract(FloatMatrix x, FloatMatrix y) {
    FloatMatrix out = FloatMatrix.zeros(x.rows(), x.cols());
    subtract(x, y, out);
    return out;
  }

  /**
   * {@code out = x * y} elementwise (Hadamard product).
   *
   * @param x the first operand
   * @param y the second operand
   * @param out receives the result (the same shape)
   */
  public void mul(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
    elementwise("mul", x, y, out);
    kernels.mul(x.size(), x.data(), x.offset(), y.data(), y.offset(), out.data(), out.offset());
  }

  /**
   * {@code x * y} elementwise (Hadamard product), in a new matrix.
   *
   * @param x the first operand
   * @param y the second operand
   * @return a new matrix holding the product
   */
  public FloatMatrix hadamard(FloatMatrix x, FloatMatrix y) {
    FloatMatrix out = FloatMatrix.zeros(x.rows(), x.cols());
    mul(x, y, out);
    return out;
  }

  /**
   * {@code out = x / y} elementwise (IEEE division: x / 0 is infinite or NaN).
   *
   * @param x the first operand
   * @param y the second operand
   * @param out receives the result (the same shape)
   */
  public void divide(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
    elementwise("divide", x, y, out);
    kernels.div(x.size(), x.data(), x.offset(), y.data(), y.offset(), out.data(), out.offset());
  }

  /**
   * {@code x / y} elementwise, in a new matrix.
   *
   * @param x the first operand
   * @param y the second operand
   * @return a new matrix holding the quotient
   */
  public FloatMatrix divide(FloatMatrix x, FloatMatrix y) {
    FloatMatrix out = FloatMatrix.zeros(x.rows(), x.cols());
    divide(x, y, out);
    return out;
  }

  /**
   * {@code alpha * x}, in a new matrix.
   *
   * @param alpha the factor
   * @param x the first operand
   * @return a new matrix
   */
  public FloatMatrix scale(float alpha, FloatMatrix x) {
    FloatMatrix out = x.copy();
    scaleInPlace(alpha, out);
    return out;
  }

  /**
   * The sum of the elements.
   *
   * @param x the matrix
   * @return the sum; 0 for an empty matrix
   */
  public float sum(FloatMatrix x) {
    return kernels.sum(x.size(), x.data(), x.offset());
  }

  /**
   * Largest element; {@code -Infinity} for an empty matrix.
   *
   * @param x the first operand
   * @return the largest element
   */
  public float max(FloatMatrix x) {
    return kernels.max(x.size(), x.data(), x.offset());
  }

  /**
   * Smallest element; {@code +Infinity} for an empty matrix.
   *
   * @param x the first operand
   * @return the smallest element
   */
  public float min(FloatMatrix x) {
    return kernels.min(x.size(), x.data(), x.offset());
  }

  /**
   * The mean of the elements; NaN for an empty matrix.
   *
   * @param x the first operand
   * @return the mean
   */
  public float mean(FloatMatrix x) {
    return x.size() == 0 ? Float.NaN : sum(x) / x.size();
  }

  /**
   * The Frobenius (for a vector: Euclidean) norm, {@code sqrt(sum x^2)}.
   *
   * @param x the first operand
   * @return the norm
   */
  public float norm(FloatMatrix x) {
    return (float) Math.sqrt(kernels.dot(x.size(), x.data(), x.offset(), x.data(), x.offset()));
  }

  /**
   * Index of the first largest element in row {@code r}.
   *
   * @param a the left factor
   * @param r the row, from 0
   * @return the column of the first largest element
   */
  public int argmaxRow(FloatMatrix a, int r) {
    requireCols("argmax", a);
    return kernels.argmax(a.cols(), a.data(), a.rowOffset(r));
  }

  /**
   * {@code out[i] = argmax(a[i, :])}; {@code out} needs at least {@code a.rows()} entries.
   *
   * @param a the left factor
   * @param out receives each row's argmax
   */
  public void argmaxRows(FloatMatrix a, int[] out) {
    requireCols("argmaxRows", a);
    if (out.length < a.rows()) {
      throw new IllegalArgumentException("argmaxRows: output has " + out.length
          + " entries but the matrix has " + a.rows() + " rows");
    }
    kernels.argmaxRows(a.rows(), a.cols(), a.data(), a.offset(), out, 0);
  }

  /**
   * Adds the 1 x n row vector {@code bias} to every row of the m x n matrix {@code a}.
   *
   * @param a the matrix updated in place
   * @param bias a 1 x n row vector
   */
  public void addRowVectorInPlace(FloatMatrix a, FloatMatrix bias) {
    if (bias.size() != a.cols()) {
      throw new IllegalArgumentException("addRowVector: bias " + shape(bias) + " has "
          + bias.size() + " elements but the matrix " + shape(a) + " has " + a.cols() + " columns");
    }
    kernels.addRowVector(a.rows(), a.cols(), bias.data(), bias.offset(), a.data(), a.offset());
  }

  /**
   * {@code out[j] += sum_i a[i, j]}: column sums accumulated into the 1 x n {@code out}.
   *
   * @param a the matrix whose columns are summed
   * @param out a 1 x n row vector the sums are added to
   */
  public void addColumnSumsInPlace(FloatMatrix a, FloatMatrix out) {
    if (out.size() != a.cols()) {
      throw new IllegalArgumentException("addColumnSums: output " + shape(out) + " has "
          + out.size() + " elements but the matrix " + shape(a) + " has " + a.cols() + " columns");
    }
    kernels.addColumnSums(a.rows(), a.cols(), a.data(), a.offset(), out.data(), out.offset());
  }

  /**
   * {@code c = a * b}; c must not share storage with a or b.
   *
   * @param a the left factor
   * @param b the right factor
   * @param c receives the product (it must not share storage with a or b)
   */
  public void matmul(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
    gemm(false, false, 1f, a, b, 0f, c);
  }

  /**
   * {@code a * b}, in a new matrix.
   *
   * @param a the left factor
   * @param b the right factor
   * @return a new matrix holding the product
   */
  public FloatMatrix multiply(FloatMatrix a, FloatMatrix b) {
    return multiply(false, a, false, b);
  }

  /**
   * {@code op(a) * op(b)}, in a new matrix, op transposing when its flag is set.
   *
   * @param transA whether op(a) is a transposed
   * @param a the left factor
   * @param transB whether op(b) is b transposed
   * @param b the right factor
   * @return a new matrix holding the product
   */
  public FloatMatrix multiply(boolean transA, FloatMatrix a, boolean transB, FloatMatrix b) {
    int k = transA ? a.rows() : a.cols();
    int kb = transB ? b.cols() : b.rows();
    if (k != kb) {
      throw new IllegalArgumentException("multiply: cannot multiply " + shape(a)
          + (transA ? "^T" : "") + " by " + shape(b) + (transB ? "^T" : "") + ": the left has "
          + k + " columns, the right " + kb + " rows");
    }
    FloatMatrix c = FloatMatrix.zeros(transA ? a.cols() : a.rows(), transB ? b.rows() : b.cols());
    gemm(transA, transB, 1f, a, b, 0f, c);
    return c;
  }

  /**
   * The transpose of {@code a}, in a new matrix (as {@link FloatMatrix#transpose()}).
   *
   * @param a the left factor
   * @return a new matrix holding the transpose
   */
  public FloatMatrix transpose(FloatMatrix a) {
    return a.transpose();
  }

  /**
   * {@code c = alpha * op(a) * op(b) + beta * c} where op transposes when its flag is set.
   * With {@code beta == 0} the old contents of {@code c} are ignored.
   *
   * @param transA whether op(a) is a transposed
   * @param transB whether op(b) is b transposed
   * @param alpha the factor
   * @param a the left factor
   * @param b the right factor
   * @param beta the factor applied to the old {@code c}
   * @param c receives the product (it must not share storage with a or b)
   * @throws IllegalArgumentException if the shapes do not fit, or c shares storage with a or b
   */
  public void gemm(boolean transA, boolean transB, float alpha, FloatMatrix a, FloatMatrix b,
      float beta, FloatMatrix c) {
    int m = transA ? a.cols() : a.rows();
    int k = transA ? a.rows() : a.cols();
    int kb = transB ? b.cols() : b.rows();
    int n = transB ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n) {
      throw new IllegalArgumentException("gemm: cannot multiply " + shape(a) + (transA ? "^T" : "")
          + " by " + shape(b) + (transB ? "^T" : "") + " into " + shape(c)
          + ": need op(A) m x k, op(B) k x n, C m x n");
    }
    if (overlaps(c, a) || overlaps(c, b)) {
      throw new IllegalArgumentException("gemm: the output " + shape(c) + " shares storage with "
          + (overlaps(c, a) ? "A" : "B") + "; a product cannot be written over its own factors:"
          + " write into a new matrix (multiply(a, b)) and copy it back");
    }
    if (threads > 1) {
      kernels.gemmParallel(threads, transA, transB, m, n, k, alpha, a.data(), a.offset(),
          a.cols(), b.data(), b.offset(), b.cols(), beta, c.data(), c.offset(), c.cols());
      return;
    }
    kernels.gemm(transA, transB, m, n, k, alpha, a.data(), a.offset(), a.cols(),
        b.data(), b.offset(), b.cols(), beta, c.data(), c.offset(), c.cols());
  }

  /**
   * {@code op(b)} packed for many products by {@link #gemm(boolean, float, FloatMatrix,
   * PackedMatrix, float, FloatMatrix)}: worth it when the same right factor (a layer's weight)
   * multiplies several left ones before it changes. Pack again after {@code b} changes.
   *
   * @param transB whether op(b) is b transposed
   * @param b the right factor
   * @return its packed copy, for these kernels
   */
  public PackedMatrix packB(boolean transB, FloatMatrix b) {
    int k = transB ? b.cols() : b.rows();
    PackedMatrix p = kernels.newPackedB(k, transB ? b.rows() : b.cols());
    kernels.packB(transB, 0, k, b.data(), b.offset(), b.cols(), p);
    return p;
  }

  /**
   * {@code c = alpha * op(a) * p + beta * c} with a right factor packed by {@link #packB}: the
   * bits of {@link #gemm(boolean, boolean, float, FloatMatrix, FloatMatrix, float, FloatMatrix)}
   * on the factor that was packed (see {@link Kernels#gemmPackedB}), on one thread.
   *
   * @param transA whether op(a) is a transposed
   * @param alpha the factor
   * @param a the left factor
   * @param p the packed right factor, k x n
   * @param beta the factor applied to the old {@code c}
   * @param c receives the product
   * @throws IllegalArgumentException if the shapes do not fit or p was packed by another backend
   */
  public void gemm(boolean transA, float alpha, FloatMatrix a, PackedMatrix p, float beta,
      FloatMatrix c) {
    int m = transA ? a.cols() : a.rows();
    int k = transA ? a.rows() : a.cols();
    if (k != p.rows() || c.rows() != m || c.cols() != p.cols()) {
      throw new IllegalArgumentException("gemm: cannot multiply " + shape(a) + (transA ? "^T" : "")
          + " by a packed " + p.rows() + "x" + p.cols() + " into " + shape(c)
          + ": need op(A) m x k, the packed factor k x n, C m x n");
    }
    if (overlaps(c, a)) {
      throw new IllegalArgumentException("gemm: the output " + shape(c) + " shares storage with"
          + " A; write into a new matrix and copy it back");
    }
    kernels.gemmPackedB(transA, m, alpha, a.data(), a.offset(), a.cols(), p, beta, c.data(),
        c.offset(), c.cols());
  }

  /**
   * {@code op(a)} packed for many products by {@link #gemm(float, PackedMatrix, boolean,
   * FloatMatrix, float, FloatMatrix)}: worth it when the same left factor multiplies several
   * right ones (a shard's output gradient, by every block of the layer's input).
   *
   * @param transA whether op(a) is a transposed
   * @param a the left factor
   * @return its packed copy, for these kernels
   */
  public PackedMatrix packA(boolean transA, FloatMatrix a) {
    PackedMatrix p = kernels.newPackedA(transA ? a.cols() : a.rows(),
        transA ? a.rows() : a.cols());
    kernels.packA(transA, a.data(), a.offset(), a.cols(), p);
    return p;
  }

  /**
   * {@code c = alpha * p * op(b) + beta * c} with a left factor packed by {@link #packA}: the
   * bits of {@link #gemm(boolean, boolean, float, FloatMatrix, FloatMatrix, float, FloatMatrix)}
   * on the factor that was packed (see {@link Kernels#gemmPackedA}), on one thread.
   *
   * @param alpha the factor
   * @param p the packed left factor, m x k
   * @param transB whether op(b) is b transposed
   * @param b the right factor
   * @param beta the factor applied to the old {@code c}
   * @param c receives the product
   * @throws IllegalArgumentException if the shapes do not fit or p is not a left factor packed
   *     by these kernels' backend
   */
  public void gemm(float alpha, PackedMatrix p, boolean transB, FloatMatrix b, float beta,
      FloatMatrix c) {
    int k = transB ? b.cols() : b.rows();
    int n = transB ? b.rows() : b.cols();
    if (k != p.cols() || c.rows() != p.rows() || c.cols() != n) {
      throw new IllegalArgumentException("gemm: cannot multiply a packed " + p.rows() + "x"
          + p.cols() + " by " + shape(b) + (transB ? "^T" : "") + " into " + shape(c)
          + ": need the packed factor m x k, op(B) k x n, C m x n");
    }
    if (overlaps(c, b)) {
      throw new IllegalArgumentException("gemm: the output " + shape(c) + " shares storage with"
          + " B; write into a new matrix and copy it back");
    }
    kernels.gemmPackedA(p, transB, n, alpha, b.data(), b.offset(), b.cols(), beta, c.data(),
        c.offset(), c.cols());
  }

  /**
   * Row-wise stable softmax; {@code dst} may be {@code src}.
   *
   * @param src the input
   * @param dst receives the result (may be {@code src})
   */
  public void softmaxRows(FloatMatrix src, FloatMatrix dst) {
    sameShape("softmaxRows", src, dst);
    noPartialOverlap("softmaxRows", src, dst);
    requireCols("softmaxRows", src);
    kernels.softmaxRows(src.rows(), src.cols(), src.data(), src.offset(), dst.data(),
        dst.offset(), null, 0);
  }

  /**
   * {@code out[i] = log(sum_j exp(src[i, j]))}; {@code out} needs {@code src.rows()} entries.
   *
   * @param src the input
   * @param out receives one value per row
   */
  public void logSumExpRows(FloatMatrix src, float[] out) {
    requireCols("logSumExpRows", src);
    if (out.length < src.rows()) {
      throw new IllegalArgumentException("logSumExpRows: output has " + out.length
          + " entries but the matrix has " + src.rows() + " rows");
    }
    kernels.logSumExpRows(src.rows(), src.cols(), src.data(), src.offset(), out, 0);
  }

  /**
   * {@code out = max(x, 0)} elementwise; {@code out} may be {@code x}.
   *
   * @param x the input
   * @param out receives the result (may be {@code x})
   */
  public void relu(FloatMatrix x, FloatMatrix out) {
    sameShape("relu", x, out);
    noPartialOverlap("relu", x, out);
    kernels.relu(x.size(), x.data(), x.offset(), out.data(), out.offset());
  }

  /**
   * {@code out = 1 / (1 + e^-x)} elementwise; {@code out} may be {@code x}.
   *
   * @param x the input
   * @param out receives the result (may be {@code x})
   */
  public void sigmoid(FloatMatrix x, FloatMatrix out) {
    sameShape("sigmoid", x, out);
    noPartialOverlap("sigmoid", x, out);
    kernels.sigmoid(x.size(), x.data(), x.offset(), out.data(), out.offset());
  }

  /**
   * {@code out = tanh(x)} elementwise; {@code out} may be {@code x}.
   *
   * @param x the input
   * @param out receives the result (may be {@code x})
   */
  public void tanh(FloatMatrix x, FloatMatrix out) {
    sameShape("tanh", x, out);
    noPartialOverlap("tanh", x, out);
    kernels.tanh(x.size(), x.data(), x.offset(), out.data(), out.offset());
  }

  /**
   * {@code out = e^x} elementwise; {@code out} may be {@code x}.
   *
   * @param x the input
   * @param out receives the result (may be {@code x})
   */
  public void exp(FloatMatrix x, FloatMatrix out) {
    sameShape("exp", x, out);
    noPartialOverlap("exp", x, out);
    kernels.exp(x.size(), x.data(), x.offset(), out.data(), out.offset());
  }

  /** Same shapes, and an output that is either an input itself or apart from both. */
  private static void elementwise(String op, FloatMatrix x, FloatMatrix y, FloatMatrix out) {
    sameShape(op, x, y);
    sameShape(op, x, out);
    noPartialOverlap(op, x, out);
    noPartialOverlap(op, y, out);
  }

  /** Refuses an output that overlaps an input without being exactly it. */
  private static void noPartialOverlap(String op, FloatMatrix in, FloatMatrix out) {
    if (overlaps(in, out) && !(in.offset() == out.offset() && in.size() == out.size())) {
      throw new IllegalArgumentException(op + ": the output " + shape(out) + " at offset "
          + out.offset() + " partly overlaps an input " + shape(in) + " at offset " + in.offset()
          + " of the same array; use the input itself or separate storage");
    }
  }

  /** Whether two matrices share any element of one array. */
  private static boolean overlaps(FloatMatrix p, FloatMatrix q) {
    return p.data() == q.data() && p.size() > 0 && q.size() > 0
        && p.offset() < q.offset() + q.size() && q.offset() < p.offset() + p.size();
  }

  private static void requireCols(String op, FloatMatrix a) {
    if (a.cols() == 0 && a.rows() > 0) {
      throw new IllegalArgumentException(op + ": a " + shape(a) + " matrix has empty rows");
    }
  }

  private static void sameSize(String op, FloatMatrix x, FloatMatrix y) {
    if (x.size() != y.size()) {
      throw new IllegalArgumentException(op + ": sizes differ, " + shape(x) + " ("
          + x.size() + " elements) vs " + shape(y) + " (" + y.size() + " elements)");
    }
  }

  private static void sameShape(String op, FloatMatrix x, FloatMatrix y) {
    if (x.rows() != y.rows() || x.cols() != y.cols()) {
      throw new IllegalArgumentException(op + ": shapes differ, " + shape(x) + " vs " + shape(y));
    }
  }

  private static String shape(FloatMatrix m) {
    return m.rows() + "x" + m.cols();
  }
}
