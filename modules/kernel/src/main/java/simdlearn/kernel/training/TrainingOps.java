package simdlearn.kernel.training;

import java.util.Objects;
import simdlearn.kernel.FloatMatrix;

/**
 * Shape-checked versions of the {@link TrainingKernels} that work on gathered pixel bytes: each
 * method checks its shapes and row indices once, then runs the unchecked kernel. Messages name the
 * shapes and the bad index.
 */
public final class TrainingOps {
  private final TrainingKernels kernels;

  private TrainingOps(TrainingKernels kernels) {
    this.kernels = Objects.requireNonNull(kernels, "kernels");
  }

  /**
   * Operations on the given kernels.
   *
   * @param kernels the kernels that do the arithmetic
   * @return the operations
   */
  public static TrainingOps using(TrainingKernels kernels) {
    return new TrainingOps(kernels);
  }

  /**
   * The kernels doing the arithmetic.
   *
   * @return the kernels
   */
  public TrainingKernels kernels() {
    return kernels;
  }

  /**
   * {@code dst = (src & 0xFF) * scale} for {@code dst.size()} bytes of {@code src} at
   * {@code srcOff}.
   *
   * @param src the unsigned bytes
   * @param srcOff the index of the first byte
   * @param scale the factor each byte is multiplied by
   * @param dst receives the floats
   */
  public void bytesToFloats(byte[] src, int srcOff, float scale, FloatMatrix dst) {
    if (srcOff < 0 || srcOff + (long) dst.size() > src.length) {
      throw new IllegalArgumentException("bytesToFloats: " + dst.size() + " bytes at offset "
          + srcOff + " do not fit in an array of length " + src.length);
    }
    kernels.bytesToFloats(dst.size(), src, srcOff, scale, dst.data(), dst.offset());
  }

  /**
   * Row {@code r} of {@code dst} becomes row {@code rows[from + r]} of the byte matrix {@code src}
   * (rows of {@code dst.cols()} bytes), times {@code scale}: a shuffled minibatch of pixels.
   *
   * @param src the unsigned-byte rows (pixels)
   * @param rows the row indices
   * @param from the index of the first row index used
   * @param scale the factor each byte is multiplied by
   * @param dst receives the rows
   */
  public void gatherBytesToFloats(byte[] src, int[] rows, int from, float scale, FloatMatrix dst) {
    int cols = dst.cols();
    checkGatheredRows("gatherBytesToFloats", src, rows, from, dst.rows(), cols);
    kernels.gatherBytesToFloats(dst.rows(), cols, src, rows, from, scale, dst.data(),
        dst.offset());
  }

  /**
   * {@code c = scale * X · b^T} where row {@code r} of X is row {@code rows[from + r]} of the byte
   * matrix {@code src} ({@code b.cols()} unsigned bytes per row), for {@code c.rows()} rows: a
   * linear layer's forward pass straight from pixels.
   *
   * @param src the unsigned-byte rows (pixels)
   * @param rows the row indices
   * @param from the index of the first row index used
   * @param scale the factor each byte is multiplied by
   * @param b the weights, one row per output column
   * @param c receives the product
   */
  public void gatheredTimesTransposed(byte[] src, int[] rows, int from, float scale, FloatMatrix b,
      FloatMatrix c) {
    if (c.cols() != b.rows()) {
      throw new IllegalArgumentException("gatheredTimesTransposed: " + shape(c)
          + " output needs " + c.cols() + " rows in the " + shape(b) + " weights");
    }
    checkGatheredRows("gatheredTimesTransposed", src, rows, from, c.rows(), b.cols());
    kernels.gemmGatheredNT(c.rows(), c.cols(), b.cols(), src, rows, from, scale, b.data(),
        b.offset(), b.cols(), c.data(), c.offset(), c.cols());
  }

  /**
   * {@code c = scale * a^T · X} where {@code a} is m x n and row {@code r} of X is row
   * {@code rows[from + r]} of the byte matrix {@code src} ({@code c.cols()} unsigned bytes per
   * row): a linear layer's weight gradient on pixels.
   *
   * @param a the m x n matrix
   * @param src the unsigned-byte rows (pixels)
   * @param rows the row indices
   * @param from the index of the first row index used
   * @param scale the factor each byte is multiplied by
   * @param c receives the product
   */
  public void transposedTimesGathered(FloatMatrix a, byte[] src, int[] rows, int from,
      float scale, FloatMatrix c) {
    if (c.rows() != a.cols()) {
      throw new IllegalArgumentException("transposedTimesGathered: " + shape(a) + "^T gives "
          + a.cols() + " rows but the output is " + shape(c));
    }
    checkGatheredRows("transposedTimesGathered", src, rows, from, a.rows(), c.cols());
    kernels.gemmTNGathered(a.rows(), a.cols(), c.cols(), a.data(), a.offset(), a.cols(), src,
        rows, from, scale, c.data(), c.offset(), c.cols());
  }

  /** Rows {@code rows[from .. from+count)} must name whole rows of {@code cols} bytes in src. */
  private static void checkGatheredRows(String op, byte[] src, int[] rows, int from, int count,
      int cols) {
    if (from < 0 || from + (long) count > rows.length) {
      throw new IllegalArgumentException(op + ": " + count + " row indices from " + from
          + " do not fit in an index array of length " + rows.length);
    }
    long srcRows = cols == 0 ? 0 : src.length / cols;
    for (int r = 0; r < count; r++) {
      int i = rows[from + r];
      if (i < 0 || i >= srcRows) {
        throw new IllegalArgumentException(op + ": row index " + i + " out of range for "
            + srcRows + " rows of " + cols + " bytes");
      }
    }
  }

  private static String shape(FloatMatrix m) {
    return m.rows() + "x" + m.cols();
  }
}
