package simdlearn.nn;

import java.util.Locale;

/**
 * What a layer is, without its parameters: the architecture entry of a model file.
 *
 * @param type {@code linear}, {@code relu}, {@code sigmoid}, {@code tanh} or {@code dropout}
 * @param inputs floats per input row
 * @param outputs floats per output row (equal to inputs except for linear)
 * @param bias whether a linear layer has a bias (null for other types)
 * @param p a dropout layer's drop probability (null for other types)
 */
public record LayerSpec(String type, int inputs, int outputs, Boolean bias, Double p) {
  public LayerSpec {
    type = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (inputs <= 0 || outputs <= 0) {
      throw new IllegalArgumentException(type + " layer: sizes must be > 0, got " + inputs + " -> "
          + outputs);
    }
    switch (type) {
      case "linear" -> {
        if (bias == null) {
          throw new IllegalArgumentException("linear layer: 'bias' must be given");
        }
      }
      case "relu", "sigmoid", "tanh" -> requireSameWidth(type, inputs, outputs);
      case "dropout" -> {
        requireSameWidth(type, inputs, outputs);
        if (p == null || !(p >= 0 && p < 1)) {
          throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
      }
      default -> throw new IllegalArgumentException("unknown layer type '" + type
          + "': linear, relu, sigmoid, tanh or dropout");
    }
  }

  private static void requireSameWidth(String type, int inputs, int outputs) {
    if (inputs != outputs) {
      throw new IllegalArgumentException(type + " layer: " + inputs + " inputs but " + outputs
          + " outputs");
    }
  }

  public static LayerSpec linear(int inputs, int outputs, boolean bias) {
    return new LayerSpec("linear", inputs, outputs, bias, null);
  }

  public static LayerSpec activation(String type, int width) {
    return new LayerSpec(type, width, width, null, null);
  }

  public static LayerSpec dropout(int width, double p) {
    return new LayerSpec("dropout", width, width, null, p);
  }

  /** A new layer of this kind, parameters zero; {@code salt} tells two dropout layers apart. */
  public Layer toLayer(int salt) {
    return switch (type) {
      case "linear" -> new Linear(inputs, outputs, bias);
      case "relu" -> new ReLU(inputs);
      case "sigmoid" -> new Sigmoid(inputs);
      case "tanh" -> new Tanh(inputs);
      case "dropout" -> new Dropout(inputs, p.floatValue(), salt);
      default -> throw new IllegalStateException(type);
    };
  }

  /** {@code linear(784->256)}, {@code relu}, {@code dropout(0.2)}. */
  @Override
  public String toString() {
    return switch (type) {
      case "linear" -> "linear(" + inputs + "->" + outputs + (bias ? "" : ", no bias") + ")";
      case "dropout" -> "dropout(" + p + ")";
      default -> type;
    };
  }
}
