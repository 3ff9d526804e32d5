package simdlearn.train.recipes;

import simdlearn.train.TrainingConfig;

/**
 * An image classifier built from convolutions (LeNet, LeNet-BN, ResNet-18), which warms the JIT
 * up on minibatches of at most 32 (shards of 16).
 *
 * <p>The warm-up trains the model before the JIT has compiled its kernels, so its examples run
 * interpreted or in C1, and a convolution's example costs far more there than a dense one's: on
 * the run's minibatches of 256, a LeNet run started training 4.7-5.8 s after the JVM, on
 * minibatches of 32 at 3.2-3.9 s, with the same first epoch (docs/benchmarks.md, session 10). The
 * kernels compile the same at any batch size, and ResNet-18's minibatch of 256 would also keep
 * 0.6 GB of activations and columns in the run's peak memory for nothing.
 */
abstract class ConvolutionalClassifier extends ImageClassifier {
  private static final int WARMUP_BATCH = 32;

  @Override
  public TrainingConfig warmup(TrainingConfig cfg) {
    return cfg.toBuilder().batchSize(Math.min(cfg.batchSize(), WARMUP_BATCH))
        .shardSize(Math.min(cfg.shardSize(), WARMUP_BATCH / 2)).build();
  }
}
