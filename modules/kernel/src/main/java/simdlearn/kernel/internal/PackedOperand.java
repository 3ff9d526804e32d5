package simdlearn.kernel.internal;

import simdlearn.kernel.Backend;
import simdlearn.kernel.PackedMatrix;

/**
 * The storage behind {@link PackedMatrix}: op(A) or op(B) as the vector kernels' panels
 * ({@link PackedGemm#packedASize}, {@link PackedGemm#packedSize}), or row-major for the scalar
 * reference.
 */
public final class PackedOperand implements PackedMatrix {
  private final Backend backend;
  private final boolean left;
  private final int rows;
  private final int cols;
  final float[] data;

  PackedOperand(Backend backend, boolean left, int rows, int cols, int size) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("a packed matrix needs rows and columns > 0, got "
          + rows + " x " + cols);
    }
    this.backend = backend;
    this.left = left;
    this.rows = rows;
    this.cols = cols;
    this.data = new float[size];
  }

  /** {@code p} as this backend's storage of a left or right factor, or a one-line reason why not. */
  static PackedOperand of(PackedMatrix p, Backend backend, boolean left) {
    PackedOperand op = (PackedOperand) p;
    if (op.backend != backend) {
      throw new IllegalArgumentException("a matrix packed by the " + op.backend.id()
          + " kernels cannot be read by the " + backend.id() + " kernels: pack it with the"
          + " kernels that multiply");
    }
    if (op.left != left) {
      throw new IllegalArgumentException("a matrix packed as the " + side(op.left)
          + " factor cannot be used as the " + side(left) + " one: make it with newPacked"
          + (left ? "A" : "B"));
    }
    return op;
  }

  private static String side(boolean left) {
    return left ? "left" : "right";
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public boolean left() {
    return left;
  }

  @Override
  public String toString() {
    return "PackedMatrix " + rows + " x " + cols + " (" + side(left) + " factor, " + backend.id()
        + ")";
  }
}
