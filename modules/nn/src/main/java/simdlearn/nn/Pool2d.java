package simdlearn.nn;

import simdlearn.kernel.training.Windows;

/**
 * What the pooling layers share: planes in, the same channels out, each plane reduced window by
 * window ({@link AvgPool2d}, {@link MaxPool2d}); no parameters. The checks and descriptions of
 * their specs are here too.
 */
public abstract class Pool2d implements Layer {
  final Shape.Planes input;
  final Shape.Planes output;
  final Windows windows;
  private final LayerSpec spec;

  Pool2d(Shape.Planes input, LayerSpec spec, int kh, int kw, int sh, int sw, int ph, int pw) {
    this.input = input;
    this.spec = spec;
    this.windows = new Windows(input.channels(), input.height(), input.width(), kh, kw, ph, pw,
        sh, sw);
    this.output = new Shape.Planes(input.channels(), windows.outHeight(), windows.outWidth());
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return output;
  }

  @Override
  public String toString() {
    return spec.toString();
  }

  /** PyTorch's rules: positive window and stride, padding at most half the window. */
  static void check(String type, int kh, int kw, int sh, int sw, int ph, int pw) {
    if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0 || 2 * ph > kh
        || 2 * pw > kw) {
      throw new IllegalArgumentException("impossible " + type + ": window " + kh + "x" + kw
          + ", stride " + sh + "x" + sw + ", padding " + ph + "x" + pw + " (padding may be at"
          + " most half the window)");
    }
  }

  /** {@code type(2x2)} or {@code type(3x3, stride 2, pad 1)}: the stride when not the window's. */
  static String describe(String type, int kh, int kw, int sh, int sw, int ph, int pw) {
    return type + "(" + kh + "x" + kw
        + (sh == kh && sw == kw ? "" : ", stride " + Conv2d.pair(sh, sw))
        + (ph == 0 && pw == 0 ? "" : ", pad " + Conv2d.pair(ph, pw)) + ")";
  }
}
