package simdlearn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import simdlearn.data.ImageDataset;
import simdlearn.train.recipes.Recipes;

/** Runs of the registered recipes, as the command line makes them, for tests. */
final class Runs {
  private Runs() {}

  /** {@code model}'s options resolved from {@code given}. */
  static ModelOptions options(String model, ModelOptions given) {
    return Recipes.get(model).resolve(given);
  }

  /** {@code model}'s book settings. */
  static TrainingConfig.Builder book(String model, ModelOptions given) {
    return Recipes.get(model).defaults(options(model, given), "book");
  }

  /** {@code model} with {@code given} options on {@code images} (null for generated data). */
  static Experiment experiment(TrainingConfig cfg, String model, ModelOptions given,
      ImageDataset train, ImageDataset test) {
    try {
      return Recipes.get(model).experiment(cfg, options(model, given),
          train == null ? null : new ImageDataset.Split(train, test));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Trains {@code model} with {@code given} options on the images. */
  static TrainingResult train(TrainingConfig cfg, TrainingListener listener, String model,
      ModelOptions given, ImageDataset train, ImageDataset test) {
    return new Trainer(cfg, listener).train(experiment(cfg, model, given, train, test));
  }

  /** Softmax regression on the images. */
  static TrainingResult softmax(TrainingConfig cfg, TrainingListener listener,
      ImageDataset train, ImageDataset test) {
    return train(cfg, listener, "softmax", ModelOptions.NONE, train, test);
  }

  /** A generated-data model (linear, polynomial, highdim-linear, logistic on points). */
  static TrainingResult generated(TrainingConfig cfg, TrainingListener listener, String model,
      ModelOptions given) {
    return new Trainer(cfg, listener).train(experiment(cfg, model, given, null, null));
  }

  static ModelOptions.Builder with() {
    return new ModelOptions.Builder();
  }
}
