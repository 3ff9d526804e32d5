package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#gemmParallel} gives the bits of {@link Kernels#gemm} for any thread count: on
 * products cut by columns and by rows, with tails, transposes, padding, alpha and beta.
 */
class ParallelGemmTest {
  @Test
  void everyThreadCountGivesTheBitsOfOneThread() {
    Random r = new Random(5);
    // m x n x k, each at least 2^24 multiply-adds so the work is really split.
    int[][] shapes = {{300, 256, 260}, {257, 700, 130}, {1000, 40, 700}, {95, 1030, 190},
        {512, 512, 96}};
    for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
      for (int[] s : shapes) {
        for (int t = 0; t < 4; t++) {
          boolean ta = (t & 1) != 0;
          boolean tb = (t & 2) != 0;
          check(k, r, ta, tb, s[0], s[1], s[2]);
        }
      }
    }
  }

  static void check(Kernels k, Random r, boolean ta, boolean tb, int m, int n, int kk) {
    GemmOperands g = GemmOperands.random(r, ta, tb, m, n, kk);
    float alpha = r.nextFloat() * 2 - 1;
    float beta = r.nextBoolean() ? 0f : r.nextFloat();
    float[] one = g.c0().clone();
    k.gemm(ta, tb, m, n, kk, alpha, g.a(), 1, g.lda(), g.b(), 2, g.ldb(), beta, one, 3, g.ldc());
    for (int threads : new int[] {2, 3, 4, 7}) {
      float[] many = g.c0().clone();
      k.gemmParallel(threads, ta, tb, m, n, kk, alpha, g.a(), 1, g.lda(), g.b(), 2, g.ldb(),
          beta, many, 3, g.ldc());
      assertArrayEquals(one, many, k.backend() + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " "
          + m + "x" + n + "x" + kk + " on " + threads + " threads");
    }
  }

  @Test
  void smallProductsAndBadThreadCounts() {
    Kernels k = Kernels.vector();
    float[] a = {1, 2, 3, 4};
    float[] c = new float[4];
    k.gemmParallel(8, false, false, 2, 2, 2, 1f, a, 0, 2, a, 0, 2, 0f, c, 0, 2);
    assertArrayEquals(new float[] {7, 10, 15, 22}, c);
    var e = assertThrows(IllegalArgumentException.class,
        () -> k.gemmParallel(0, false, false, 2, 2, 2, 1f, a, 0, 2, a, 0, 2, 0f, c, 0, 2));
    assertTrue(e.getMessage().contains("threads must be >= 1"), e.getMessage());
  }

  @Test
  void aFailureOnAHelperThreadReachesTheCaller() {
    // C is one row short: the part computing the last rows (a helper's) runs off the array.
    int m = 600;
    int n = 300;
    int kk = 200;
    float[] a = new float[m * kk];
    float[] b = new float[kk * n];
    float[] c = new float[(m - 1) * n];
    for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
      assertThrows(IndexOutOfBoundsException.class,
          () -> k.gemmParallel(2, false, false, m, n, kk, 1f, a, 0, kk, b, 0, n, 0f, c, 0, n));
    }
  }
}
