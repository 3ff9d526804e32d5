package simdlearn.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The layer types model files and command lines know, by name: the built-in ones below, and any
 * a program {@linkplain #register registers} before it reads a model file that uses its own.
 */
public final class LayerTypes {
  private static final Map<String, LayerType> TYPES = new LinkedHashMap<>();

  static {
    for (LayerType t : List.of(Linear.TYPE, ReLU.TYPE, LeakyReLU.TYPE, Sigmoid.TYPE, Tanh.TYPE,
        Dropout.TYPE, Flatten.TYPE, Conv2d.TYPE, AvgPool2d.TYPE, MaxPool2d.TYPE,
        BatchNorm.TYPE, GlobalAvgPool2d.TYPE, Residual.TYPE)) {
      TYPES.put(t.name(), t);
    }
  }

  private LayerTypes() {}

  /**
   * Makes {@code type} known to model files (and, for an activation, to the front ends that list
   * activations).
   *
   * @throws IllegalArgumentException if another type has that name
   */
  public static synchronized void register(LayerType type) {
    LayerType known = TYPES.get(type.name());
    if (known != null && !known.equals(type)) {
      throw new IllegalArgumentException("a layer type named '" + type.name() + "' is already"
          + " registered (" + known.spec().getName() + ")");
    }
    TYPES.put(type.name(), type);
  }

  /**
   * The type named {@code name}.
   *
   * @throws IllegalArgumentException naming the known types when there is none
   */
  public static synchronized LayerType get(String name) {
    LayerType t = name == null ? null : TYPES.get(name.toLowerCase(Locale.ROOT));
    if (t == null) {
      throw new IllegalArgumentException("unknown layer type '" + name + "': "
          + String.join(", ", TYPES.keySet()));
    }
    return t;
  }

  /** The names of the registered activations, in registration order. */
  public static synchronized List<String> activations() {
    return TYPES.values().stream().filter(LayerType::isActivation).map(LayerType::name).toList();
  }

  /** Every setting name any registered activation takes (for front ends to offer). */
  public static synchronized List<String> activationSettings() {
    TreeSet<String> names = new TreeSet<>();
    for (LayerType t : TYPES.values()) {
      if (t.isActivation()) {
        names.addAll(t.settings().keySet());
      }
    }
    return new ArrayList<>(names);
  }

  /**
   * The activation {@code name} with {@code given} settings (the others at their defaults).
   *
   * @throws IllegalArgumentException if {@code name} is no activation, or a setting is not one
   *     of its own
   */
  public static LayerSpec activation(String name, Map<String, Double> given) {
    LayerType t;
    synchronized (LayerTypes.class) {
      t = name == null ? null : TYPES.get(name.toLowerCase(Locale.ROOT));
    }
    if (t == null || !t.isActivation()) {
      throw new IllegalArgumentException("activation must be one of "
          + String.join(", ", activations()) + ", got '" + name + "'");
    }
    Map<String, Double> settings = new HashMap<>(t.settings());
    for (var e : given.entrySet()) {
      if (!settings.containsKey(e.getKey())) {
        throw new IllegalArgumentException(e.getKey() + " is not a setting of " + t.name()
            + (t.settings().isEmpty() ? ", which has none"
                : " (it takes " + String.join(", ", new TreeSet<>(t.settings().keySet())) + ")"));
      }
      settings.put(e.getKey(), e.getValue());
    }
    return t.activation().apply(settings);
  }
}
