package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Property tests: the vector kernels agree with the scalar reference on random data of every
 * awkward length (0, below one vector, each tail length, the training sizes).
 *
 * <p>Tolerance: a float sum of n terms computed in any order differs from the exact sum by at most
 * {@code (n - 1) * u * sum|terms|} with {@code u = 2^-24} (Higham, Accuracy and Stability of
 * Numerical Algorithms, 2nd ed., eq. 4.4). Vector and scalar each carry such an error, so they may
 * differ by up to {@code 2 * n * u * sum|terms|}; we assert exactly that bound (plus a tiny
 * absolute slack), so the test is tight yet never flaky. Elementwise kernels must agree to 1 ulp
 * (they differ only in FMA contraction), exp-based ones to a few ulp of SVML's accuracy.
 */
class KernelAgreementTest {
  static final TrainingKernels V = TrainingKernels.vector();
  static final TrainingKernels S = TrainingKernels.scalar();
  static final int L = FloatVector.SPECIES_PREFERRED.length();
  static final double U = Math.scalb(1.0, -24);

  static IntStream lengths() {
    return IntStream.of(0, 1, 2, 3, L - 1, L, L + 1, 2 * L - 1, 2 * L, 2 * L + 1, 3 * L + 5,
        4 * L - 1, 4 * L, 4 * L + 1, 5 * L + 7, 10, 100, 784, 1021, 4099).filter(n -> n >= 0)
        .distinct();
  }

  static float[] random(Random r, int n, int pad) {
    float[] x = new float[n + pad];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 2f - 1f;
    }
    return x;
  }

  static double sumAbsProducts(int n, float[] x, int xo, float[] y, int yo) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs((double) x[xo + i] * y[yo + i]);
    }
    return s;
  }

  static void assertClose(double expected, double actual, double tol, String what) {
    assertTrue(Math.abs(expected - actual) <= tol,
        () -> what + ": scalar " + expected + " vs vector " + actual + " differ by "
            + Math.abs(expected - actual) + " > tolerance " + tol);
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void reductionsAgree(int n) {
    Random r = new Random(n);
    // Many repetitions so C2 compiles the vector code under test, not just the interpreter.
    for (int rep = 0; rep < 300; rep++) {
      int off = rep % 3;
      float[] x = random(r, n, off);
      float[] y = random(r, n, off);
      double tolDot = 2 * (n + 1) * U * sumAbsProducts(n, x, off, y, off) + 1e-30;
      assertClose(S.dot(n, x, off, y, off), V.dot(n, x, off, y, off), tolDot, "dot n=" + n);
      double sumAbs = 0;
      for (int i = 0; i < n; i++) {
        sumAbs += Math.abs(x[off + i]);
      }
      assertClose(S.sum(n, x, off), V.sum(n, x, off), 2 * (n + 1) * U * sumAbs + 1e-30,
          "sum n=" + n);
      assertEquals(S.max(n, x, off), V.max(n, x, off), "max n=" + n);
      assertEquals(S.min(n, x, off), V.min(n, x, off), "min n=" + n);
      assertEquals(S.argmax(n, x, off), V.argmax(n, x, off), "argmax n=" + n);
    }
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void elementwiseAgree(int n) {
    Random r = new Random(31L * n + 7);
    for (int rep = 0; rep < 200; rep++) {
      int off = rep % 2;
      float[] x = random(r, n, off);
      float[] y = random(r, n, off);
      float alpha = r.nextFloat() * 4 - 2;
      float beta = r.nextFloat() * 4 - 2;

      float[] ys = y.clone();
      float[] yv = y.clone();
      S.axpy(n, alpha, x, off, ys, off);
      V.axpy(n, alpha, x, off, yv, off);
      assertUlps(ys, yv, 2, "axpy n=" + n);

      ys = y.clone();
      yv = y.clone();
      S.axpby(n, alpha, x, off, beta, ys, off);
      V.axpby(n, alpha, x, off, beta, yv, off);
      assertUlps(ys, yv, 4, "axpby n=" + n);

      float[] xs = x.clone();
      float[] xv = x.clone();
      S.scale(n, alpha, xs, off);
      V.scale(n, alpha, xv, off);
      assertArrayEquals(xs, xv, "scale n=" + n);

      float[] os = new float[n + off];
      float[] ov = new float[n + off];
      S.add(n, x, off, y, off, os, off);
      V.add(n, x, off, y, off, ov, off);
      assertArrayEquals(os, ov, "add n=" + n);
      S.mul(n, x, off, y, off, os, off);
      V.mul(n, x, off, y, off, ov, off);
      assertArrayEquals(os, ov, "mul n=" + n);
      S.sub(n, x, off, y, off, os, off);
      V.sub(n, x, off, y, off, ov, off);
      assertArrayEquals(os, ov, "sub n=" + n);
      S.div(n, x, off, y, off, os, off);
      V.div(n, x, off, y, off, ov, off);
      assertArrayEquals(os, ov, "div n=" + n);

      byte[] bytes = new byte[n + off];
      r.nextBytes(bytes);
      S.bytesToFloats(n, bytes, off, 1f / 255f, os, off);
      V.bytesToFloats(n, bytes, off, 1f / 255f, ov, off);
      assertArrayEquals(os, ov, "bytesToFloats n=" + n);
    }
  }

  @Test
  void gatherAgreesOnEveryRowCountAndWidth() {
    Random r = new Random(9);
    for (int rows : new int[] {0, 1, 3, 4, 5, 8, 13}) {
      for (int cols : new int[] {1, L - 1, L, L + 3, 784}) {
        byte[] src = new byte[50 * cols];
        r.nextBytes(src);
        int[] index = new int[rows + 2];
        for (int i = 0; i < index.length; i++) {
          index[i] = r.nextInt(50);
        }
        float[] s = new float[rows * cols + 1];
        float[] v = new float[rows * cols + 1];
        S.gatherBytesToFloats(rows, cols, src, index, 2, 1f / 255f, s, 1);
        V.gatherBytesToFloats(rows, cols, src, index, 2, 1f / 255f, v, 1);
        assertArrayEquals(s, v, "gather " + rows + "x" + cols);
        for (int j = 0; j < cols && rows > 0; j++) {
          assertEquals((src[index[2] * cols + j] & 0xFF) / 255f, v[1 + j], 1e-7f);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void activationsAgree(int n) {
    Random r = new Random(17L * n + 3);
    for (int rep = 0; rep < 100; rep++) {
      int off = rep % 2;
      float[] x = random(r, n, off);
      for (int i = 0; i < x.length; i++) {
        x[i] *= rep % 3 == 0 ? 0.5f : 12f; // both tanh branches, saturated sigmoids
      }
      float[] os = new float[n + off];
      float[] ov = new float[n + off];
      S.relu(n, x, off, os, off);
      V.relu(n, x, off, ov, off);
      assertArrayEquals(os, ov, "relu n=" + n);
      S.sigmoid(n, x, off, os, off);
      V.sigmoid(n, x, off, ov, off);
      assertRelative(os, ov, 3e-7, 1e-30, "sigmoid n=" + n);
      S.tanh(n, x, off, os, off);
      V.tanh(n, x, off, ov, off);
      assertRelative(os, ov, 4e-7, 1e-30, "tanh n=" + n);
      S.exp(n, x, off, os, off);
      V.exp(n, x, off, ov, off);
      assertRelative(os, ov, 3e-7, 1e-30, "exp n=" + n);

      float[] y = random(r, n, off);
      float[] dy = random(r, n, off);
      S.reluBackward(n, y, off, dy, off, os, off);
      V.reluBackward(n, y, off, dy, off, ov, off);
      assertArrayEquals(os, ov, "reluBackward n=" + n);
      S.sigmoidBackward(n, y, off, dy, off, os, off);
      V.sigmoidBackward(n, y, off, dy, off, ov, off);
      assertArrayEquals(os, ov, "sigmoidBackward n=" + n);
      S.tanhBackward(n, y, off, dy, off, os, off);
      V.tanhBackward(n, y, off, dy, off, ov, off);
      assertArrayEquals(os, ov, "tanhBackward n=" + n);
      float slope = rep % 5 == 0 ? 0f : 0.01f + r.nextFloat();
      S.leakyRelu(n, slope, x, off, os, off);
      V.leakyRelu(n, slope, x, off, ov, off);
      assertArrayEquals(os, ov, "leakyRelu n=" + n);
      S.leakyReluBackward(n, slope, y, off, dy, off, os, off);
      V.leakyReluBackward(n, slope, y, off, dy, off, ov, off);
      assertArrayEquals(os, ov, "leakyReluBackward n=" + n);

      long key = r.nextLong();
      float keep = rep % 4 == 0 ? 1f : 0.1f + 0.8f * r.nextFloat();
      S.dropoutMask(n, key, keep, os, off);
      V.dropoutMask(n, key, keep, ov, off);
      assertArrayEquals(os, ov, "dropoutMask n=" + n + " is the same bits in both");
    }
  }

  @Test
  void activationsInPlaceAndOnSpecialValues() {
    float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
        1e-30f, -1e-30f, 100f, -100f, 0.6249f, 0.6251f, -0.6251f, 44f, -44f, 89f, -89f};
    for (TrainingKernels k : new TrainingKernels[] {S, V}) {
      float[] t = new float[special.length];
      k.tanh(t.length, special, 0, t, 0);
      float[] sg = new float[special.length];
      k.sigmoid(sg.length, special, 0, sg, 0);
      for (int i = 0; i < special.length; i++) {
        double x = special[i];
        String what = k.backend() + " at " + x;
        if (Double.isNaN(x)) {
          assertTrue(Float.isNaN(t[i]) && Float.isNaN(sg[i]), what);
          continue;
        }
        assertEquals(Math.tanh(x), t[i], 2 * Math.ulp((float) Math.tanh(x)) + 1e-45, "tanh " + what);
        double s = 1 / (1 + Math.exp(-x));
        assertEquals(s, sg[i], 2 * Math.ulp((float) s) + 1e-38, "sigmoid " + what);
      }
      float[] inPlace = special.clone();
      k.tanh(inPlace.length, inPlace, 0, inPlace, 0);
      assertArrayEquals(t, inPlace, k.backend() + " tanh in place");
      // Leaky ReLU keeps NaN and -0, scales the negative side, in place as out of place.
      float[] leaky = new float[special.length];
      k.leakyRelu(special.length, 0.25f, special, 0, leaky, 0);
      for (int i = 0; i < special.length; i++) {
        float x = special[i];
        float want = x < 0 ? 0.25f * x : x;
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(leaky[i]),
            k.backend() + " leaky relu at " + x);
      }
      float[] leakyInPlace = special.clone();
      k.leakyRelu(special.length, 0.25f, leakyInPlace, 0, leakyInPlace, 0);
      assertArrayEquals(leaky, leakyInPlace, k.backend() + " leaky relu in place");
    }
  }

  @Test
  void dropoutMasksKeepTheRightShareAndDependOnlyOnTheirKey() {
    int n = 100_000;
    float[] m = new float[n];
    for (float keep : new float[] {0.5f, 0.8f, 0.2f}) {
      V.dropoutMask(n, 42L, keep, m, 0);
      int kept = 0;
      for (float v : m) {
        assertTrue(v == 0f || v == 1f / keep, "only 0 or 1/keep: " + v);
        kept += v != 0f ? 1 : 0;
      }
      double share = (double) kept / n;
      // Binomial: 5 standard deviations of n draws.
      assertEquals(keep, share, 5 * Math.sqrt(keep * (1 - keep) / n), "keep " + keep);
    }
    float[] a = new float[1000];
    float[] b = new float[1000];
    V.dropoutMask(1000, 7L, 0.5f, a, 0);
    V.dropoutMask(1000, 7L, 0.5f, b, 0);
    assertArrayEquals(a, b, "same key, same mask");
    V.dropoutMask(1000, 8L, 0.5f, b, 0);
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    assertTrue(same > 400 && same < 600, "neighbouring keys give independent masks: " + same);
    float[] shifted = new float[1001];
    V.dropoutMask(1000, 7L, 0.5f, shifted, 1);
    for (int i = 0; i < 1000; i++) {
      assertEquals(a[i], shifted[1 + i], "a mask does not depend on where it is written");
    }
  }

  static void assertRelative(float[] expected, float[] actual, double rel, double abs,
      String what) {
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.abs(expected[i]) + abs;
      if (Float.isNaN(expected[i])) {
        assertTrue(Float.isNaN(actual[i]), what + " at " + i);
        continue;
      }
      assertEquals(expected[i], actual[i], tol, what + " at " + i);
    }
  }

  /** Elementwise results may differ only by FMA contraction: a few ulps of the larger operand. */
  static void assertUlps(float[] expected, float[] actual, int ulps, String what) {
    for (int i = 0; i < expected.length; i++) {
      float tol = ulps * Math.ulp(Math.max(1f, Math.abs(expected[i])));
      assertEquals(expected[i], actual[i], tol, what + " at " + i);
    }
  }

  @Test
  void rowKernelsAgreeOnRandomShapes() {
    Random r = new Random(42);
    for (int rep = 0; rep < 400; rep++) {
      int m = r.nextInt(9);
      int n = rep < 40 ? 1 + rep : 1 + r.nextInt(3 * L + 3);
      float[] a = random(r, m * n, 1);
      for (int i = 0; i < a.length; i++) {
        a[i] *= 30f; // logits of realistic spread
      }
      float[] bias = random(r, n, 0);

      float[] as = a.clone();
      float[] av = a.clone();
      S.addRowVector(m, n, bias, 0, as, 1);
      V.addRowVector(m, n, bias, 0, av, 1);
      assertArrayEquals(as, av, "addRowVector");

      float[] cs = random(r, n, 0);
      float[] cv = cs.clone();
      S.addColumnSums(m, n, a, 1, cs, 0);
      V.addColumnSums(m, n, a, 1, cv, 0);
      assertArrayEquals(cs, cv, "addColumnSums"); // same order of additions per column

      int[] is = new int[m];
      int[] iv = new int[m];
      S.argmaxRows(m, n, a, 1, is, 0);
      V.argmaxRows(m, n, a, 1, iv, 0);
      assertArrayEquals(is, iv, "argmaxRows");

      float[] ps = new float[m * n];
      float[] pv = new float[m * n];
      float[] ls = new float[m];
      float[] lv = new float[m];
      S.softmaxRows(m, n, a, 1, ps, 0, ls, 0);
      V.softmaxRows(m, n, a, 1, pv, 0, lv, 0);
      for (int i = 0; i < ps.length; i++) {
        // exp is accurate to ~1 ulp in both; the normaliser adds n ulps of relative error.
        assertEquals(ps[i], pv[i], 4e-7f * (n + 4) * Math.max(ps[i], 1e-30f) + 1e-7f,
            "softmax " + m + "x" + n + " at " + i);
      }
      for (int i = 0; i < m; i++) {
        assertEquals(ls[i], lv[i], 1e-6f * Math.max(1f, Math.abs(ls[i])), "softmax lse");
      }
      float[] es = new float[m];
      float[] ev = new float[m];
      S.logSumExpRows(m, n, a, 1, es, 0);
      V.logSumExpRows(m, n, a, 1, ev, 0);
      for (int i = 0; i < m; i++) {
        assertEquals(es[i], ev[i], 1e-6f * Math.max(1f, Math.abs(es[i])), "logSumExp");
        assertEquals(ls[i], es[i], 1e-6f * Math.max(1f, Math.abs(es[i])), "lse vs softmax lse");
      }
    }
  }

  @Test
  void gemmAgreesOnRandomShapesAndTransposes() {
    Random r = new Random(7);
    for (int rep = 0; rep < 600; rep++) {
      boolean big = rep % 50 == 0; // exercise the packed, cache-blocked path now and then
      int m = big ? 130 + r.nextInt(40) : 1 + r.nextInt(13);
      int n = big ? 130 + r.nextInt(70) : 1 + r.nextInt(3 * L + 5);
      int k = big ? 256 + r.nextInt(150) : r.nextInt(2 * L + 40);
      checkGemm(r, r.nextBoolean(), r.nextBoolean(), m, n, k);
    }
    // Wide products, where row blocks of A are packed too (row-major and transposed), and a
    // depth beyond one packed slab of B (2048): every path of the packed GEMM.
    checkGemm(r, false, false, 37, 420, 300);
    checkGemm(r, true, false, 40, 300, 270);
    checkGemm(r, false, true, 13, 530, 2100);
    checkGemm(r, true, true, 25, 400, 2050);
    // A narrow C (below one vector) with a tall transposed A, and B transposed too: this took
    // the path for an untransposed B and read past B's end.
    checkGemm(r, true, true, 17, 12, 27);
    checkGemm(r, true, true, 40, 3, 100);
    // The training shapes: forward 256x784 * (10x784)^T, backward (256x10)^T * 256x784.
    checkGemm(r, false, true, 256, 10, 784);
    checkGemm(r, true, false, 10, 784, 256);
    checkGemm(r, false, false, 256, 10, 784);
    checkGemm(r, true, false, 784, 10, 256);
  }

  @Test
  void gatheredGemmsAgreeOnRandomShapes() {
    Random r = new Random(11);
    for (int rep = 0; rep < 300; rep++) {
      checkGathered(r, r.nextInt(9), 1 + r.nextInt(23), r.nextInt(3 * L + 9));
    }
    // The training shapes: a shard of 128 rows (and the last batch's 96), 10 classes, 784 pixels.
    checkGathered(r, 128, 10, 784);
    checkGathered(r, 96, 10, 784);
    checkGathered(r, 7, 3, 2 * L);
  }

  /** Vector and scalar gathered GEMMs against the error bound of a k-term (or m-term) sum. */
  static void checkGathered(Random r, int m, int n, int k) {
    int examples = m + 5;
    byte[] x = new byte[examples * k];
    r.nextBytes(x);
    int[] rows = new int[m + 2];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = r.nextInt(examples);
    }
    float scale = 1f / 255f;
    int ldb = k + r.nextInt(3);
    float[] w = random(r, n * ldb, 1);
    int ldc = n + r.nextInt(3);
    float[] cs = random(r, m * ldc + 1, 0);
    float[] cv = cs.clone();
    S.gemmGatheredNT(m, n, k, x, rows, 2, scale, w, 1, ldb, cs, 1, ldc);
    V.gemmGatheredNT(m, n, k, x, rows, 2, scale, w, 1, ldb, cv, 1, ldc);
    String shape = " m=" + m + " n=" + n + " k=" + k;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sumAbs = 0;
        for (int p = 0; p < k; p++) {
          sumAbs += Math.abs((x[rows[2 + i] * k + p] & 0xFF) * (double) w[1 + j * ldb + p]);
        }
        assertClose(cs[1 + i * ldc + j], cv[1 + i * ldc + j],
            2 * (k + 2) * U * scale * sumAbs + 1e-30, "gatheredNT" + shape + " C[" + i + "," + j + "]");
      }
    }
    int lda = n + r.nextInt(3);
    float[] g = random(r, m * lda, 1);
    int ldd = k + r.nextInt(3);
    float[] ds = random(r, n * ldd + 2, 0);
    float[] dv = ds.clone();
    S.gemmTNGathered(m, n, k, g, 1, lda, x, rows, 2, scale, ds, 2, ldd);
    V.gemmTNGathered(m, n, k, g, 1, lda, x, rows, 2, scale, dv, 2, ldd);
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < k; p++) {
        double sumAbs = 0;
        for (int q = 0; q < m; q++) {
          sumAbs += Math.abs(g[1 + q * lda + i] * (double) (x[rows[2 + q] * k + p] & 0xFF));
        }
        assertClose(ds[2 + i * ldd + p], dv[2 + i * ldd + p],
            2 * (m + 2) * U * scale * sumAbs + 1e-30, "TNGathered" + shape + " C[" + i + "," + p + "]");
      }
    }
  }

  @Test
  void gatheredGemmRowsDoNotDependOnTheirNeighbours() {
    // Each output is one fixed sequence of operations, whatever rows or outputs share its pass:
    // a shard's results do not depend on how the batch around it was cut.
    Random r = new Random(5);
    int m = 9;
    int n = 13;
    int k = 3 * L + 3;
    byte[] x = new byte[m * k];
    r.nextBytes(x);
    int[] rows = {8, 3, 0, 5, 1, 7, 2, 6, 4};
    float[] w = random(r, n * k, 0);
    float[] all = new float[m * n];
    V.gemmGatheredNT(m, n, k, x, rows, 0, 0.5f, w, 0, k, all, 0, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float[] one = new float[1];
        V.gemmGatheredNT(1, 1, k, x, rows, i, 0.5f, w, j * k, k, one, 0, 1);
        assertEquals(all[i * n + j], one[0], "row " + i + " output " + j);
      }
    }
    float[] g = random(r, m * n, 0);
    float[] grad = new float[n * k];
    V.gemmTNGathered(m, n, k, g, 0, n, x, rows, 0, 0.5f, grad, 0, k);
    for (int i = 0; i < n; i++) {
      float[] one = new float[k];
      V.gemmTNGathered(m, 1, k, g, i, n, x, rows, 0, 0.5f, one, 0, k);
      for (int p = 0; p < k; p++) {
        assertEquals(grad[i * k + p], one[p], "output " + i + " column " + p);
      }
    }
  }

  @Test
  void rowDotsAgreeAndDoNotDependOnTheirNeighbours() {
    Random r = new Random(29);
    int[] depths = {1, L - 1, L, L + 3, 4 * L + 1, 100, 784};
    for (int trial = 0; trial < 70; trial++) {
      int m = 1 + r.nextInt(13);
      int n = 1 + r.nextInt(11);
      int k = depths[trial % depths.length];
      int segments = 1 + r.nextInt(3);
      int lda = k + r.nextInt(3);
      int ldb = k + r.nextInt(3);
      int aStride = m * lda + r.nextInt(5);
      int bStride = n * ldb + r.nextInt(5);
      int ldc = n + r.nextInt(3);
      // The arrays end where the last row does: a masked tail must not read past them.
      float[] a = random(r, 2 + (segments - 1) * aStride + (m - 1) * lda + k, 0);
      float[] b = random(r, 1 + (segments - 1) * bStride + (n - 1) * ldb + k, 0);
      float[] cs = random(r, m * ldc, 3);
      float[] cv = cs.clone();
      S.addRowDots(m, n, k, segments, a, 2, lda, aStride, b, 1, ldb, bStride, cs, 3, ldc);
      V.addRowDots(m, n, k, segments, a, 2, lda, aStride, b, 1, ldb, bStride, cv, 3, ldc);
      String shape = m + "x" + n + " k=" + k + " segments=" + segments;
      float[] blocked = new float[m * n];
      V.addRowDots(m, n, k, segments, a, 2, lda, aStride, b, 1, ldb, bStride, blocked, 0, n);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = 3 + i * ldc + j;
          double abs = 0;
          for (int s = 0; s < segments; s++) {
            abs += sumAbsProducts(k, a, 2 + s * aStride + i * lda, b, 1 + s * bStride + j * ldb);
          }
          double tol = 2 * (segments * k + 2) * U * (abs + 1);
          assertClose(cs[at], cv[at], tol, shape + " C[" + i + "," + j + "]");
          // One element at a time gives the bits of the blocked call.
          float[] one = {0f};
          V.addRowDots(1, 1, k, segments, a, 2 + i * lda, lda, aStride, b, 1 + j * ldb, ldb,
              bStride, one, 0, 1);
          assertEquals(blocked[i * n + j], one[0], shape + " alone C[" + i + "," + j + "]");
        }
      }
    }
  }

  @Test
  void shiftedGemmGivesTheScalarBitsOnAwkwardShapes() {
    Random r = new Random(31);
    int[] widths = {1, L - 1, L, L + 1, 2 * L, 2 * L + 3, 3 * L + 5, 136, 892};
    for (int trial = 0; trial < 90; trial++) {
      int m = 1 + r.nextInt(13);
      int n = widths[trial % widths.length];
      int k = 1 + r.nextInt(60);
      int lda = k + r.nextInt(3);
      int ldc = n + r.nextInt(3);
      int[] shifts = randomOffsets(r, k, 40);
      int span = Arrays.stream(shifts).max().orElse(0);
      // x ends where the farthest row does: the masked tail must not read past it.
      float[] x = random(r, 3 + span + n, 0);
      float[] a = random(r, 1 + (m - 1) * lda + k, 0);
      float[] cs = random(r, 2 + m * ldc, 3);
      float[] cv = cs.clone();
      S.gemmShifted(m, n, k, a, 1, lda, shifts, x, 3, cs, 2, ldc);
      V.gemmShifted(m, n, k, a, 1, lda, shifts, x, 3, cv, 2, ldc);
      assertArrayEquals(cs, cv, m + "x" + n + " k=" + k);
    }
  }

  /**
   * Planes of rows give the vector kernel the scalar bits, and each element is the shifted
   * product's at that row's positions plus the bias (nothing added without one: -0 stays -0).
   */
  @Test
  void shiftedGemmIntoPlanesGivesTheProductsBitsPlusTheBias() {
    Random r = new Random(41);
    int[] widths = {1, L - 1, L, L + 1, 2 * L + 3, 3 * L + 4, 28};
    for (int trial = 0; trial < 70; trial++) {
      int m = 1 + r.nextInt(13);
      int rows = 1 + r.nextInt(5);
      int width = widths[trial % widths.length];
      int rowStride = width + r.nextInt(5);
      int k = 1 + r.nextInt(30);
      int lda = k + r.nextInt(3);
      int ldc = rows * width + r.nextInt(3);
      int[] shifts = randomOffsets(r, k, 40);
      int span = Arrays.stream(shifts).max().orElse(0);
      float[] x = random(r, 3 + (rows - 1) * rowStride + span + width, 0);
      float[] a = random(r, 1 + (m - 1) * lda + k, 0);
      float[] bias = trial % 3 == 0 ? null : random(r, 2 + m, 0);
      float[] cs = random(r, 2 + m * ldc, 3);
      float[] cv = cs.clone();
      S.gemmShiftedPlanes(m, rows, width, rowStride, k, a, 1, lda, shifts, x, 3, bias, 2, cs, 2,
          ldc);
      V.gemmShiftedPlanes(m, rows, width, rowStride, k, a, 1, lda, shifts, x, 3, bias, 2, cv, 2,
          ldc);
      String shape = m + "x" + rows + "x" + width + " k=" + k;
      assertArrayEquals(cs, cv, shape);
      float[] row = new float[m * width];
      for (int y = 0; y < rows; y++) {
        S.gemmShifted(m, width, k, a, 1, lda, shifts, x, 3 + y * rowStride, row, 0, width);
        for (int i = 0; i < m; i++) {
          for (int p = 0; p < width; p++) {
            float want = bias == null ? row[i * width + p] : row[i * width + p] + bias[2 + i];
            assertEquals(Float.floatToRawIntBits(want),
                Float.floatToRawIntBits(cv[2 + i * ldc + y * width + p]), shape + " at " + p);
          }
        }
      }
    }
  }

  @Test
  void shiftedDotsAgreeAndDoNotDependOnTheirNeighbours() {
    Random r = new Random(37);
    int[] depths = {1, L - 1, L, L + 3, 4 * L + 1, 136};
    for (int trial = 0; trial < 60; trial++) {
      int m = 1 + r.nextInt(13);
      int n = 1 + r.nextInt(11);
      int k = depths[trial % depths.length];
      int segments = 1 + r.nextInt(3);
      int lda = k + r.nextInt(3);
      int aStride = m * lda + r.nextInt(5);
      int[] shifts = randomOffsets(r, n, 30);
      int span = Arrays.stream(shifts).max().orElse(0);
      int bStride = span + k + r.nextInt(5);
      int ldc = n + r.nextInt(3);
      float[] a = random(r, 2 + (segments - 1) * aStride + (m - 1) * lda + k, 0);
      float[] b = random(r, 1 + (segments - 1) * bStride + span + k, 0);
      float[] cs = random(r, m * ldc, 3);
      float[] cv = cs.clone();
      S.addShiftedDots(m, n, k, segments, a, 2, lda, aStride, b, 1, shifts, bStride, cs, 3, ldc);
      V.addShiftedDots(m, n, k, segments, a, 2, lda, aStride, b, 1, shifts, bStride, cv, 3, ldc);
      String shape = m + "x" + n + " k=" + k + " segments=" + segments;
      float[] blocked = new float[m * n];
      V.addShiftedDots(m, n, k, segments, a, 2, lda, aStride, b, 1, shifts, bStride, blocked, 0,
          n);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = 3 + i * ldc + j;
          double abs = 0;
          for (int s = 0; s < segments; s++) {
            abs += sumAbsProducts(k, a, 2 + s * aStride + i * lda, b,
                1 + s * bStride + shifts[j]);
          }
          double tol = 2 * (segments * k + 2) * U * (abs + 1);
          assertClose(cs[at], cv[at], tol, shape + " C[" + i + "," + j + "]");
          float[] one = {0f};
          V.addShiftedDots(1, 1, k, segments, a, 2 + i * lda, lda, aStride, b, 1,
              new int[] {shifts[j]}, bStride, one, 0, 1);
          assertEquals(blocked[i * n + j], one[0], shape + " alone C[" + i + "," + j + "]");
        }
      }
    }
  }

  @Test
  void shiftedDotsOfPlanesAreTheShiftedDotsOfTheirRows() {
    Random r = new Random(43);
    for (int trial = 0; trial < 60; trial++) {
      int m = 1 + r.nextInt(13);
      int n = 1 + r.nextInt(11);
      int rows = 1 + r.nextInt(trial % 3 == 0 ? 2 : 9);
      int width = 1 + r.nextInt(trial % 4 == 0 ? L - 1 : 3 * L);
      int rowWidth = width + r.nextInt(5);
      int k = (rows - 1) * rowWidth + width;
      int segments = 1 + r.nextInt(3);
      int plane = rows * width;
      int aStride = m * plane + r.nextInt(5);
      int[] shifts = randomOffsets(r, n, 30);
      int span = Arrays.stream(shifts).max().orElse(0);
      int bStride = span + k + r.nextInt(5);
      int ldc = n + r.nextInt(3);
      float[] a = random(r, 2 + (segments - 1) * aStride + m * plane, 0);
      float[] b = random(r, 1 + (segments - 1) * bStride + span + k, 0);
      // The planes laid out in rows of rowWidth, zeros past each row's width.
      float[] laid = new float[segments * m * k];
      for (int s = 0; s < segments; s++) {
        for (int i = 0; i < m; i++) {
          for (int y = 0; y < rows; y++) {
            System.arraycopy(a, 2 + s * aStride + i * plane + y * width, laid,
                (s * m + i) * k + y * rowWidth, width);
          }
        }
      }
      float[] c0 = random(r, m * ldc, 3);
      String shape = m + "x" + n + " " + rows + "x" + width + " in rows of " + rowWidth
          + " segments=" + segments;
      for (TrainingKernels kernels : List.of(S, V)) {
        float[] want = c0.clone();
        float[] got = c0.clone();
        kernels.addShiftedDots(m, n, k, segments, laid, 0, k, m * k, b, 1, shifts, bStride, want,
            3, ldc);
        kernels.addShiftedDotsOfPlanes(m, n, rows, width, rowWidth, segments, a, 2, aStride, b,
            1, shifts, bStride, got, 3, ldc);
        assertArrayEquals(want, got, shape + ", " + kernels.description());
      }
    }
  }

  @Test
  void windowProductsGiveTheScalarBitsOnAwkwardShapes() {
    Random r = new Random(41);
    int[] channels = {1, 3, L - 1, L, L + 1, 2 * L, 2 * L + 3, 16, 19, 4 * L};
    for (int trial = 0; trial < 80; trial++) {
      int n = 1 + r.nextInt(trial % 4 == 0 ? 5 : 40);
      int m = channels[trial % channels.length];
      int k = 1 + r.nextInt(50);
      int segments = 1 + r.nextInt(3);
      int[] origins = randomOffsets(r, n, 30);
      int span = Arrays.stream(origins).max().orElse(0);
      int[] shifts = randomOffsets(r, k, 25);
      int shiftSpan = Arrays.stream(shifts).max().orElse(0);
      int xStride = span + shiftSpan + 1 + r.nextInt(4);
      float[] x = random(r, 2 + segments * xStride, 0);
      int ldb = m + r.nextInt(3);
      // B and G end where their last row does: a masked column tail must not read past them.
      float[] b = random(r, 1 + (k - 1) * ldb + m, 0);
      int ldc = m + r.nextInt(3);
      float[] cs = random(r, 3 + n * ldc, 3);
      float[] cv = cs.clone();
      S.gemmWindows(n, m, k, x, 2, origins, shifts, b, 1, ldb, cs, 3, ldc);
      V.gemmWindows(n, m, k, x, 2, origins, shifts, b, 1, ldb, cv, 3, ldc);
      String shape = n + "x" + m + " k=" + k;
      assertArrayEquals(cs, cv, "windows times B " + shape);

      int ldg = m + r.nextInt(3);
      int gStride = n * ldg + r.nextInt(3);
      float[] g = random(r, 1 + (segments - 1) * gStride + (n - 1) * ldg + m, 0);
      float[] ts = random(r, 3 + k * ldc, 3);
      float[] tv = ts.clone();
      S.addWindowsTGemm(k, m, n, segments, x, 2, xStride, origins, shifts, g, 1, ldg, gStride,
          ts, 3, ldc);
      V.addWindowsTGemm(k, m, n, segments, x, 2, xStride, origins, shifts, g, 1, ldg, gStride,
          tv, 3, ldc);
      assertArrayEquals(ts, tv, "windows^T times G " + shape + " segments=" + segments);
    }
  }

  static void checkGemm(Random r, boolean ta, boolean tb, int m, int n, int k) {
    GemmOperands g = GemmOperands.random(r, ta, tb, m, n, k);
    float alpha = GemmOperands.alpha(r);
    float beta = GemmOperands.beta(r);
    float[] cs = g.c0().clone();
    float[] cv = g.c0().clone();
    S.gemm(ta, tb, m, n, k, alpha, g.a(), 1, g.lda(), g.b(), 2, g.ldb(), beta, cs, 3, g.ldc());
    V.gemm(ta, tb, m, n, k, alpha, g.a(), 1, g.lda(), g.b(), 2, g.ldb(), beta, cv, 3, g.ldc());
    String shape = (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sumAbs = 0;
        for (int p = 0; p < k; p++) {
          float av = ta ? g.a()[1 + p * g.lda() + i] : g.a()[1 + i * g.lda() + p];
          float bv = tb ? g.b()[2 + j * g.ldb() + p] : g.b()[2 + p * g.ldb() + j];
          sumAbs += Math.abs((double) av * bv);
        }
        double tol = 2 * (k + 2) * U
            * (Math.abs(alpha) * sumAbs + Math.abs(beta * g.c0()[3 + i * g.ldc() + j]))
            + 1e-30;
        int idx = 3 + i * g.ldc() + j;
        assertClose(cs[idx], cv[idx], tol, shape + " C[" + i + "," + j + "]");
      }
      // Padding between rows of C is never touched.
      for (int j = n; j < g.ldc() && 3 + i * g.ldc() + j < g.c0().length; j++) {
        assertEquals(g.c0()[3 + i * g.ldc() + j], cv[3 + i * g.ldc() + j],
            shape + " padding written");
      }
    }
  }

  /** {@code count} offsets drawn from [0, bound), in draw order (window shifts and origins). */
  private static int[] randomOffsets(Random r, int count, int bound) {
    int[] offsets = new int[count];
    for (int i = 0; i < count; i++) {
      offsets[i] = r.nextInt(bound);
    }
    return offsets;
  }
}
