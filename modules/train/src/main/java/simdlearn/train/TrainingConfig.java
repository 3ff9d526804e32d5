package simdlearn.train;

import java.util.Locale;
import simdlearn.kernel.Backend;
import simdlearn.kernel.Kernels;
import simdlearn.optim.Adam;
import simdlearn.optim.LearningRateSchedule;
import simdlearn.optim.Optimizer;
import simdlearn.optim.RegressionLoss;
import simdlearn.optim.Sgd;

/**
 * Every setting of a training run. A run is a function of these (and the data) alone: the same
 * config gives bit-identical weights and reports whatever {@code threads} is.
 *
 * @param model {@code softmax} or {@code linear}
 * @param optimizer {@code sgd}, {@code momentum}, {@code nesterov} or {@code adam}
 * @param momentum for momentum and Nesterov SGD
 * @param schedule {@code constant}, {@code step} (x0.1 every third of the epochs) or
 *     {@code cosine} (to 1% of lr)
 * @param threads parallelism bound; shards never depend on it
 * @param shardSize rows per shard: minibatches are split into shards of this size (128: two
 *     shards per default batch, and GEMMs long enough to run near peak)
 * @param init {@code normal} (N(0, 0.01^2), d2l) or {@code zeros}
 * @param loss {@code softmax-cross-entropy} for softmax; {@code squared}, {@code l1} or
 *     {@code huber} for linear
 * @param resize image side to resize to (bilinear), or null to keep 28
 */
public record TrainingConfig(String model, int epochs, int batchSize, float lr, String optimizer,
    float momentum, float weightDecay, String schedule, long seed, int threads, int shardSize,
    String init, boolean shuffle, Backend backend, String loss, Integer resize) {

  /** d2l 3.6/3.7's softmax regression: 10 epochs, batch 256, lr 0.1, plain SGD. */
  public static TrainingConfig softmaxDefaults() {
    return new TrainingConfig("softmax", 10, 256, 0.1f, "sgd", 0f, 0f, "constant", 42,
        Runtime.getRuntime().availableProcessors(), 128, "normal", true, Backend.VECTOR,
        "softmax-cross-entropy", null);
  }

  /**
   * A tuned softmax regression that beats the book's defaults: 30 epochs of Nesterov momentum 0.9
   * at lr 0.02, cosine schedule, small decoupled weight decay (see docs/user-guide.md for what it
   * reaches).
   */
  public static TrainingConfig softmaxTuned() {
    return new TrainingConfig("softmax", 30, 256, 0.02f, "nesterov", 0.9f, 1e-4f, "cosine", 42,
        Runtime.getRuntime().availableProcessors(), 128, "normal", true, Backend.VECTOR,
        "softmax-cross-entropy", null);
  }

  /** d2l 3.2/3.3's linear regression: 3 epochs, batch 10, lr 0.03, squared loss. */
  public static TrainingConfig linearDefaults() {
    return new TrainingConfig("linear", 3, 10, 0.03f, "sgd", 0f, 0f, "constant", 42,
        Runtime.getRuntime().availableProcessors(), 128, "normal", true, Backend.VECTOR, "squared",
        null);
  }

  /**
   * Refuses impossible settings before any work, naming the flag.
   *
   * @throws IllegalArgumentException with a message such as "--batch-size must be > 0, got 0"
   */
  public TrainingConfig validate() {
    require(model.equals("softmax") || model.equals("linear"),
        "--model must be softmax or linear, got '" + model + "'");
    require(epochs > 0, "--epochs must be > 0, got " + epochs);
    require(batchSize > 0, "--batch-size must be > 0, got " + batchSize);
    require(lr > 0 && Float.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
    require(weightDecay >= 0 && Float.isFinite(weightDecay),
        "--weight-decay must be >= 0, got " + weightDecay);
    require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
    require(threads > 0, "--threads must be > 0, got " + threads);
    require(shardSize > 0, "--shard-size must be > 0, got " + shardSize);
    require(init.equals("normal") || init.equals("zeros"),
        "--init must be normal or zeros, got '" + init + "'");
    require(resize == null || (resize >= 1 && resize <= 1024),
        "--resize must be between 1 and 1024, got " + resize);
    optimizer(Kernels.scalar());
    learningRateSchedule();
    if (model.equals("linear")) {
      RegressionLoss.byName(loss);
    } else {
      require(loss.equals("softmax-cross-entropy"),
          "softmax regression trains with softmax-cross-entropy, not '" + loss + "'");
    }
    return this;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** A fresh optimizer for these settings. */
  public Optimizer optimizer(Kernels k) {
    return switch (optimizer.toLowerCase(Locale.ROOT)) {
      case "sgd" -> new Sgd(k, 0f, false, weightDecay);
      case "momentum" -> new Sgd(k, momentum == 0f ? 0.9f : momentum, false, weightDecay);
      case "nesterov" -> new Sgd(k, momentum == 0f ? 0.9f : momentum, true, weightDecay);
      case "adam" -> new Adam(k, 0.9f, 0.999f, 1e-8f, weightDecay);
      default -> throw new IllegalArgumentException(
          "--optimizer must be sgd, momentum, nesterov or adam, got '" + optimizer + "'");
    };
  }

  /** The learning-rate schedule for these settings. */
  public LearningRateSchedule learningRateSchedule() {
    return switch (schedule.toLowerCase(Locale.ROOT)) {
      case "constant" -> new LearningRateSchedule.Constant(lr);
      case "step" -> new LearningRateSchedule.Step(lr, Math.max(1, epochs / 3), 0.1f);
      case "cosine" -> new LearningRateSchedule.Cosine(lr, lr / 100, epochs);
      default -> throw new IllegalArgumentException(
          "--schedule must be constant, step or cosine, got '" + schedule + "'");
    };
  }

  /** The momentum the optimizer actually uses (0.9 when momentum/nesterov is asked without one). */
  public float effectiveMomentum() {
    return switch (optimizer) {
      case "momentum", "nesterov" -> momentum == 0f ? 0.9f : momentum;
      default -> 0f;
    };
  }
}
