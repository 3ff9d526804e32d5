package simdlearn.app;

import java.util.Map;
import java.util.SplittableRandom;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.train.ModelOptions;
import simdlearn.train.Recipe;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;

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
  /**
   * How long warming up may train: enough for C2 to compile a small model's kernels, and a bound
   * for a large one (a ResNet-18 minibatch takes seconds on one thread), which then stops after
   * the minibatch in progress.
   */
  static final long BUDGET_MILLIS = 8_000;

  /** Random pixel bytes repeated through the synthetic images: not a multiple of an image. */
  private static final int PIXEL_POOL = 8191;

  private Warmup() {}

  /**
   * Starts warming up for a run of {@code recipe} with {@code options} and {@code side x side}
   * images of 10 classes; nothing for a model that makes its own data (its runs are short).
   */
  public static Thread start(Recipe recipe, TrainingConfig cfg, ModelOptions options, int side) {
    return Thread.ofVirtual().name("simdlearn-warmup").start(() -> {
      if (recipe.readsImages(options)) {
        run(recipe, cfg, options, side);
      }
    });
  }

  static void run(Recipe recipe, TrainingConfig cfg, ModelOptions options, int side) {
    // A short last batch and a short last test chunk, as real datasets have (60,000 = 234 x 256
    // + 96): the JIT then compiles those paths too instead of recompiling mid-run.
    TrainingConfig settings = recipe.warmup(cfg);
    int n = settings.batchSize() * 6 + Math.max(1, settings.batchSize() / 3);
    ImageDataset train = synthetic(n, side, 1);
    ImageDataset test = synthetic(2 * settings.shardSize() + Math.max(1, settings.shardSize() / 8),
        side, 2);
    // One thread: the warm-up runs beside the data loading and the JIT's own threads; a second
    // shard worker would only take CPU from the compiler it is waiting for (whole runs were
    // faster warming up on one thread; docs/benchmarks.md). The recipe's smaller model runs the
    // same layer kinds and kernels at a fraction of the interpreted work.
    TrainingConfig quick = settings.toBuilder().epochs(6).threads(1).build();
    ModelOptions small = recipe.warmup(options).toBuilder().limit(null).resize(null).build();
    Trainer trainer = new Trainer(quick, TrainingListener.NONE);
    Thread budget = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(BUDGET_MILLIS);
        trainer.requestStop("the warm-up's time is up");
      } catch (InterruptedException done) {
        // The warm-up finished first.
      }
    });
    try {
      trainer.train(recipe.experiment(quick, small, new ImageDataset.Split(train, test)));
    } catch (RuntimeException | java.io.IOException ignored) {
      // Warming up is best effort: the real run reports any real problem.
    } finally {
      budget.interrupt();
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
    // pixel would itself be interpreted, then compiled by C2 on the stack.
    byte[] pool = new byte[PIXEL_POOL];
    r.nextBytes(pool);
    for (int at = 0; at < px.length; at += PIXEL_POOL) {
      System.arraycopy(pool, 0, px, at, Math.min(PIXEL_POOL, px.length - at));
    }
    return new ImageDataset("warmup", DatasetSpec.FASHION_MNIST, n, side, side, px, labels,
        Map.of());
  }

  /**
   * A warm-up that leaves more heap than this in use is collected before the run allocates its
   * own buffers: a ResNet-18 warm-up on the run's minibatches of 256 left its shards (830 MB) in
   * the old generation beside the run's own (the serial collector's young collections never free
   * them), and set the run's peak memory; it now warms up on minibatches of 32
   * ({@link Recipe#warmup(TrainingConfig)}), and this stays for any other large warm-up. A small model's warm-up (under 100 MB) is left to the collector, as a full
   * collection would cost the short runs time.
   */
  static final long COLLECT_ABOVE_BYTES = 256L << 20;

  /** Waits for a warm-up started by {@link #start}, then frees what a large one left. */
  public static void await(Thread warmup) {
    try {
      warmup.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Runtime rt = Runtime.getRuntime();
    if (rt.totalMemory() - rt.freeMemory() > COLLECT_ABOVE_BYTES) {
      System.gc();
    }
  }
}
