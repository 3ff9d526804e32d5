/**
 * Layers and networks: {@link simdlearn.nn.Linear}, {@link simdlearn.nn.ReLU},
 * {@link simdlearn.nn.Sigmoid}, {@link simdlearn.nn.Tanh} and {@link simdlearn.nn.Dropout},
 * composed in a {@link simdlearn.nn.Sequential}. Every layer runs forward and backward on buffers
 * allocated once per shard, exposes its parameters to the optimizers of {@code simdlearn.optim},
 * and is a pure function of its inputs, parameters and pass (so training is thread-independent).
 */
module simdlearn.nn {
  requires transitive simdlearn.optim;

  exports simdlearn.nn;
}
