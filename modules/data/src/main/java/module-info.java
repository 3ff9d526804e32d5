/**
 * Datasets for simdlearn: a strict IDX reader (gzip or raw), Fashion-MNIST and MNIST, synthetic
 * linear-regression data, and seeded, allocation-free minibatches.
 */
module simdlearn.data {
  requires transitive simdlearn.kernel;

  exports simdlearn.data;
}
