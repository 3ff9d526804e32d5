package simdlearn.train.recipes;

import java.util.List;
import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.Sequential;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.ModelFile;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 4.3's multilayer perceptron (784-256-10 with ReLU) and its variants: any hidden sizes, any
 * registered activation with its settings, dropout after each hidden layer (d2l 4.6).
 */
public final class Mlp extends ImageClassifier {
  /** Hidden layers wider than this would need gigabytes of weights and gradients. */
  public static final int MAX_HIDDEN = 1 << 16;


  /** A new instance; {@link Recipes#get} gives the registered one. */
  public Mlp() {}

  @Override
  public String name() {
    return "mlp";
  }

  @Override
  public String kind() {
    return "mlp";
  }

  @Override
  public String summary() {
    return "multilayer perceptron (d2l 4.3; dropout: 4.6)";
  }

  @Override
  Set<String> ownOptions() {
    return Set.of("hidden", "dropout", "activation");
  }

  @Override
  ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b) {
    List<Integer> hidden = given.hidden() == null ? List.of(256) : given.hidden();
    List<Double> dropout = given.dropout() == null ? List.of() : given.dropout();
    if (hidden.isEmpty()) {
      throw new InvalidSettingException("hidden", "needs at least one layer size for an MLP");
    }
    for (int h : hidden) {
      if (h <= 0 || h > MAX_HIDDEN) {
        throw new InvalidSettingException("hidden", "sizes must be between 1 and " + MAX_HIDDEN
            + ", got " + h);
      }
    }
    if (!dropout.isEmpty() && dropout.size() != hidden.size()) {
      throw new InvalidSettingException("dropout", "needs one value per hidden layer ("
          + hidden.size() + "), got " + dropout.size());
    }
    for (double p : dropout) {
      if (!(p >= 0 && p < 1)) {
        throw new InvalidSettingException("dropout", "values must be in [0, 1), got " + p);
      }
    }
    // Every setting of the activation is recorded, given or not (a report says the slope used).
    return resolveActivation(given, b, "relu").hidden(hidden).dropout(dropout);
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    Regression.bookOnly(name(), preset);
    return new TrainingConfig.Builder();
  }

  /** Caps the hidden layers at 32 units: still wide layers (packed GEMM, deferred gradient). */
  @Override
  public ModelOptions warmup(ModelOptions options) {
    return options.toBuilder()
        .hidden(options.hidden().stream().map(h -> Math.min(h, 32)).toList()).build();
  }

  @Override
  Sequential network(TrainingConfig cfg, ModelOptions o, ImageDataset train) {
    // Refused before allocating: a network must fit the model file that saves it.
    long parameters = 0;
    int in = train.features();
    for (int h : o.hidden()) {
      parameters += (long) in * h + h;
      in = h;
    }
    parameters += (long) in * train.classes() + train.classes();
    if (parameters > ModelFile.MAX_PARAMETERS) {
      throw new InvalidSettingException("hidden", o.hidden() + " gives " + parameters
          + " parameters; a model holds at most " + ModelFile.MAX_PARAMETERS + " ("
          + (ModelFile.MAX_PARAMETERS * Float.BYTES >> 20) + " MiB of float32)");
    }
    LayerSpec activation = activation(o.activation(), o);
    Sequential.Builder b = Sequential.builder(train.features());
    for (int i = 0; i < o.hidden().size(); i++) {
      b.linear(o.hidden().get(i)).add(activation);
      if (!o.dropout().isEmpty() && o.dropout().get(i) > 0) {
        b.dropout(o.dropout().get(i));
      }
    }
    return b.linear(train.classes()).build(cfg.initScheme(), cfg.seed());
  }
}
