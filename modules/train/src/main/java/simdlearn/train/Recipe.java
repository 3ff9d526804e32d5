package simdlearn.train;

import java.io.IOException;
import java.util.List;
import simdlearn.data.ImageDataset;

/**
 * One model a run can train, named as {@code --model} names it: it owns its network, objective,
 * data, default settings, the options it takes and the name reports give it. The trainer knows
 * none of them; a front end asks the recipe. Adding a model is one recipe class, its line in
 * {@link simdlearn.train.recipes.Recipes} and its tests.
 *
 * <p>Use: {@link #resolve} the options a user gave (refusing those the model does not take, and
 * filling in its defaults), start from {@link #defaults} for every other setting, then build the
 * {@link #experiment} and run it with {@link Trainer#train}.
 */
public interface Recipe {
  /** The model's name on the command line: {@code softmax}, {@code mlp}... */
  String name();

  /** The model's name in reports and model files: {@code softmax-regression}, {@code mlp}... */
  String kind();

  /** One line for a help text. */
  String summary();

  /** The presets {@link #defaults} takes: {@code book} (the book's settings) and any others. */
  default List<String> presets() {
    return List.of("book");
  }

  /**
   * The options of a run of this model: {@code given} with every default filled in.
   *
   * @throws InvalidSettingException naming the first option that the model does not take or
   *     whose value it cannot use
   */
  ModelOptions resolve(ModelOptions given);

  /**
   * This model's settings for {@code preset} (one of {@link #presets()}), as a builder for the
   * caller's own changes.
   *
   * @param options resolved options (a polynomial's epochs depend on its degree)
   * @throws InvalidSettingException for an unknown preset
   */
  TrainingConfig.Builder defaults(ModelOptions options, String preset);

  /** Whether {@link #experiment} trains on an image dataset (else it makes its own data). */
  boolean readsImages(ModelOptions options);

  /**
   * The run: network (initialised from {@code cfg}'s seed), data, objective and summary.
   *
   * @param options resolved options
   * @param images the dataset {@code options.dataset()} names, loaded by the caller, when
   *     {@link #readsImages}; else null
   * @throws IOException when the images do not fit the model (the data's fault, not the
   *     settings')
   */
  Experiment experiment(TrainingConfig cfg, ModelOptions options, ImageDataset.Split images)
      throws IOException;

  /**
   * Options of a smaller model that runs the same code paths (same layer kinds and kernels),
   * for warming up the JIT before the real run; by default the options themselves.
   */
  default ModelOptions warmup(ModelOptions options) {
    return options;
  }

  /**
   * Training settings for warming up the JIT before a run with {@code cfg}; by default the run's
   * own. A model whose shards hold hundreds of megabytes may ask for smaller minibatches: the
   * same code at a fraction of the memory, which would otherwise stay in the process's peak.
   */
  default TrainingConfig warmup(TrainingConfig cfg) {
    return cfg;
  }
}
