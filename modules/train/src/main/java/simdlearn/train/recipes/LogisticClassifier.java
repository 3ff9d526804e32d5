package simdlearn.train.recipes;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.data.SyntheticClouds;
import simdlearn.nn.Sequential;
import simdlearn.optim.BinaryLogisticLoss;
import simdlearn.optim.SigmoidSquaredLoss;
import simdlearn.train.Experiment;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.Model;
import simdlearn.train.ModelOptions;
import simdlearn.train.Objective;
import simdlearn.train.Recipe;
import simdlearn.train.TrainingConfig;

/**
 * A sigmoid linear classifier (z = w.x + b, y = sigmoid(z)) with the logistic or the squared
 * loss: on two classes of images (Fashion-MNIST's sneakers and ankle boots by default), or on two
 * Gaussian clouds of points ({@code synthetic-2d}). Zero init, lr 0.1, batch 256, 10 epochs.
 */
public final class LogisticClassifier implements Recipe {
  /** The points dataset this model generates. */
  static final String CLOUDS = "synthetic-2d";


  /** A new instance; {@link Recipes#get} gives the registered one. */
  public LogisticClassifier() {}

  @Override
  public String name() {
    return "logistic";
  }

  @Override
  public String kind() {
    return "logistic-regression";
  }

  @Override
  public String summary() {
    return "sigmoid linear classifier: two image classes or two clouds";
  }

  @Override
  public ModelOptions resolve(ModelOptions given) {
    given.refuseAllBut(name(), Set.of("loss", "dataset", "classes", "limit", "resize"));
    String loss = given.loss() == null ? "logistic" : given.loss();
    if (!loss.equals("logistic") && !loss.equals("squared")) {
      throw new InvalidSettingException("loss", "for logistic must be logistic or squared, got '"
          + loss + "'");
    }
    String dataset = given.dataset() == null ? "fashion-mnist" : given.dataset();
    ModelOptions.Builder b = given.toBuilder().loss(loss).dataset(dataset);
    if (dataset.equals(CLOUDS)) {
      for (String imageOnly : List.of("classes", "limit", "resize")) {
        if (given.given().contains(imageOnly)) {
          throw new InvalidSettingException(imageOnly, "is for image datasets; " + CLOUDS
              + " generates its points");
        }
      }
      return b.build();
    }
    Images.dataset(dataset, List.of("fashion-mnist", "mnist", CLOUDS));
    Images.checkSizes(given);
    List<Integer> c = given.classes() == null ? List.of(7, 9) : given.classes();
    if (c.size() != 2) {
      throw new InvalidSettingException("classes", "takes two classes for a binary classifier,"
          + " got " + c.size());
    }
    for (int k : c) {
      if (k < 0 || k > 9) {
        throw new InvalidSettingException("classes", "must be between 0 and 9, got " + k);
      }
    }
    if (c.get(0).equals(c.get(1))) {
      throw new InvalidSettingException("classes", "needs two different classes, got " + c);
    }
    return b.classes(c).build();
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    Regression.bookOnly(name(), preset);
    return new TrainingConfig.Builder().init("zeros");
  }

  @Override
  public boolean readsImages(ModelOptions options) {
    return !CLOUDS.equals(options.dataset());
  }

  @Override
  public Experiment experiment(TrainingConfig cfg, ModelOptions o, ImageDataset.Split images)
      throws IOException {
    Objective objective = Objective.binary(o.loss().equals("squared")
        ? new SigmoidSquaredLoss() : new BinaryLogisticLoss());
    if (!readsImages(o)) {
      Regression.noImages(images);
      SyntheticClouds.Split clouds = SyntheticClouds.generate(cfg.seed());
      Sequential net = Sequential.builder(clouds.train().features()).linear(1)
          .build(cfg.initScheme(), cfg.seed());
      Model model = new Model(kind(), net, Model.Output.BINARY, clouds.train().classNames(),
          List.of(), 0, 0);
      return new Experiment(model, clouds.train(), clouds.test(), objective, o);
    }
    int[] pair = {o.classes().get(0), o.classes().get(1)};
    ImageDataset.Split data = Images.prepare(images, o, pair);
    ImageDataset train = data.train();
    Sequential net = Sequential.builder(train.features()).linear(1)
        .build(cfg.initScheme(), cfg.seed());
    Model model = new Model(kind(), net, Model.Output.BINARY, train.classNames(),
        train.spec().classNamesZh(), train.height(), train.width());
    return new Experiment(model, train, data.test(), objective, o);
  }
}
