package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import simdlearn.kernel.training.Windows;

/**
 * {@link Windows}' loops run over precomputed in-bounds ranges; these tests hold them to the
 * definition, one window and one element at a time with a bounds test each, bit for bit, on
 * random shapes with padding, strides, overlapping windows and kernels as large as the planes.
 */
class WindowsTest {
  private record Geometry(int c, int h, int w, int kh, int kw, int ph, int pw, int sh, int sw) {
    int oh() {
      return (h + 2 * ph - kh) / sh + 1;
    }

    int ow() {
      return (w + 2 * pw - kw) / sw + 1;
    }

    Windows windows() {
      return new Windows(c, h, w, kh, kw, ph, pw, sh, sw);
    }

    /** The input index read by window (oy, ox) at kernel offset (i, j), or -1 in the padding. */
    int at(int ci, int oy, int ox, int i, int j) {
      int y = oy * sh - ph + i;
      int x = ox * sw - pw + j;
      return y < 0 || y >= h || x < 0 || x >= w ? -1 : (ci * h + y) * w + x;
    }
  }

  private static Geometry random(Random r) {
    if (r.nextInt(5) == 0) {
      // LeNet's pools, on odd sizes too (the last row and column then belong to no window).
      return new Geometry(1 + r.nextInt(3), 2 + r.nextInt(8), 2 + r.nextInt(8), 2, 2, 0, 0, 2, 2);
    }
    if (r.nextInt(4) == 0) {
      // "Same" padding at stride 1 (LeNet's first layer): output planes as large as the input,
      // some with rows long enough for im2col's one-copy path.
      int k = 1 + 2 * r.nextInt(3);
      int size = r.nextBoolean() ? 9 : 24;
      return new Geometry(1 + r.nextInt(3), 1 + r.nextInt(size), 1 + r.nextInt(size), k, k, k / 2,
          k / 2, 1, 1);
    }
    while (true) {
      int kh = 1 + r.nextInt(5);
      int kw = 1 + r.nextInt(5);
      int ph = r.nextInt(kh / 2 + 1);
      int pw = r.nextInt(kw / 2 + 1);
      int h = Math.max(1, kh - 2 * ph + r.nextInt(9));
      int w = Math.max(1, kw - 2 * pw + r.nextInt(9));
      Geometry g = new Geometry(1 + r.nextInt(3), h, w, kh, kw, ph, pw, 1 + r.nextInt(3),
          1 + r.nextInt(3));
      if (h + 2 * ph >= kh && w + 2 * pw >= kw) {
        return g;
      }
    }
  }

  private static float[] values(Random r, int n) {
    float[] a = new float[n];
    for (int q = 0; q < n; q++) {
      a[q] = (float) r.nextGaussian();
    }
    return a;
  }

  /**
   * Several examples' columns side by side (rows {@code ldc} apart, as a convolution over a shard
   * lays them out) are each example's plain columns moved, and leave the floats past them alone;
   * their gradient goes back into each example's planes as from the plain columns, bit for bit.
   */
  @Test
  void examplesSideBySideHoldEachExamplesColumns() {
    Random r = new Random(29);
    for (int trial = 0; trial < 200; trial++) {
      Geometry g = random(r);
      Windows win = g.windows();
      int n = g.oh() * g.ow();
      int patch = g.c() * g.kh() * g.kw();
      int count = 1 + r.nextInt(4);
      int ins = g.c() * g.h() * g.w();
      int xStride = ins + r.nextInt(3);
      int ldc = count * n + r.nextInt(2 * n + 1);
      float[] x = values(r, 1 + count * xStride);
      float[] strided = values(r, 5 + patch * ldc);
      float[] before = strided.clone();
      win.im2col(x, 1, xStride, count, strided, 5, ldc);
      float[] dStrided = new float[x.length];
      win.col2imAdd(strided, 5, ldc, count, dStrided, 1, xStride);
      float[] dPlain = new float[x.length];
      for (int e = 0; e < count; e++) {
        float[] plain = new float[patch * n];
        win.im2col(x, 1 + e * xStride, plain, 0);
        win.col2imAdd(plain, 0, dPlain, 1 + e * xStride);
        for (int p = 0; p < patch; p++) {
          for (int q = 0; q < n; q++) {
            assertEquals(plain[p * n + q], strided[5 + p * ldc + e * n + q],
                g + " example " + e + " row " + p);
          }
        }
      }
      for (int p = 0; p < patch; p++) {
        for (int q = count * n; q < ldc; q++) {
          assertEquals(before[5 + p * ldc + q], strided[5 + p * ldc + q], g + " past row " + p);
        }
      }
      assertArrayEquals(dPlain, dStrided, "col2imAdd " + g);
    }
    Windows win = new Geometry(1, 4, 4, 3, 3, 1, 1, 1, 1).windows();
    assertEquals("column rows 31 apart overlap: a row holds 32 output positions",
        assertThrows(IllegalArgumentException.class,
            () -> win.im2col(new float[32], 0, 16, 2, new float[9 * 32], 0, 31)).getMessage());
  }

  @Test
  void theLoopsAgreeWithTheDefinitionBitForBit() {
    Random r = new Random(24);
    for (int trial = 0; trial < 400; trial++) {
      Geometry g = random(r);
      Windows win = g.windows();
      int oh = g.oh();
      int ow = g.ow();
      int n = oh * ow;
      int patch = g.c() * g.kh() * g.kw();
      float[] x = values(r, g.c() * g.h() * g.w() + 3);
      String shape = g.toString();

      float[] cols = new float[2 + patch * n];
      win.im2col(x, 3, cols, 2);
      float[] expectCols = new float[cols.length];
      float[] dCols = values(r, cols.length);
      float[] dx = new float[x.length];
      float[] expectDx = new float[x.length];
      win.col2imAdd(dCols, 2, dx, 3);
      for (int ci = 0; ci < g.c(); ci++) {
        for (int i = 0; i < g.kh(); i++) {
          for (int j = 0; j < g.kw(); j++) {
            for (int oy = 0; oy < oh; oy++) {
              for (int ox = 0; ox < ow; ox++) {
                int q = 2 + ((ci * g.kh() + i) * g.kw() + j) * n + oy * ow + ox;
                int src = g.at(ci, oy, ox, i, j);
                expectCols[q] = src < 0 ? 0f : x[3 + src];
                if (src >= 0) {
                  expectDx[3 + src] += dCols[q];
                }
              }
            }
          }
        }
      }
      assertArrayEquals(expectCols, cols, "im2col " + shape);
      assertArrayEquals(expectDx, dx, "col2imAdd " + shape);

      float[] means = new float[1 + g.c() * n];
      win.avgPool(x, 3, means, 1);
      float[] dMeans = values(r, means.length);
      float[] dPool = new float[x.length];
      win.avgPoolBackwardAdd(dMeans, 1, dPool, 3);
      float[] expectMeans = new float[means.length];
      float[] expectDPool = new float[x.length];
      float scale = 1f / (g.kh() * g.kw());
      for (int ci = 0; ci < g.c(); ci++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            int o = 1 + (ci * oh + oy) * ow + ox;
            float sum = 0f;
            for (int i = 0; i < g.kh(); i++) {
              for (int j = 0; j < g.kw(); j++) {
                int src = g.at(ci, oy, ox, i, j);
                if (src >= 0) {
                  sum += x[3 + src];
                  expectDPool[3 + src] += dMeans[o] * scale;
                }
              }
            }
            expectMeans[o] = sum * scale;
          }
        }
      }
      assertArrayEquals(expectMeans, means, "avgPool " + shape);

      // Max pooling: the first largest in row-major order, a NaN winning, padding never.
      float[] xs = x.clone();
      for (int q = 3; q < xs.length; q += 1 + r.nextInt(4)) {
        xs[q] = r.nextInt(6) == 0 ? Float.NaN : Math.round(xs[q]); // ties and NaNs
      }
      float[] maxima = new float[1 + g.c() * n];
      int[] where = new int[2 + g.c() * n];
      win.maxPool(xs, 3, maxima, 1, where, 2);
      for (int ci = 0; ci < g.c(); ci++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            float best = Float.NEGATIVE_INFINITY;
            int at = -1;
            for (int i = 0; i < g.kh(); i++) {
              for (int j = 0; j < g.kw(); j++) {
                int src = g.at(ci, oy, ox, i, j);
                if (src >= 0 && (at < 0 || xs[3 + src] > best
                    || Float.isNaN(xs[3 + src]) && !Float.isNaN(best))) {
                  best = xs[3 + src];
                  at = src - ci * g.h() * g.w();
                }
              }
            }
            int o = (ci * oh + oy) * ow + ox;
            assertEquals(Float.floatToRawIntBits(best), Float.floatToRawIntBits(maxima[1 + o]),
                "maxPool " + shape + " [" + o + "]");
            assertEquals(at, where[2 + o], "maxPool's argmax " + shape + " [" + o + "]");
          }
        }
      }
      assertArrayEquals(expectDPool, dPool, "avgPoolBackwardAdd " + shape);
    }
  }
}
