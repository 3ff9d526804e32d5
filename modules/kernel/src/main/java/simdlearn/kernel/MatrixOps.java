package simdlearn.kernel;

import java.util.Objects;

/**
 * Shape-checked matrix and vector operations on {@link FloatMatrix}, delegating to one
 * {@link Kernels} implementation. Every method checks its shapes once, then runs the kernel; a
 * mismatch is an {@link IllegalArgumentException} that names both shapes.
 *
 * <p>Vector operations ({@link #dot}, {@link #axpy}, ...) treat a matrix as its flat sequence of
 * {@code rows * cols} elements, so a 1 x n, n x 1 or r x c matrix of the same size are
 * interchangeable there.
 */
public final class MatrixOps {
  private final Kernels kernels;

  private MatrixOps(Kernels kernels) {
    this.kernels = Objects.requireNonNull(kernels, "kernels");
  }

  /** Operations on the given kernels. */
  public static MatrixOps using(Kernels kernels) {
    return new MatrixOps(kernels);
  }

  /** Operations on {@link Kernels#of(Backend)}. */
  public static MatrixOps of(Backend backend) {
    return new MatrixOps(Kernels.of(backend));
  }

  /** Operations on {@link Kernels#defaultKernels()}. */
  public static MatrixOps defaults() {
    return new MatrixOps(Kernels.defaultKernels());
  }

  public Kernels kernels() {
    return kernels;
  }

  public float dot(FloatMatrix x, FloatMatrix y) {
    sameSize("dot", x, y);
    return kernels.dot(x.size(), x.data(), x.offset(), y.data(), y.offset());
  }

  /** {@code y += alpha * x}. */
  public void axpyInPlace(float alpha, FloatMatrix x, FloatMatrix y) {
    sameSize("axpy", x, y);
    kernels.axpy(x.size(), alpha, x.data(), x.offset(), y.data(), y.offset());
  }

  /** {@code y = alpha * x + beta * y}. */
  public void axpbyInPlace(float alpha, FloatMatrix x, float beta, FloatMatrix y) {
    sameSize("axpby", x, y);
    kernels.axpby(x.size(), alpha, x.data(), x.offset(), beta, y.data(), y.offset());
  }

  /** {@code x *= alpha}. */
  public void scaleInPlace(float alpha, FloatMatrix x) {
    kernels.scale(x.size(), alpha, x.data(), x.offset());
  }

  /** {@code out = x + y} elementwise. */
  public void add(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
    sameShape("add", x, y);
    sameShape("add", x, out);
    kernels.add(x.size(), x.data(), x.offset(), y.data(), y.offset(), out.data(), out.offset());
  }

  /** {@code out = x * y} elementwise (Hadamard product). */
  public void mul(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
    sameShape("mul", x, y);
    sameShape("mul", x, out);
    kernels.mul(x.size(), x.data(), x.offset(), y.data(), y.offset(), out.data(), out.offset());
  }

  public float sum(FloatMatrix x) {
    return kernels.sum(x.size(), x.data(), x.offset());
  }

  /** Largest element; {@code -Infinity} for an empty matrix. */
  public float max(FloatMatrix x) {
    return kernels.max(x.size(), x.data(), x.offset());
  }

  /** Index of the first largest element in row {@code r}. */
  public int argmaxRow(FloatMatrix a, int r) {
    requireCols("argmax", a);
    return kernels.argmax(a.cols(), a.data(), a.rowOffset(r));
  }

  /** {@code out[i] = argmax(a[i, :])}; {@code out} needs at least {@code a.rows()} entries. */
  public void argmaxRows(FloatMatrix a, int[] out) {
    requireCols("argmaxRows", a);
    if (out.length < a.rows()) {
      throw new IllegalArgumentException("argmaxRows: output has " + out.length
          + " entries but the matrix has " + a.rows() + " rows");
    }
    kernels.argmaxRows(a.rows(), a.cols(), a.data(), a.offset(), out, 0);
  }

  /** Adds the 1 x n row vector {@code bias} to every row of the m x n matrix {@code a}. */
  public void addRowVectorInPlace(FloatMatrix a, FloatMatrix bias) {
    if (bias.size() != a.cols()) {
      throw new IllegalArgumentException("addRowVector: bias " + shape(bias) + " has "
          + bias.size() + " elements but the matrix " + shape(a) + " has " + a.cols() + " columns");
    }
    kernels.addRowVector(a.rows(), a.cols(), bias.data(), bias.offset(), a.data(), a.offset());
  }

  /** {@code out[j] += sum_i a[i, j]}: column sums accumulated into the 1 x n {@code out}. */
  public void addColumnSumsInPlace(FloatMatrix a, FloatMatrix out) {
    if (out.size() != a.cols()) {
      throw new IllegalArgumentException("addColumnSums: output " + shape(out) + " has "
          + out.size() + " elements but the matrix " + shape(a) + " has " + a.cols() + " columns");
    }
    kernels.addColumnSums(a.rows(), a.cols(), a.data(), a.offset(), out.data(), out.offset());
  }

  /** {@code c = a * b}. */
  public void matmul(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
    gemm(false, false, 1f, a, b, 0f, c);
  }

  /**
   * {@code c = alpha * op(a) * op(b) + beta * c} where op transposes when its flag is set.
   * With {@code beta == 0} the old contents of {@code c} are ignored.
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
    kernels.gemm(transA, transB, m, n, k, alpha, a.data(), a.offset(), a.cols(),
        b.data(), b.offset(), b.cols(), beta, c.data(), c.offset(), c.cols());
  }

  /** Row-wise stable softmax; {@code dst} may be {@code src}. */
  public void softmaxRows(FloatMatrix src, FloatMatrix dst) {
    sameShape("softmaxRows", src, dst);
    requireCols("softmaxRows", src);
    kernels.softmaxRows(src.rows(), src.cols(), src.data(), src.offset(), dst.data(),
        dst.offset(), null, 0);
  }

  /** {@code out[i] = log(sum_j exp(src[i, j]))}; {@code out} needs {@code src.rows()} entries. */
  public void logSumExpRows(FloatMatrix src, float[] out) {
    requireCols("logSumExpRows", src);
    if (out.length < src.rows()) {
      throw new IllegalArgumentException("logSumExpRows: output has " + out.length
          + " entries but the matrix has " + src.rows() + " rows");
    }
    kernels.logSumExpRows(src.rows(), src.cols(), src.data(), src.offset(), out, 0);
  }

  /** {@code out = max(x, 0)} elementwise; {@code out} may be {@code x}. */
  public void relu(FloatMatrix x, FloatMatrix out) {
    sameShape("relu", x, out);
    kernels.relu(x.size(), x.data(), x.offset(), out.data(), out.offset());
  }

  /** {@code out = 1 / (1 + e^-x)} elementwise; {@code out} may be {@code x}. */
  public void sigmoid(FloatMatrix x, FloatMatrix out) {
    sameShape("sigmoid", x, out);
    kernels.sigmoid(x.size(), x.data(), x.offset(), out.data(), out.offset());
  }

  /** {@code out = tanh(x)} elementwise; {@code out} may be {@code x}. */
  public void tanh(FloatMatrix x, FloatMatrix out) {
    sameShape("tanh", x, out);
    kernels.tanh(x.size(), x.data(), x.offset(), out.data(), out.offset());
  }

  /** {@code out = e^x} elementwise; {@code out} may be {@code x}. */
  public void exp(FloatMatrix x, FloatMatrix out) {
    sameShape("exp", x, out);
    kernels.exp(x.size(), x.data(), x.offset(), out.data(), out.offset());
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
