package simdlearn.kernel;

import simdlearn.kernel.internal.PackedOperand;

/**
 * The right operand of a product, {@code op(B)} (k x n), laid out once for many products by
 * {@link Kernels#packB} and read by {@link Kernels#gemmPackedB}: what MKL's
 * {@code cblas_sgemm_pack} is to {@code cblas_sgemm_compute}. A layer's weight, multiplied by
 * every minibatch shard and every evaluation chunk between two optimizer steps, is then
 * rearranged once per step instead of once per product.
 *
 * <p>Its layout belongs to the kernels that made it ({@link Kernels#newPackedB}), and only they
 * read it. It holds a copy: when B changes, pack it again (all of it, or the rows that changed).
 * Rows may be packed from several threads at once when the row ranges do not overlap.
 */
public sealed interface PackedMatrix permits PackedOperand {
  /**
   * The rows of op(B): the inner dimension k of the products.
   *
   * @return k
   */
  int rows();

  /**
   * The columns of op(B) and of the products' C.
   *
   * @return n
   */
  int cols();

  /**
   * The backend whose kernels made, fill and read it.
   *
   * @return the backend
   */
  Backend backend();
}
