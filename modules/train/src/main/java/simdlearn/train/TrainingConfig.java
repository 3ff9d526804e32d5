package simdlearn.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import simdlearn.kernel.Backend;
import simdlearn.kernel.Kernels;
import simdlearn.nn.Init;
import simdlearn.optim.Adam;
import simdlearn.optim.LearningRateSchedule;
import simdlearn.optim.Optimizer;
import simdlearn.optim.Sgd;

/**
 * The settings every training run has, whatever its model: the loop (epochs, batch, shuffling),
 * the optimizer and its schedule, initialisation, seed, threads and kernels. What one model alone
 * takes (hidden layers, a polynomial's degree, a loss, the dataset) is in {@link ModelOptions},
 * checked by that model's {@link Recipe}. A run is a function of these, the options and the
 * data: the same config gives bit-identical weights and reports whatever {@code threads} is.
 * Values are canonical (lower case), so a report records what ran.
 *
 * @param init {@code normal} (N(0, initStd^2)), {@code zeros}, {@code uniform} (PyTorch's
 *     {@code nn.Linear} default), {@code xavier}, {@code xavier-normal} or {@code he}; each layer
 *     applies it with its own fan-in and fan-out
 * @param initStd standard deviation of {@code normal} (d2l: 0.01)
 * @param optimizer {@code sgd}, {@code momentum}, {@code nesterov} or {@code adam}
 * @param momentum for momentum and Nesterov SGD (0 means their default, 0.9)
 * @param schedule {@code constant}, {@code step} (x0.1 every third of the epochs) or
 *     {@code cosine} (to 1% of lr)
 * @param threads parallelism bound; shards never depend on it
 * @param shardSize rows per shard: minibatches are split into shards of this size (128: two
 *     shards per default batch, and GEMMs long enough to run near peak)
 * @param shards 0, or P: the training set is cut into P contiguous partitions, and each
 *     minibatch into P shards, shard p holding the minibatch's rows of partition p; each shard
 *     computes its whole gradient and the P gradients are added in partition order. This is the
 *     split a data-parallel engine (Spark) makes, so a local run with {@code shards = P} and a
 *     distributed run on P partitions give the same bits.
 */
public record TrainingConfig(String init, double initStd, int epochs, int batchSize, float lr,
    String optimizer, float momentum, float weightDecay, String schedule, long seed, int threads,
    int shardSize, boolean shuffle, Backend backend,
    // Absent from the files of runs without partitions, whose checksums predate it.
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int shards) {

  /** Beyond this many threads a 2-shard minibatch has nothing to share; far beyond, a typo. */
  public static final int MAX_THREADS = 256;
  /** Larger batches do not fit the per-shard buffers of a wide network in a default heap. */
  public static final int MAX_BATCH = 1 << 16;
  /** More partitions than this split a default minibatch into shards of one or two rows. */
  public static final int MAX_SHARDS = 4096;

  /** The optimizers, for a program that names one without a string. */
  public enum OptimizerKind {
    SGD, MOMENTUM, NESTEROV, ADAM;

    /** The name a config, the command line and reports use. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The learning-rate schedules, for a program that names one without a string. */
  public enum ScheduleKind {
    CONSTANT, STEP, COSINE;

    /** The name a config, the command line and reports use. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TrainingConfig {
    init = lower(init);
    optimizer = lower(optimizer);
    schedule = lower(schedule);
  }

  static String lower(String s) {
    return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Refuses impossible settings before any work, naming the setting.
   *
   * @throws InvalidSettingException with a message such as "batch size must be between 1 and
   *     65536, got 0"
   */
  public TrainingConfig validate() {
    // 0 epochs: the initial model alone, written without training.
    require(epochs >= 0 && epochs <= 1_000_000, "epochs", "must be between 0 and 1000000, got "
        + epochs);
    require(batchSize > 0 && batchSize <= MAX_BATCH, "batchSize", "must be between 1 and "
        + MAX_BATCH + ", got " + batchSize);
    require(lr > 0 && Float.isFinite(lr), "lr", "must be a finite number > 0, got " + lr);
    require(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay",
        "must be >= 0, got " + weightDecay);
    require(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), got " + momentum);
    require(threads > 0 && threads <= MAX_THREADS, "threads", "must be between 1 and "
        + MAX_THREADS + ", got " + threads);
    require(shardSize > 0 && shardSize <= MAX_BATCH, "shardSize", "must be between 1 and "
        + MAX_BATCH + ", got " + shardSize);
    require(shards >= 0 && shards <= MAX_SHARDS, "shards", "must be between 1 and " + MAX_SHARDS
        + ", or 0 for shards of shardSize rows; got " + shards);
    require(initStd >= 0 && Double.isFinite(initStd), "initStd", "must be >= 0, got " + initStd);
    initScheme();
    optimizer(Kernels.scalar());
    learningRateSchedule();
    return this;
  }

  private static void require(boolean ok, String setting, String requirement) {
    InvalidSettingException.require(ok, setting, requirement);
  }

  /** The weight initialisation of this run. */
  public Init initScheme() {
    try {
      return Init.parse(init, initStd);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(init.equals("normal") ? "initStd" : "init",
          "must be " + (init.equals("normal") ? "finite and >= 0, got " + initStd
              : "normal, zeros, uniform, xavier, xavier-normal or he, got '" + init + "'"));
    }
  }

  /** A fresh optimizer for these settings. */
  public Optimizer optimizer(Kernels k) {
    return switch (optimizer) {
      case "sgd" -> new Sgd(k, 0f, false, weightDecay);
      case "momentum" -> new Sgd(k, effectiveMomentum(), false, weightDecay);
      case "nesterov" -> new Sgd(k, effectiveMomentum(), true, weightDecay);
      case "adam" -> new Adam(k, 0.9f, 0.999f, 1e-8f, weightDecay);
      default -> throw new InvalidSettingException("optimizer",
          "must be sgd, momentum, nesterov or adam, got '" + optimizer + "'");
    };
  }

  /** The learning-rate schedule for these settings. */
  public LearningRateSchedule learningRateSchedule() {
    return switch (schedule) {
      case "constant" -> new LearningRateSchedule.Constant(lr);
      case "step" -> new LearningRateSchedule.Step(lr, Math.max(1, epochs / 3), 0.1f);
      case "cosine" -> new LearningRateSchedule.Cosine(lr, lr / 100, epochs);
      default -> throw new InvalidSettingException("schedule",
          "must be constant, step or cosine, got '" + schedule + "'");
    };
  }

  /** The momentum the optimizer actually uses (0.9 when momentum/nesterov is asked without one). */
  public float effectiveMomentum() {
    return switch (optimizer) {
      case "momentum", "nesterov" -> momentum == 0f ? 0.9f : momentum;
      default -> 0f;
    };
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Settings by name, from d2l's defaults (softmax regression, 3.6). */
  public static final class Builder {
    private String init = "normal";
    private double initStd = 0.01;
    private int epochs = 10;
    private int batchSize = 256;
    private float lr = 0.1f;
    private String optimizer = "sgd";
    private float momentum = 0f;
    private float weightDecay = 0f;
    private String schedule = "constant";
    private long seed = 42;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int shardSize = 128;
    private boolean shuffle = true;
    private Backend backend = Backend.VECTOR;
    private int shards;

    public Builder() {}

    Builder(TrainingConfig c) {
      init = c.init;
      initStd = c.initStd;
      epochs = c.epochs;
      batchSize = c.batchSize;
      lr = c.lr;
      optimizer = c.optimizer;
      momentum = c.momentum;
      weightDecay = c.weightDecay;
      schedule = c.schedule;
      seed = c.seed;
      threads = c.threads;
      shardSize = c.shardSize;
      shuffle = c.shuffle;
      backend = c.backend;
      shards = c.shards;
    }

    public Builder init(String v) {
      init = v;
      return this;
    }

    /** The weight initialisation as a value: its name, and its deviation for a normal one. */
    public Builder init(Init v) {
      init = v.id();
      if (v instanceof Init.Normal normal) {
        initStd = normal.std();
      }
      return this;
    }

    public Builder initStd(double v) {
      initStd = v;
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder lr(float v) {
      lr = v;
      return this;
    }

    public Builder optimizer(String v) {
      optimizer = v;
      return this;
    }

    public Builder optimizer(OptimizerKind v) {
      return optimizer(v.id());
    }

    public Builder momentum(float v) {
      momentum = v;
      return this;
    }

    public Builder weightDecay(float v) {
      weightDecay = v;
      return this;
    }

    public Builder schedule(String v) {
      schedule = v;
      return this;
    }

    public Builder schedule(ScheduleKind v) {
      return schedule(v.id());
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public Builder shardSize(int v) {
      shardSize = v;
      return this;
    }

    public Builder shuffle(boolean v) {
      shuffle = v;
      return this;
    }

    public Builder backend(Backend v) {
      backend = v;
      return this;
    }

    /** Partitions of the training set and shards of each minibatch; 0 for fixed-size shards. */
    public Builder shards(int v) {
      shards = v;
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(init, initStd, epochs, batchSize, lr, optimizer, momentum,
          weightDecay, schedule, seed, threads, shardSize, shuffle, backend, shards);
    }
  }
}
