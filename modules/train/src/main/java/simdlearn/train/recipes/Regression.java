package simdlearn.train.recipes;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.nn.Sequential;
import simdlearn.optim.RegressionLoss;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.Model;
import simdlearn.train.ModelOptions;
import simdlearn.train.Objective;
import simdlearn.train.Recipe;

/** What the regressions on generated data share: one linear layer, a regression loss by name. */
abstract class Regression implements Recipe {
  /** The loss when none is given. */
  abstract String defaultLoss();

  /** Options beyond {@code loss}. */
  Set<String> ownOptions() {
    return Set.of();
  }

  /** The own options resolved (defaults filled in, values checked). */
  ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b) {
    return b;
  }

  @Override
  public ModelOptions resolve(ModelOptions given) {
    Set<String> takes = new HashSet<>(ownOptions());
    takes.add("loss");
    given.refuseAllBut(name(), takes);
    String loss = given.loss() == null ? defaultLoss() : given.loss();
    try {
      RegressionLoss.byName(loss);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("loss", "of " + name() + " must be squared, mse, l1 or"
          + " huber, got '" + loss + "'");
    }
    return resolveOwn(given, given.toBuilder().loss(loss)).build();
  }

  @Override
  public boolean readsImages(ModelOptions options) {
    return false;
  }

  /** Refuses every preset but {@code book}. */
  static void bookOnly(String model, String preset) {
    if (!preset.equals("book")) {
      throw new InvalidSettingException("preset", "must be book for " + model + ", got '"
          + preset + "'");
    }
  }

  /** A regressor model: real-valued outputs, no classes, no images. */
  Model regressor(Sequential net) {
    return new Model(kind(), net, Model.Output.VALUES, List.of(), List.of(), 0, 0);
  }

  static Objective objective(ModelOptions o) {
    return Objective.regression(RegressionLoss.byName(o.loss()));
  }

  static void noImages(ImageDataset.Split images) {
    if (images != null) {
      throw new IllegalArgumentException("this model generates its own data");
    }
  }
}
