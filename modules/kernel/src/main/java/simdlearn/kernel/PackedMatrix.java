package simdlearn.kernel;

import simdlearn.kernel.internal.PackedOperand;

/**
 * A factor of a product laid out once for many products: what MKL's {@code cblas_sgemm_pack} is
 * to {@code cblas_sgemm_compute}. The right factor {@code op(B)} (k x n) is packed by
 * {@link Kernels#packB} and read by {@link Kernels#gemmPackedB}: a layer's weight, multiplied by
 * every minibatch shard and every evaluation chunk between two optimizer steps, is then
 * rearranged once per step instead of once per product. The left factor {@code op(A)} (m x k) is
 * packed by {@link Kernels#packA} and read by {@link Kernels#gemmPackedA}: a shard's output
 * gradient, multiplied by every block of the layer's input for the weight gradient, is then
 * rearranged once instead of once per block.
 *
 * <p>Its layout belongs to the kernels that made it ({@link Kernels#newPackedB},
 * {@link Kernels#newPackedA}), and only they read it. It holds a copy: when the factor changes,
 * pack it again (for op(B), all of it or the rows that changed; rows may be packed from several
 * threads at once when the row ranges do not overlap).
 */
public sealed interface PackedMatrix permits PackedOperand {
  /**
   * The rows of the packed factor: the inner dimension k for op(B), the rows m of the products'
   * C for op(A).
   *
   * @return k or m
   */
  int rows();

  /**
   * The columns of the packed factor: the columns n of the products' C for op(B), the inner
   * dimension k for op(A).
   *
   * @return n or k
   */
  int cols();

  /**
   * Whether it is a left factor op(A) ({@link Kernels#newPackedA}) rather than a right one
   * op(B) ({@link Kernels#newPackedB}); the two are laid out differently.
   *
   * @return true for a packed op(A)
   */
  boolean left();

  /**
   * The backend whose kernels made, fill and read it.
   *
   * @return the backend
   */
  Backend backend();
}
