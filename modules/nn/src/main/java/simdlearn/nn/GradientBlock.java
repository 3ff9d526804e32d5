package simdlearn.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Elements {@code offset + r * stride + c} ({@code r < rows}, {@code c < cols}) of parameter
 * {@code parameter}'s gradient: a range of a contiguous parameter, or a column block of a weight
 * matrix. A layer numbers its own parameters from 0; a network numbers all of them in order.
 */
public record GradientBlock(int parameter, int offset, int rows, int cols, int stride) {
  /** Elements per block of a gradient that is summed over shards as it is (then stepped). */
  public static final int RANGE_ELEMENTS = 1 << 14;

  public GradientBlock {
    if (parameter < 0 || offset < 0 || rows <= 0 || cols <= 0 || (rows > 1 && stride < cols)) {
      throw new IllegalArgumentException("not a gradient block: parameter " + parameter
          + ", offset " + offset + ", " + rows + " x " + cols + ", stride " + stride);
    }
  }

  /** Where row {@code r} of the block starts in the parameter. */
  public int rowStart(int r) {
    return offset + r * stride;
  }

  /** The same block of parameter {@code p}. */
  public GradientBlock of(int p) {
    return new GradientBlock(p, offset, rows, cols, stride);
  }

  /** A parameter of {@code size} elements in ranges of {@value #RANGE_ELEMENTS}. */
  public static List<GradientBlock> ranges(int parameter, int size) {
    List<GradientBlock> blocks = new ArrayList<>();
    for (int from = 0; from < size; from += RANGE_ELEMENTS) {
      int n = Math.min(RANGE_ELEMENTS, size - from);
      blocks.add(new GradientBlock(parameter, from, 1, n, n));
    }
    return blocks;
  }

  /**
   * A {@code rows x cols} weight in column blocks of {@code width}: each block's product over
   * the whole minibatch can run on its own thread.
   */
  public static List<GradientBlock> columns(int parameter, int rows, int cols, int width) {
    List<GradientBlock> blocks = new ArrayList<>();
    for (int c = 0; c < cols; c += width) {
      blocks.add(new GradientBlock(parameter, c, rows, Math.min(width, cols - c), cols));
    }
    return blocks;
  }
}
