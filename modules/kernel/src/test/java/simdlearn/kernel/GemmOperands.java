package simdlearn.kernel;

import java.util.Random;

/**
 * Random operands of a product {@code op(A) op(B) + C} with 0-2 floats of padding per row,
 * meant to be passed from offsets 1, 2 and 3 (each array has that many floats to spare), so a
 * kernel that ignores a leading dimension or an offset fails.
 */
record GemmOperands(int lda, int ldb, int ldc, float[] a, float[] b, float[] c0) {
  static GemmOperands random(Random r, boolean ta, boolean tb, int m, int n, int k) {
    int lda = (ta ? m : k) + r.nextInt(3);
    int ldb = (tb ? k : n) + r.nextInt(3);
    int ldc = n + r.nextInt(3);
    return new GemmOperands(lda, ldb, ldc, KernelAgreementTest.random(r, (ta ? k : m) * lda, 1),
        KernelAgreementTest.random(r, (tb ? n : k) * ldb, 2),
        KernelAgreementTest.random(r, m * ldc, 3));
  }

  /** 1 half the time (the kernels' common case), else a random factor in [-1, 1). */
  static float alpha(Random r) {
    return r.nextBoolean() ? 1f : r.nextFloat() * 2 - 1;
  }

  /** 0 (C ignored, even NaN), 1 (accumulate) or a random factor, a third of the time each. */
  static float beta(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> 0f;
      case 1 -> 1f;
      default -> r.nextFloat() * 2 - 1;
    };
  }
}
