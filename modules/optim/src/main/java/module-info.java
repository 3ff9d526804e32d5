/**
 * Losses and optimizers on top of the kernel: each loss computes per-example losses and the
 * gradient with respect to the model output for a whole minibatch without allocating; each
 * optimizer updates parameter arrays in place with the kernel and keeps its state explicit.
 */
module simdlearn.optim {
  requires transitive simdlearn.kernel;

  exports simdlearn.optim;
}
