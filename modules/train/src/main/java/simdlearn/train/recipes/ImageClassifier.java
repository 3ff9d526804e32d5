package simdlearn.train.recipes;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.training.TrainingKernels;
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

  /** The network from {@code inputs} pixels to {@code classes} logits, initialised. */
  abstract Sequential network(TrainingConfig cfg, ModelOptions o, int inputs, int classes);

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
        .dataset(Images.dataset(given, Images.DATASETS))).build();
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
    Sequential net = network(cfg, o, train.features(), train.classes());
    return new Experiment(Model.classifier(kind(), net, train), train, data.test(),
        Objective.classification(new SoftmaxCrossEntropy(TrainingKernels.of(cfg.backend()))),
        o);
  }
}
