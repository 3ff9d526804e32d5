/**
 * SIMD float matrix kernel: a row-major {@link simdlearn.kernel.FloatMatrix}, shape-checked
 * operations in {@link simdlearn.kernel.MatrixOps}, and the raw-array {@link simdlearn.kernel.Kernels}
 * interface with a Vector API implementation and a scalar reference behind it. The kernels only a
 * trainer needs (GEMMs on gathered pixel bytes, activation derivatives, dropout masks) are in
 * {@link simdlearn.kernel.training}.
 *
 * <p>Depends on nothing but {@code java.base} and {@code jdk.incubator.vector}, so other projects can
 * embed it on its own.
 */
module simdlearn.kernel {
  requires jdk.incubator.vector;

  exports simdlearn.kernel;
  exports simdlearn.kernel.training;
}
