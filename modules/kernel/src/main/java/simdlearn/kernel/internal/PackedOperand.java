package simdlearn.kernel.internal;

import simdlearn.kernel.Backend;
import simdlearn.kernel.PackedMatrix;

/**
 * The storage behind {@link PackedMatrix}: op(B) as the vector kernels' panels
 * ({@link PackedGemm#packedSize}), or row-major for the scalar reference.
 */
public final class PackedOperand implements PackedMatrix {
  private final Backend backend;
  private final int rows;
  private final int cols;
  final float[] data;

  PackedOperand(Backend backend, int rows, int cols, int size) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("a packed matrix needs rows and columns > 0, got "
          + rows + " x " + cols);
    }
    this.backend = backend;
    this.rows = rows;
    this.cols = cols;
    this.data = new float[size];
  }

  /** {@code p} as this backend's storage, or a one-line reason why it is not. */
  static PackedOperand of(PackedMatrix p, Backend backend) {
    PackedOperand op = (PackedOperand) p;
    if (op.backend != backend) {
      throw new IllegalArgumentException("a matrix packed by the " + op.backend.id()
          + " kernels cannot be read by the " + backend.id() + " kernels: pack it with the"
          + " kernels that multiply");
    }
    return op;
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
  public String toString() {
    return "PackedMatrix " + rows + " x " + cols + " (" + backend.id() + ")";
  }
}
