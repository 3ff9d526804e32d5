package simdlearn.kernel;

import java.util.Arrays;

/**
 * A dense row-major float matrix: {@code rows * cols} floats stored contiguously in a
 * {@code float[]} starting at {@link #offset()}. Element (r, c) lives at
 * {@code data[offset + r * cols + c]}.
 *
 * <p>A matrix may be a view of part of a larger array ({@link #rowRange}), which is how minibatch
 * shards share one buffer without copying. The backing array is exposed on purpose, so kernels
 * and callers can work on it without copies; the matrix object itself is immutable.
 */
public final class FloatMatrix {
  private final float[] data;
  private final int offset;
  private final int rows;
  private final int cols;

  private FloatMatrix(float[] data, int offset, int rows, int cols) {
    this.data = data;
    this.offset = offset;
    this.rows = rows;
    this.cols = cols;
  }

  /** A new zero-filled matrix. */
  public static FloatMatrix zeros(int rows, int cols) {
    checkDims(rows, cols);
    return new FloatMatrix(new float[Math.multiplyExact(rows, cols)], 0, rows, cols);
  }

  /** Wraps {@code data} (not copied) as a rows x cols matrix; the array length must match exactly. */
  public static FloatMatrix wrap(float[] data, int rows, int cols) {
    checkDims(rows, cols);
    if (data.length != (long) rows * cols) {
      throw new IllegalArgumentException("array of length " + data.length + " cannot be a "
          + rows + "x" + cols + " matrix: it needs exactly " + ((long) rows * cols) + " floats");
    }
    return new FloatMatrix(data, 0, rows, cols);
  }

  /** Wraps {@code rows * cols} floats of {@code data} starting at {@code offset} (not copied). */
  public static FloatMatrix wrap(float[] data, int offset, int rows, int cols) {
    checkDims(rows, cols);
    if (offset < 0 || offset + (long) rows * cols > data.length) {
      throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix at offset " + offset
          + " does not fit in an array of length " + data.length);
    }
    return new FloatMatrix(data, offset, rows, cols);
  }

  /** A new matrix holding a copy of {@code values}; every row must have the same length. */
  public static FloatMatrix of(float[]... values) {
    int r = values.length;
    int c = r == 0 ? 0 : values[0].length;
    FloatMatrix m = zeros(r, c);
    for (int i = 0; i < r; i++) {
      if (values[i].length != c) {
        throw new IllegalArgumentException(
            "ragged rows: row 0 has " + c + " values but row " + i + " has " + values[i].length);
      }
      System.arraycopy(values[i], 0, m.data, i * c, c);
    }
    return m;
  }

  private static void checkDims(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("matrix dimensions must be >= 0, got " + rows + "x" + cols);
    }
    if ((long) rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a " + rows + "x" + cols + " matrix is too large for one Java array");
    }
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of elements, {@code rows * cols}. */
  public int size() {
    return rows * cols;
  }

  /** The backing array (shared, not a copy). */
  public float[] data() {
    return data;
  }

  /** Index in {@link #data()} of element (0, 0). */
  public int offset() {
    return offset;
  }

  /** Index in {@link #data()} of element (r, 0). */
  public int rowOffset(int r) {
    checkRow(r);
    return offset + r * cols;
  }

  public float get(int r, int c) {
    return data[index(r, c)];
  }

  public void set(int r, int c, float value) {
    data[index(r, c)] = value;
  }

  private int index(int r, int c) {
    checkRow(r);
    if (c < 0 || c >= cols) {
      throw new IndexOutOfBoundsException(
          "column " + c + " out of range for a " + rows + "x" + cols + " matrix");
    }
    return offset + r * cols + c;
  }

  private void checkRow(int r) {
    if (r < 0 || r >= rows) {
      throw new IndexOutOfBoundsException(
          "row " + r + " out of range for a " + rows + "x" + cols + " matrix");
    }
  }

  /** A view of rows {@code [from, to)} sharing this matrix's array. */
  public FloatMatrix rowRange(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("row range [" + from + ", " + to
          + ") out of range for a " + rows + "x" + cols + " matrix");
    }
    return new FloatMatrix(data, offset + from * cols, to - from, cols);
  }

  /** Sets every element to {@code value}. */
  public void fill(float value) {
    Arrays.fill(data, offset, offset + size(), value);
  }

  /** Copies {@code src} (same shape) into this matrix. */
  public void copyFrom(FloatMatrix src) {
    if (src.rows != rows || src.cols != cols) {
      throw new IllegalArgumentException("cannot copy a " + src.rows + "x" + src.cols
          + " matrix into a " + rows + "x" + cols + " one");
    }
    System.arraycopy(src.data, src.offset, data, offset, size());
  }

  /** A compact copy of the elements, row-major. */
  public float[] toArray() {
    return Arrays.copyOfRange(data, offset, offset + size());
  }

  /** An independent copy. */
  public FloatMatrix copy() {
    return new FloatMatrix(toArray(), 0, rows, cols);
  }

  /** {@code "FloatMatrix[rows x cols]"}; the values are not printed. */
  @Override
  public String toString() {
    return "FloatMatrix[" + rows + "x" + cols + "]";
  }
}
