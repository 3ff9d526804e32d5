package simdlearn.train.recipes;

import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.nn.Sequential;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 3.6/3.7's softmax regression on Fashion-MNIST: one linear layer from pixels to class logits,
 * N(0, 0.01^2) weights, batch 256, lr 0.1, 10 epochs of SGD; the {@code tuned} preset beats it.
 */
public final class SoftmaxRegression extends ImageClassifier {
  @Override
  public String name() {
    return "softmax";
  }


  /** A new instance; {@link Recipes#get} gives the registered one. */
  public SoftmaxRegression() {}

  @Override
  public String kind() {
    return "softmax-regression";
  }

  @Override
  public String summary() {
    return "softmax regression (d2l 3.6)";
  }

  @Override
  public java.util.List<String> presets() {
    return java.util.List.of("book", "tuned");
  }

  @Override
  Set<String> ownOptions() {
    return Set.of();
  }

  @Override
  ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b) {
    return b;
  }

  /**
   * {@code book}: d2l's settings. {@code tuned}: 30 epochs of Nesterov momentum 0.9 at lr 0.02,
   * cosine schedule, small decoupled weight decay (docs/user-guide.md says what it reaches).
   */
  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    return switch (preset) {
      case "book" -> new TrainingConfig.Builder();
      case "tuned" -> new TrainingConfig.Builder().epochs(30).lr(0.02f).optimizer("nesterov")
          .momentum(0.9f).weightDecay(1e-4f).schedule("cosine");
      default -> throw new InvalidSettingException("preset", "must be book or tuned for softmax, got '"
          + preset + "'");
    };
  }

  @Override
  Sequential network(TrainingConfig cfg, ModelOptions o, ImageDataset train) {
    return Sequential.builder(train.features()).linear(train.classes())
        .build(cfg.initScheme(), cfg.seed());
  }
}
