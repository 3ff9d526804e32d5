package simdlearn.nn;

/** What the pooling layers' specs share: their checks and their description. */
final class Pooling {
  private Pooling() {}

  /** PyTorch's rules: positive window and stride, padding at most half the window. */
  static void check(String type, int kh, int kw, int sh, int sw, int ph, int pw) {
    if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0 || 2 * ph > kh
        || 2 * pw > kw) {
      throw new IllegalArgumentException("impossible " + type + ": window " + kh + "x" + kw
          + ", stride " + sh + "x" + sw + ", padding " + ph + "x" + pw + " (padding may be at"
          + " most half the window)");
    }
  }

  /** {@code 2x2} or {@code 3x3, stride 2, pad 1}: the stride when it is not the window. */
  static String describe(int kh, int kw, int sh, int sw, int ph, int pw) {
    return kh + "x" + kw + (sh == kh && sw == kw ? "" : ", stride " + Conv2d.pair(sh, sw))
        + (ph == 0 && pw == 0 ? "" : ", pad " + Conv2d.pair(ph, pw));
  }
}
