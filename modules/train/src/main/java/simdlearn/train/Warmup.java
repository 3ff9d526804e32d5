package simdlearn.train;

import java.util.Map;
import java.util.SplittableRandom;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.nn.Linear;

/**
 * Gets the JIT ready for a run before its data is loaded.
 *
 * <p>Vector API code is only fast once C2 has compiled it; interpreted or in C1 every vector is a
 * heap object and a kernel runs about a hundred times slower, which made the first epoch of a
 * 10-epoch run cost more than the other nine. {@link #start} trains a throwaway model on small
 * synthetic data through exactly the code path of the real run (same settings, shard pool,
 * kernels, loss, optimizer; hidden layers narrower but still wide) on a background virtual
 * thread, so the compilation overlaps the decompression of the dataset. The kernels give the
 * same bits in every JIT tier, so warming up changes no result, only when it arrives.
 */
public final class Warmup {
  /** Widest hidden layer the warm-up trains: above {@link Linear#GATHERED_MAX_OUTPUTS}. */
  static final int MAX_HIDDEN = 32;
  /** Random pixel bytes repeated through the synthetic images: not a multiple of an image. */
  private static final int PIXEL_POOL = 8191;

  private Warmup() {}

  /** Starts warming up for {@code cfg} with {@code side x side} images and 10 classes. */
  public static Thread start(TrainingConfig cfg, int side) {
    return Thread.ofVirtual().name("simdlearn-warmup").start(() -> run(cfg, side));
  }

  static void run(TrainingConfig cfg, int side) {
    // A short last batch and a short last test chunk, as real datasets have (60,000 = 234 x 256
    // + 96): the JIT then compiles those paths too instead of recompiling mid-run.
    int n = cfg.batchSize() * 6 + Math.max(1, cfg.batchSize() / 3);
    ImageDataset train = synthetic(n, side, 1);
    ImageDataset test = synthetic(2 * cfg.shardSize() + Math.max(1, cfg.shardSize() / 8), side, 2);
    // One thread: the warm-up runs beside the data loading and the JIT's own threads; a second
    // shard worker would only take CPU from the compiler it is waiting for (measured: whole
    // runs 5-6% faster than warming up on every thread). Hidden layers at most 32 wide: still
    // wide layers (the packed GEMM, the deferred weight gradient), at an eighth of the
    // interpreted work of 256 (MLP 4.51 -> 4.40 s).
    TrainingConfig quick = cfg.toBuilder().epochs(6).resize(null).threads(1)
        .hidden(cfg.hidden().stream().map(h -> Math.min(h, MAX_HIDDEN)).toList()).build();
    try {
      Trainer trainer = new Trainer(quick, TrainingListener.NONE);
      if (cfg.model().equals("logistic")) {
        trainer.train(Experiment.logistic(quick, train.withClasses(7, 9), test.withClasses(7, 9)));
      } else {
        trainer.trainClassifier(train, test);
      }
    } catch (RuntimeException ignored) {
      // Warming up is best effort: the real run reports any real problem.
    }
  }

  private static ImageDataset synthetic(int n, int side, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[n * side * side];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) r.nextInt(10);
    }
    // A few KiB of random bytes repeated: any pixels exercise the same code, and a loop over every
    // pixel would itself be interpreted, then compiled by C2 on the stack (40-50 ms of its time).
    byte[] pool = new byte[PIXEL_POOL];
    r.nextBytes(pool);
    for (int at = 0; at < px.length; at += PIXEL_POOL) {
      System.arraycopy(pool, 0, px, at, Math.min(PIXEL_POOL, px.length - at));
    }
    return new ImageDataset("warmup", DatasetSpec.FASHION_MNIST, n, side, side, px, labels,
        Map.of());
  }

  /** Waits for a warm-up started by {@link #start}. */
  public static void await(Thread warmup) {
    try {
      warmup.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
