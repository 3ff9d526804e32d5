package simdlearn.nn;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A kind of layer as model files and command lines name it: its type name and spec record, and
 * for elementwise activations how to make one from named numeric settings (a leaky ReLU's
 * {@code slope}), so that a front end can offer every registered activation without knowing it.
 *
 * @param name the type name in model files ({@link LayerSpec#type()})
 * @param spec the record a model file's architecture entry is read into
 * @param settings for an activation, its settings with their defaults (possibly none); null for
 *     other layers
 * @param activation for an activation, its spec from settings (every key of {@code settings}
 *     present); null for other layers
 */
public record LayerType(String name, Class<? extends LayerSpec> spec, Map<String, Double> settings,
    Function<Map<String, Double>, LayerSpec> activation) {
  public LayerType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    if ((settings == null) != (activation == null)) {
      throw new IllegalArgumentException(name + ": an activation needs settings and a factory");
    }
    settings = settings == null ? null : Map.copyOf(settings);
  }

  /** A layer type that is not an activation. */
  public static LayerType of(String name, Class<? extends LayerSpec> spec) {
    return new LayerType(name, spec, null, null);
  }

  /** An elementwise activation with numeric settings (name to default). */
  public static LayerType activation(String name, Class<? extends LayerSpec> spec,
      Map<String, Double> settings, Function<Map<String, Double>, LayerSpec> make) {
    return new LayerType(name, spec, settings, make);
  }

  public boolean isActivation() {
    return activation != null;
  }
}
