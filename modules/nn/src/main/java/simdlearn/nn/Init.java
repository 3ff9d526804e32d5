package simdlearn.nn;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How a linear layer's weights start (biases always start at 0). Every scheme draws from the
 * generator it is given, so a network is a function of its seed: {@link Sequential.Builder#build}
 * uses one generator for all layers, in layer order.
 */
public sealed interface Init {
  /**
   * Fills the weights {@code w[off .. off + count)} of a layer with the given fan-in and fan-out
   * (a linear layer: inputs and outputs, {@code count = fanIn * fanOut}; a convolution: input
   * and output channels times the kernel's area, as PyTorch counts them).
   *
   * @param fanIn inputs of the layer
   * @param fanOut outputs of the layer
   */
  void fill(float[] w, int off, int count, int fanIn, int fanOut, SplittableRandom rng);

  /** The name used on the command line and in reports. */
  String id();

  /** N(0, std^2), d2l's {@code normal(0, 0.01)}. */
  record Normal(double std) implements Init {
    public Normal {
      if (!(std >= 0) || Double.isInfinite(std)) {
        throw new IllegalArgumentException("init std must be finite and >= 0, got " + std);
      }
    }

    @Override
    public void fill(float[] w, int off, int count, int fanIn, int fanOut,
        SplittableRandom rng) {
      gaussian(w, off, count, std, rng);
    }

    @Override
    public String id() {
      return "normal";
    }
  }

  /** All zeros (a symmetric start: hidden units of an MLP then never differ). */
  record Zeros() implements Init {
    @Override
    public void fill(float[] w, int off, int count, int fanIn, int fanOut,
        SplittableRandom rng) {
      java.util.Arrays.fill(w, off, off + count, 0f);
    }

    @Override
    public String id() {
      return "zeros";
    }
  }

  /** Glorot and Bengio (2010), uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). d2l 5.4. */
  record XavierUniform() implements Init {
    @Override
    public void fill(float[] w, int off, int count, int fanIn, int fanOut,
        SplittableRandom rng) {
      double a = Math.sqrt(6.0 / (fanIn + fanOut));
      for (int i = 0; i < count; i++) {
        w[off + i] = (float) ((rng.nextDouble() * 2 - 1) * a);
      }
    }

    @Override
    public String id() {
      return "xavier";
    }
  }

  /** Glorot and Bengio (2010), normal: N(0, 2 / (fanIn + fanOut)). */
  record XavierNormal() implements Init {
    @Override
    public void fill(float[] w, int off, int count, int fanIn, int fanOut,
        SplittableRandom rng) {
      gaussian(w, off, count, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
    }

    @Override
    public String id() {
      return "xavier-normal";
    }
  }

  /**
   * U(-1/sqrt(fanIn), 1/sqrt(fanIn)): PyTorch's default for {@code nn.Linear} (kaiming_uniform_
   * with a = sqrt(5)), which d2l 4.4 keeps.
   */
  record Uniform() implements Init {
    @Override
    public void fill(float[] w, int off, int count, int fanIn, int fanOut,
        SplittableRandom rng) {
      double a = 1 / Math.sqrt(fanIn);
      for (int i = 0; i < count; i++) {
        w[off + i] = (float) ((rng.nextDouble() * 2 - 1) * a);
      }
    }

    @Override
    public String id() {
      return "uniform";
    }
  }

  /** He et al. (2015), for ReLU layers: N(0, 2 / fanIn) (PyTorch's kaiming_normal_, fan_in). */
  record He() implements Init {
    @Override
    public void fill(float[] w, int off, int count, int fanIn, int fanOut,
        SplittableRandom rng) {
      gaussian(w, off, count, Math.sqrt(2.0 / fanIn), rng);
    }

    @Override
    public String id() {
      return "he";
    }
  }

  private static void gaussian(float[] w, int off, int n, double std, SplittableRandom rng) {
    if (std == 0) {
      java.util.Arrays.fill(w, off, off + n, 0f);
      return;
    }
    for (int i = 0; i < n; i++) {
      w[off + i] = (float) (rng.nextGaussian() * std);
    }
  }

  /** d2l's default: N(0, 0.01^2). */
  static Init normal() {
    return new Normal(0.01);
  }

  /**
   * {@code normal} (with {@code std}), {@code zeros}, {@code uniform} (PyTorch's default),
   * {@code xavier} (uniform), {@code xavier-normal} or {@code he}.
   */
  static Init parse(String name, double std) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "normal" -> new Normal(std);
      case "zeros" -> new Zeros();
      case "xavier", "xavier-uniform" -> new XavierUniform();
      case "xavier-normal" -> new XavierNormal();
      case "he", "kaiming" -> new He();
      case "uniform" -> new Uniform();
      default -> throw new IllegalArgumentException("init must be normal, zeros, uniform, xavier,"
          + " xavier-normal or he, got '" + name + "'");
    };
  }
}
