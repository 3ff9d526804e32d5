package simdlearn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import simdlearn.kernel.Backend;
import simdlearn.kernel.Kernels;
import simdlearn.nn.Init;
import simdlearn.nn.Sequential;
import simdlearn.optim.Adam;
import simdlearn.optim.LearningRateSchedule;
import simdlearn.optim.Optimizer;
import simdlearn.optim.RegressionLoss;
import simdlearn.optim.Sgd;

/**
 * Every setting of a training run. A run is a function of these (and the data) alone: the same
 * config gives bit-identical weights and reports whatever {@code threads} is. Values are
 * canonical (lower case), so a report records what ran.
 *
 * @param model {@code softmax}, {@code mlp}, {@code linear}, {@code polynomial} (d2l 4.4),
 *     {@code highdim-linear} (d2l 4.5) or {@code logistic} (a sigmoid linear classifier)
 * @param degree the polynomial's degree (polynomial only, else null)
 * @param hidden hidden layer sizes of an MLP, first to last (empty for the linear models)
 * @param dropout drop probability after each hidden layer's activation (empty: none)
 * @param activation {@code relu}, {@code sigmoid} or {@code tanh}, after each hidden layer
 * @param init {@code normal} (N(0, initStd^2)), {@code zeros}, {@code uniform} (PyTorch's
 *     {@code nn.Linear} default), {@code xavier}, {@code xavier-normal} or {@code he}
 * @param initStd standard deviation of {@code normal} (d2l: 0.01)
 * @param optimizer {@code sgd}, {@code momentum}, {@code nesterov} or {@code adam}
 * @param momentum for momentum and Nesterov SGD (0 means their default, 0.9)
 * @param schedule {@code constant}, {@code step} (x0.1 every third of the epochs) or
 *     {@code cosine} (to 1% of lr)
 * @param threads parallelism bound; shards never depend on it
 * @param shardSize rows per shard: minibatches are split into shards of this size (128: two
 *     shards per default batch, and GEMMs long enough to run near peak)
 * @param loss {@code softmax-cross-entropy} for softmax and mlp; {@code squared} (1/2 r^2),
 *     {@code mse} (r^2), {@code l1} or {@code huber} for the regressions; {@code logistic} or
 *     {@code squared} (1/2 (y - sigmoid(z))^2) for logistic
 * @param resize image side to resize to (bilinear), or null to keep 28
 */
public record TrainingConfig(String model, Integer degree, List<Integer> hidden,
    List<Double> dropout,
    String activation, String init, double initStd, int epochs, int batchSize, float lr,
    String optimizer, float momentum, float weightDecay, String schedule, long seed, int threads,
    int shardSize, boolean shuffle, Backend backend, String loss, Integer resize) {

  /** Beyond this many threads a 2-shard minibatch has nothing to share; far beyond, a typo. */
  public static final int MAX_THREADS = 256;
  /** Larger batches do not fit the per-shard buffers of a wide network in a default heap. */
  public static final int MAX_BATCH = 1 << 16;
  /** Hidden layers wider than this would need gigabytes of weights and gradients. */
  public static final int MAX_HIDDEN = 1 << 16;

  public TrainingConfig {
    model = lower(model);
    hidden = List.copyOf(hidden);
    dropout = List.copyOf(dropout);
    activation = lower(activation);
    init = lower(init);
    optimizer = lower(optimizer);
    schedule = lower(schedule);
    loss = lower(loss);
  }

  private static String lower(String s) {
    return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
  }

  /** d2l 3.6/3.7's softmax regression: 10 epochs, batch 256, lr 0.1, plain SGD. */
  public static TrainingConfig softmaxDefaults() {
    return new Builder().build();
  }

  /**
   * A tuned softmax regression that beats the book's defaults: 30 epochs of Nesterov momentum 0.9
   * at lr 0.02, cosine schedule, small decoupled weight decay (see docs/user-guide.md for what it
   * reaches).
   */
  public static TrainingConfig softmaxTuned() {
    return new Builder().epochs(30).lr(0.02f).optimizer("nesterov").momentum(0.9f)
        .weightDecay(1e-4f).schedule("cosine").build();
  }

  /** d2l 4.3's multilayer perceptron: 784-256-10 with ReLU, N(0, 0.01), lr 0.1, 10 epochs. */
  public static TrainingConfig mlpDefaults() {
    return new Builder().model("mlp").hidden(List.of(256)).build();
  }

  /** d2l 3.2/3.3's linear regression: 3 epochs, batch 10, lr 0.03, squared loss. */
  public static TrainingConfig linearDefaults() {
    return new Builder().model("linear").epochs(3).batchSize(10).lr(0.03f).loss("squared").build();
  }

  /**
   * d2l 4.4's polynomial fitting: a linear layer without bias over the first degree + 1 features,
   * initialised as PyTorch's {@code nn.Linear} (d2l keeps it), PyTorch's MSE loss, SGD at lr 0.01,
   * batch 10, 400 epochs (1500 for degree 19, d2l's overfitting example).
   */
  public static TrainingConfig polynomialDefaults(int degree) {
    return new Builder().model("polynomial").degree(degree).epochs(degree == 19 ? 1500 : 400)
        .batchSize(10).lr(0.01f).loss("mse").init("uniform").build();
  }

  /**
   * d2l 4.5's weight decay experiment: 200 inputs, 20 training examples, weights and bias from
   * N(0, 1), MSE, SGD at lr 0.003, batch 5, 100 epochs; {@code --weight-decay} is the lambda.
   */
  public static TrainingConfig highDimDefaults() {
    return new Builder().model("highdim-linear").epochs(100).batchSize(5).lr(0.003f).loss("mse")
        .initStd(1.0).build();
  }

  /** A sigmoid linear classifier: zero init, lr 0.1, batch 256, 10 epochs, logistic loss. */
  public static TrainingConfig logisticDefaults() {
    return new Builder().model("logistic").init("zeros").loss("logistic").build();
  }

  static final List<String> MODELS =
      List.of("softmax", "mlp", "linear", "polynomial", "highdim-linear", "logistic");

  /** The defaults of {@code model} (one of {@link #MODELS}; polynomial: degree 3). */
  public static TrainingConfig defaults(String model) {
    return switch (lower(model)) {
      case "softmax" -> softmaxDefaults();
      case "mlp" -> mlpDefaults();
      case "linear" -> linearDefaults();
      case "polynomial" -> polynomialDefaults(3);
      case "highdim-linear" -> highDimDefaults();
      case "logistic" -> logisticDefaults();
      default -> throw new IllegalArgumentException("--model must be one of "
          + String.join(", ", MODELS) + "; got '" + model + "'");
    };
  }

  /**
   * Refuses impossible settings before any work, naming the flag.
   *
   * @throws IllegalArgumentException with a message such as "--batch-size must be > 0, got 0"
   */
  public TrainingConfig validate() {
    require(MODELS.contains(model), "--model must be one of " + String.join(", ", MODELS)
        + "; got '" + model + "'");
    require(epochs > 0 && epochs <= 1_000_000, "--epochs must be between 1 and 1000000, got "
        + epochs);
    require(batchSize > 0 && batchSize <= MAX_BATCH, "--batch-size must be between 1 and "
        + MAX_BATCH + ", got " + batchSize);
    require(lr > 0 && Float.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
    require(weightDecay >= 0 && Float.isFinite(weightDecay),
        "--weight-decay must be >= 0, got " + weightDecay);
    require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
    require(threads > 0 && threads <= MAX_THREADS, "--threads must be between 1 and "
        + MAX_THREADS + ", got " + threads);
    require(shardSize > 0 && shardSize <= MAX_BATCH, "--shard-size must be between 1 and "
        + MAX_BATCH + ", got " + shardSize);
    require(initStd >= 0 && Double.isFinite(initStd), "--init-std must be >= 0, got " + initStd);
    initScheme();
    optimizer(Kernels.scalar());
    learningRateSchedule();
    if (model.equals("mlp")) {
      require(!hidden.isEmpty(), "--hidden needs at least one layer size for an MLP");
      for (int h : hidden) {
        require(h > 0 && h <= MAX_HIDDEN, "--hidden sizes must be between 1 and " + MAX_HIDDEN
            + ", got " + h);
      }
      require(dropout.isEmpty() || dropout.size() == hidden.size(), "--dropout needs one value"
          + " per hidden layer (" + hidden.size() + "), got " + dropout.size());
      for (double p : dropout) {
        require(p >= 0 && p < 1, "--dropout values must be in [0, 1), got " + p);
      }
      require(List.of("relu", "sigmoid", "tanh").contains(activation),
          "--activation must be relu, sigmoid or tanh, got '" + activation + "'");
    } else {
      require(hidden.isEmpty() && dropout.isEmpty(), "--hidden and --dropout are for --model"
          + " mlp; " + model + " is a single linear layer");
    }
    require((degree != null) == model.equals("polynomial"),
        "--degree is for --model polynomial" + (model.equals("polynomial") ? " and needed" : ""));
    if (degree != null) {
      require(degree >= 0 && degree <= 19, "--degree must be between 0 and 19, got " + degree);
    }
    switch (model) {
      case "linear", "polynomial", "highdim-linear" -> RegressionLoss.byName(loss);
      case "logistic" -> require(loss.equals("logistic") || loss.equals("squared"),
          "--loss for logistic must be logistic or squared, got '" + loss + "'");
      default -> require(loss.equals("softmax-cross-entropy"), model + " trains with"
          + " softmax-cross-entropy, not '" + loss + "'");
    }
    return this;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The network of this run for {@code inputs} features and {@code outputs} outputs, initialised. */
  public Sequential network(int inputs, int outputs) {
    Sequential.Builder b = Sequential.builder(inputs);
    for (int i = 0; i < hidden.size(); i++) {
      b.linear(hidden.get(i)).activation(activation);
      if (!dropout.isEmpty() && dropout.get(i) > 0) {
        b.dropout(dropout.get(i));
      }
    }
    return b.linear(outputs, !model.equals("polynomial")).build(initScheme(), seed);
  }

  /** The weight initialisation of this run. */
  public Init initScheme() {
    return Init.parse(init, initStd);
  }

  /** A fresh optimizer for these settings. */
  public Optimizer optimizer(Kernels k) {
    return switch (optimizer) {
      case "sgd" -> new Sgd(k, 0f, false, weightDecay);
      case "momentum" -> new Sgd(k, effectiveMomentum(), false, weightDecay);
      case "nesterov" -> new Sgd(k, effectiveMomentum(), true, weightDecay);
      case "adam" -> new Adam(k, 0.9f, 0.999f, 1e-8f, weightDecay);
      default -> throw new IllegalArgumentException(
          "--optimizer must be sgd, momentum, nesterov or adam, got '" + optimizer + "'");
    };
  }

  /** The learning-rate schedule for these settings. */
  public LearningRateSchedule learningRateSchedule() {
    return switch (schedule) {
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

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Settings by name, from {@link #softmaxDefaults()}'s values. */
  public static final class Builder {
    private String model = "softmax";
    private Integer degree;
    private List<Integer> hidden = List.of();
    private List<Double> dropout = List.of();
    private String activation = "relu";
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
    private String loss = "softmax-cross-entropy";
    private Integer resize;

    public Builder() {}

    Builder(TrainingConfig c) {
      model = c.model;
      degree = c.degree;
      hidden = c.hidden;
      dropout = c.dropout;
      activation = c.activation;
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
      loss = c.loss;
      resize = c.resize;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder degree(Integer v) {
      degree = v;
      return this;
    }

    public Builder hidden(List<Integer> v) {
      hidden = new ArrayList<>(v);
      return this;
    }

    public Builder dropout(List<Double> v) {
      dropout = new ArrayList<>(v);
      return this;
    }

    public Builder activation(String v) {
      activation = v;
      return this;
    }

    public Builder init(String v) {
      init = v;
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

    public Builder loss(String v) {
      loss = v;
      return this;
    }

    public Builder resize(Integer v) {
      resize = v;
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(model, degree, hidden, dropout, activation, init, initStd, epochs,
          batchSize, lr, optimizer, momentum, weightDecay, schedule, seed, threads, shardSize,
          shuffle, backend, loss, resize);
    }
  }
}
