package simdlearn.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The options that only some models take, each null (or empty, for the settings map) when not
 * given. A model's {@link Recipe#resolve} refuses the options it does not use, naming them, and
 * fills in its defaults; the resolved options go into the run's report.
 *
 * @param degree a polynomial's degree
 * @param hidden hidden layer sizes, first to last
 * @param dropout drop probability after each hidden layer's activation
 * @param activation the hidden layers' activation (a registered activation type: relu,
 *     leaky-relu, sigmoid, tanh...)
 * @param activationSettings the activation's numeric settings by name (a leaky ReLU's
 *     {@code slope}); each is an option of its own
 * @param loss the loss by name
 * @param dataset the dataset by name
 * @param classes the classes of a binary classifier on images
 * @param limit train on the first N examples only
 * @param resize images resized to this side (bilinear)
 * @param pool a convolutional network's pooling: {@code avg} or {@code max}
 */
public record ModelOptions(Integer degree, List<Integer> hidden, List<Double> dropout,
    String activation, Map<String, Double> activationSettings, String loss, String dataset,
    List<Integer> classes, Integer limit, Integer resize, String pool) {

  /** No option given. */
  public static final ModelOptions NONE = new Builder().build();

  public ModelOptions {
    hidden = hidden == null ? null : List.copyOf(hidden);
    dropout = dropout == null ? null : List.copyOf(dropout);
    classes = classes == null ? null : List.copyOf(classes);
    activation = TrainingConfig.lower(activation);
    activationSettings = activationSettings == null ? Map.of()
        : new TreeMap<>(activationSettings);
    loss = TrainingConfig.lower(loss);
    dataset = TrainingConfig.lower(dataset);
    pool = TrainingConfig.lower(pool);
  }

  /** The names of the options given ({@link Builder}'s names, and each activation setting's). */
  public List<String> given() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("degree", degree);
    all.put("hidden", hidden);
    all.put("dropout", dropout);
    all.put("activation", activation);
    all.put("loss", loss);
    all.put("dataset", dataset);
    all.put("classes", classes);
    all.put("limit", limit);
    all.put("resize", resize);
    all.put("pool", pool);
    List<String> names = new ArrayList<>();
    all.forEach((name, value) -> {
      if (value != null) {
        names.add(name);
      }
    });
    names.addAll(activationSettings.keySet());
    return names;
  }

  /**
   * Throws for the first option given that {@code model} does not take.
   *
   * @param takes the option names it takes; an activation setting counts as taken with
   *     {@code activation}
   */
  public ModelOptions refuseAllBut(String model, Set<String> takes) {
    for (String name : given()) {
      boolean taken = takes.contains(name)
          || (activationSettings.containsKey(name) && takes.contains("activation"));
      if (!taken) {
        throw new InvalidSettingException(name, "does not apply to the " + model + " model"
            + (takes.isEmpty() ? ", which takes no options of its own"
                : " (it takes " + String.join(", ", new java.util.TreeSet<>(takes)) + ")"));
      }
    }
    return this;
  }

  /** The activation with its settings, as reports show it: {@code relu}, {@code leaky-relu(slope=0.01)}. */
  public String activationDescription() {
    if (activation == null || activationSettings.isEmpty()) {
      return activation;
    }
    StringJoiner settings = new StringJoiner(", ", activation + "(", ")");
    activationSettings.forEach((k, v) -> settings.add(k + "=" + v));
    return settings.toString();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Options by name; everything unset. */
  public static final class Builder {
    private Integer degree;
    private List<Integer> hidden;
    private List<Double> dropout;
    private String activation;
    private Map<String, Double> activationSettings = new TreeMap<>();
    private String loss;
    private String dataset;
    private List<Integer> classes;
    private Integer limit;
    private Integer resize;
    private String pool;

    public Builder() {}

    Builder(ModelOptions o) {
      degree = o.degree;
      hidden = o.hidden;
      dropout = o.dropout;
      activation = o.activation;
      activationSettings = new TreeMap<>(o.activationSettings);
      loss = o.loss;
      dataset = o.dataset;
      classes = o.classes;
      limit = o.limit;
      resize = o.resize;
      pool = o.pool;
    }

    public Builder degree(Integer v) {
      degree = v;
      return this;
    }

    public Builder hidden(List<Integer> v) {
      hidden = v;
      return this;
    }

    public Builder dropout(List<Double> v) {
      dropout = v;
      return this;
    }

    public Builder activation(String v) {
      activation = v;
      return this;
    }

    /** One of the activation's settings ({@code slope}); null removes it. */
    public Builder activationSetting(String name, Double value) {
      if (value == null) {
        activationSettings.remove(name);
      } else {
        activationSettings.put(name, value);
      }
      return this;
    }

    public Builder loss(String v) {
      loss = v;
      return this;
    }

    public Builder dataset(String v) {
      dataset = v;
      return this;
    }

    public Builder classes(List<Integer> v) {
      classes = v;
      return this;
    }

    public Builder limit(Integer v) {
      limit = v;
      return this;
    }

    public Builder resize(Integer v) {
      resize = v;
      return this;
    }

    public Builder pool(String v) {
      pool = v;
      return this;
    }

    public ModelOptions build() {
      return new ModelOptions(degree, hidden, dropout, activation, activationSettings, loss,
          dataset, classes, limit, resize, pool);
    }
  }
}
