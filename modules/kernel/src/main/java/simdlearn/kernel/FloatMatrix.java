package simdlearn.kernel;

import java.util.Arrays;

/**
 * A dense row-major float matrix: {@code rows * cols} floats stored contiguously in a
 * {@code float[]} starting at {@link #offset()}. Element (r, c) lives at
 * {@code data[offset + r * cols + c]}.
 *
 * <p>A matrix may be a view of part of a larger array ({@link #rowRange}, {@link #row}), which is
 * how minibatch shards share one buffer without copying. The backing array is exposed on purpose,
 * so kernels and callers can work on it without copies ({@link #wrap} never copies); the matrix
 * object itself (array, offset, shape) is immutable, its elements are not.
 *
 * <p>{@link #equals} compares shapes and elements (as {@link Arrays#equals(float[], float[])}
 * does: NaN equals NaN, 0.0 differs from -0.0), like {@link java.util.List}: a matrix whose
 * elements change changes its hash code, so do not mutate one while it is a key in a map.
 * {@link #equalsWithin} compares with a tolerance. {@link #toString} shows the shape and the
 * elements, the middle cut out of large matrices as NumPy does.
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

  /**
   * A new zero-filled matrix.
   *
   * @param rows the number of rows, at least 0
   * @param cols the number of columns, at least 0
   * @return the new matrix
   */
  public static FloatMatrix zeros(int rows, int cols) {
    checkDims(rows, cols);
    return new FloatMatrix(new float[Math.multiplyExact(rows, cols)], 0, rows, cols);
  }

  /**
   * Wraps {@code data} (not copied) as a rows x cols matrix; the array length must match exactly.
   *
   * @param data the backing array
   * @param rows the number of rows
   * @param cols the number of columns
   * @return the matrix, backed by {@code data}
   */
  public static FloatMatrix wrap(float[] data, int rows, int cols) {
    checkDims(rows, cols);
    if (data.length != (long) rows * cols) {
      throw new IllegalArgumentException("array of length " + data.length + " cannot be a "
          + rows + "x" + cols + " matrix: it needs exactly " + ((long) rows * cols) + " floats");
    }
    return new FloatMatrix(data, 0, rows, cols);
  }

  /**
   * Wraps {@code rows * cols} floats of {@code data} starting at {@code offset} (not copied).
   *
   * @param data the backing array
   * @param offset the index in {@code data} of element (0, 0)
   * @param rows the number of rows
   * @param cols the number of columns
   * @return the matrix, backed by {@code data}
   */
  public static FloatMatrix wrap(float[] data, int offset, int rows, int cols) {
    checkDims(rows, cols);
    if (offset < 0 || offset + (long) rows * cols > data.length) {
      throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix at offset " + offset
          + " does not fit in an array of length " + data.length);
    }
    return new FloatMatrix(data, offset, rows, cols);
  }

  /**
   * The n x n identity.
   *
   * @param n the number of rows and columns
   * @return the new matrix
   */
  public static FloatMatrix identity(int n) {
    FloatMatrix m = zeros(n, n);
    for (int i = 0; i < n; i++) {
      m.data[i * n + i] = 1f;
    }
    return m;
  }

  /**
   * A new matrix holding a copy of {@code values}; every row must have the same length.
   *
   * @param values the rows, all of one length
   * @return the new matrix
   */
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

  /**
   * The number of rows.
   *
   * @return the number of rows
   */
  public int rows() {
    return rows;
  }

  /**
   * The number of columns.
   *
   * @return the number of columns
   */
  public int cols() {
    return cols;
  }

  /**
   * Number of elements, {@code rows * cols}.
   *
   * @return the element count
   */
  public int size() {
    return rows * cols;
  }

  /**
   * The backing array (shared, not a copy).
   *
   * @return the backing array
   */
  public float[] data() {
    return data;
  }

  /**
   * Index in {@link #data()} of element (0, 0).
   *
   * @return the index of element (0, 0)
   */
  public int offset() {
    return offset;
  }

  /**
   * Index in {@link #data()} of element (r, 0).
   *
   * @param r the row, from 0
   * @return the index of element (r, 0)
   */
  public int rowOffset(int r) {
    checkRow(r);
    return offset + r * cols;
  }

  /**
   * Element (r, c).
   *
   * @param r the row, from 0
   * @param c the column, from 0
   * @return the element
   * @throws IndexOutOfBoundsException naming the shape, if (r, c) is outside the matrix
   */
  public float get(int r, int c) {
    return data[index(r, c)];
  }

  /**
   * Sets element (r, c).
   *
   * @param r the row, from 0
   * @param c the column, from 0
   * @param value the new value
   * @throws IndexOutOfBoundsException naming the shape, if (r, c) is outside the matrix
   */
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

  /**
   * Row {@code r} as a 1 x cols view sharing this matrix's array.
   *
   * @param r the row, from 0
   * @return the view
   */
  public FloatMatrix row(int r) {
    checkRow(r);
    return new FloatMatrix(data, offset + r * cols, 1, cols);
  }

  /**
   * The same elements seen as a rows x cols matrix of the same size (a view, not a copy).
   *
   * @param newRows the new number of rows
   * @param newCols the new number of columns
   * @return the view
   */
  public FloatMatrix reshape(int newRows, int newCols) {
    checkDims(newRows, newCols);
    if ((long) newRows * newCols != size()) {
      throw new IllegalArgumentException("cannot reshape a " + rows + "x" + cols + " matrix ("
          + size() + " elements) to " + newRows + "x" + newCols);
    }
    return new FloatMatrix(data, offset, newRows, newCols);
  }

  /**
   * A new cols x rows matrix holding the transpose.
   *
   * @return a new matrix holding the transpose
   */
  public FloatMatrix transpose() {
    FloatMatrix t = zeros(cols, rows);
    // In tiles, so both the rows read and the rows written stay in cache.
    final int tile = 32;
    for (int i0 = 0; i0 < rows; i0 += tile) {
      int i1 = Math.min(rows, i0 + tile);
      for (int j0 = 0; j0 < cols; j0 += tile) {
        int j1 = Math.min(cols, j0 + tile);
        for (int i = i0; i < i1; i++) {
          int src = offset + i * cols;
          for (int j = j0; j < j1; j++) {
            t.data[j * rows + i] = data[src + j];
          }
        }
      }
    }
    return t;
  }

  /**
   * A view of rows {@code [from, to)} sharing this matrix's array.
   *
   * @param from the first row, inclusive
   * @param to the last row, exclusive
   * @return the view
   */
  public FloatMatrix rowRange(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("row range [" + from + ", " + to
          + ") out of range for a " + rows + "x" + cols + " matrix");
    }
    return new FloatMatrix(data, offset + from * cols, to - from, cols);
  }

  /**
   * Sets every element to {@code value}.
   *
   * @param value the value of every element
   */
  public void fill(float value) {
    Arrays.fill(data, offset, offset + size(), value);
  }

  /**
   * Copies {@code src} (same shape) into this matrix.
   *
   * @param src a matrix of the same shape
   */
  public void copyFrom(FloatMatrix src) {
    if (src.rows != rows || src.cols != cols) {
      throw new IllegalArgumentException("cannot copy a " + src.rows + "x" + src.cols
          + " matrix into a " + rows + "x" + cols + " one");
    }
    System.arraycopy(src.data, src.offset, data, offset, size());
  }

  /**
   * A compact copy of the elements, row-major.
   *
   * @return a new array
   */
  public float[] toArray() {
    return Arrays.copyOfRange(data, offset, offset + size());
  }

  /**
   * An independent copy.
   *
   * @return the copy
   */
  public FloatMatrix copy() {
    return new FloatMatrix(toArray(), 0, rows, cols);
  }

  /**
   * Whether {@code other} has the same shape and every element is within {@code tolerance} of
   * this one's ({@code |a - b| <= tolerance}; NaNs are equal only to NaNs).
   *
   * @param other the matrix to compare with
   * @param tolerance the largest difference allowed
   * @return whether they are equal within the tolerance
   */
  public boolean equalsWithin(FloatMatrix other, float tolerance) {
    if (rows != other.rows || cols != other.cols) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      float a = data[offset + i];
      float b = other.data[other.offset + i];
      if (Float.isNaN(a) || Float.isNaN(b) ? Float.isNaN(a) != Float.isNaN(b)
          : !(Math.abs(a - b) <= tolerance) && a != b) {
        return false;
      }
    }
    return true;
  }

  /**
   * Same shape and the same elements (compared as {@link Float#equals}).
   *
   * @param o the object to compare with
   * @return whether {@code o} is a matrix of the same shape and elements
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof FloatMatrix m && rows == m.rows && cols == m.cols
        && Arrays.equals(data, offset, offset + size(), m.data, m.offset, m.offset + m.size());
  }

  @Override
  public int hashCode() {
    int h = 31 * rows + cols;
    for (int i = offset, end = offset + size(); i < end; i++) {
      h = 31 * h + Float.floatToIntBits(data[i]);
    }
    return h;
  }

  /** Rows and columns shown in full up to this many; beyond, the first and last three. */
  private static final int SHOWN = 6;

  /**
   * The shape, then the elements row by row; a dimension longer than six shows its first and last
   * three with {@code ...} between, so printing a large matrix stays short.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("FloatMatrix ").append(rows).append('x').append(cols);
    sb.append('\n').append('[');
    for (int i = 0; i < rows; i++) {
      if (rows > SHOWN && i == SHOWN / 2) {
        sb.append(" ...,\n");
        i = rows - SHOWN / 2;
      }
      sb.append(i == 0 ? "[" : " [");
      for (int j = 0; j < cols; j++) {
        if (cols > SHOWN && j == SHOWN / 2) {
          sb.append("..., ");
          j = cols - SHOWN / 2;
        }
        sb.append(data[offset + i * cols + j]).append(j + 1 < cols ? ", " : "");
      }
      sb.append(i + 1 < rows ? "],\n" : "]");
    }
    return sb.append(']').toString();
  }
}
