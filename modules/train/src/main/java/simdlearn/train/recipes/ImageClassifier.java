package simdlearn.train.recipes;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.LayerTypes;
import simdlearn.nn.Sequential;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.train.Experiment;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.Model;
import simdlearn.train.ModelOptions;
import simdlearn.train.Objective;
import simdlearn.train.Recipe;
import simdlearn.train.TrainingConfig;

/**
 * A network whose outputs are one logit per class of an image dataset, trained with the fused
 * softmax cross-entropy: what softmax regression and the MLPs share.
 */
abstract class ImageClassifier implements Recipe {
  /** The options every image classifier takes. */
  static final Set<String> IMAGE_OPTIONS = Set.of("loss", "dataset", "limit", "resize");
  static final String LOSS = "softmax-cross-entropy";

  /** The options of this model beyond {@link #IMAGE_OPTIONS}. */
  abstract Set<String> ownOptions();

  /** The network from {@code train}'s images to one logit per class, initialised. */
  abstract Sequential network(TrainingConfig cfg, ModelOptions o, ImageDataset train);

  /** The own options resolved (defaults filled in, values checked). */
  abstract ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b);

  @Override
  public ModelOptions resolve(ModelOptions given) {
    Set<String> takes = new HashSet<>(IMAGE_OPTIONS);
    takes.addAll(ownOptions());
    given.refuseAllBut(name(), takes);
    if (given.loss() != null && !given.loss().equals(LOSS)) {
      throw new InvalidSettingException("loss", "of " + name() + " is " + LOSS + ", not '"
          + given.loss() + "'");
    }
    Images.checkSizes(given);
    return resolveOwn(given, given.toBuilder().loss(LOSS)
        .dataset(Images.dataset(given.dataset(), Images.DATASETS))).build();
  }

  /**
   * Resolves the activation options: {@code given}'s activation or {@code fallback}, checked
   * against the registry, with every setting recorded (given or default).
   */
  static ModelOptions.Builder resolveActivation(ModelOptions given, ModelOptions.Builder b,
      String fallback) {
    String name = given.activation() == null ? fallback : given.activation();
    activation(name, given);
    LayerTypes.get(name).settings().forEach((k, v) ->
        b.activationSetting(k, given.activationSettings().getOrDefault(k, v)));
    return b.activation(name);
  }

  /** The activation spec the options name, its settings checked. */
  static LayerSpec activation(String name, ModelOptions o) {
    if (!LayerTypes.activations().contains(name)) {
      throw new InvalidSettingException("activation", "must be one of "
          + String.join(", ", LayerTypes.activations()) + ", got '" + name + "'");
    }
    Set<String> own = LayerTypes.get(name).settings().keySet();
    for (String setting : o.activationSettings().keySet()) {
      if (!own.contains(setting)) {
        throw new InvalidSettingException(setting, "is not a setting of the " + name
            + " activation" + (own.isEmpty() ? "" : " (it takes " + String.join(", ", own) + ")"));
      }
    }
    try {
      return LayerTypes.activation(name, o.activationSettings());
    } catch (IllegalArgumentException e) {
      String setting = o.activationSettings().size() == 1
          ? o.activationSettings().keySet().iterator().next() : "activation";
      throw new InvalidSettingException(setting, "cannot be used: " + e.getMessage());
    }
  }

  @Override
  public boolean readsImages(ModelOptions options) {
    return true;
  }

  @Override
  public Experiment experiment(TrainingConfig cfg, ModelOptions o, ImageDataset.Split images)
      throws IOException {
    ImageDataset.Split data = Images.prepare(images, o, null);
    ImageDataset train = data.train();
    Sequential net = network(cfg, o, train);
    return new Experiment(Model.classifier(kind(), net, train), train, data.test(),
        Objective.classification(new SoftmaxCrossEntropy(TrainingKernels.of(cfg.backend()))),
        o);
  }
}
