package simdlearn.kernel.training;

import java.util.Arrays;

/**
 * Sliding windows over channels x height x width planes (row-major, one example at a time): the
 * data movement of convolution and pooling layers. {@link #im2col} lays every window out as a
 * column, so a convolution is one GEMM of its weights with them; {@link #col2imAdd} adds columns
 * back into planes (the input gradient); the pools reduce each window. Plain loops: they move
 * data and compare, the arithmetic of a convolution is the GEMM's.
 *
 * <p>A window of {@code kh x kw} moves by {@code sh, sw} over the planes padded with {@code ph,
 * pw} zeros (for max pooling, padding never wins); outputs are {@code oh = (h + 2 ph - kh) / sh
 * + 1} by {@code ow}, as PyTorch's {@code Conv2d} and pools (no dilation, floor mode).
 */
public final class Windows {
  private final int c;
  private final int h;
  private final int w;
  private final int kh;
  private final int kw;
  private final int ph;
  private final int pw;
  private final int sh;
  private final int sw;
  private final int oh;
  private final int ow;
  /** Output columns [xLo[j], xHi[j]) read inside the planes at kernel column j; rows likewise. */
  private final int[] xLo;
  private final int[] xHi;
  private final int[] yLo;
  private final int[] yHi;
  /**
   * 2 x 2 windows at stride 2 without padding: {@link TrainingKernels#avgPool2x2}'s case (one
   * pass per output row with the four terms in the window's row-major order, from 0 as the
   * general loop adds them, so the same bits; the general loop's four passes over a row with
   * stride-2 reads cost twice as much).
   */
  private final boolean tiles2x2;
  /**
   * Planes of at most {@link #SMALL_PLANE} outputs: for each kernel offset {@code i kw + j}, the
   * index within a plane that each output position reads, or -1 for padding; else null.
   */
  private final int[][] reads;

  /**
   * Whether the windows are 2 x 2 at stride 2 without padding, so that
   * {@link TrainingKernels#avgPool2x2} can pool every plane of a shard in one call.
   *
   * @return whether the windows tile the planes by 2 x 2
   */
  public boolean tiles2x2() {
    return tiles2x2;
  }

  /**
   * Output planes up to this many positions (7x7) are laid out through {@link #reads}: rows of
   * a few floats cost more in loop set-up than in copying (4x4 planes: 2.3x faster).
   */
  static final int SMALL_PLANE = 49;

  /**
   * Windows of {@code kh x kw} with padding {@code ph, pw} and stride {@code sh, sw} over
   * {@code c} planes of {@code h x w}.
   *
   * @param c channels
   * @param h height of each plane
   * @param w width of each plane
   * @param kh kernel height
   * @param kw kernel width
   * @param ph zeros added above and below
   * @param pw zeros added left and right
   * @param sh vertical stride
   * @param sw horizontal stride
   * @throws IllegalArgumentException naming the dimension when no window fits
   */
  public Windows(int c, int h, int w, int kh, int kw, int ph, int pw, int sh, int sw) {
    if (c <= 0 || h <= 0 || w <= 0 || kh <= 0 || kw <= 0 || ph < 0 || pw < 0 || sh <= 0
        || sw <= 0) {
      throw new IllegalArgumentException("impossible windows: " + c + "x" + h + "x" + w
          + " planes, kernel " + kh + "x" + kw + ", padding " + ph + "x" + pw + ", stride " + sh
          + "x" + sw);
    }
    if (h + 2 * ph < kh || w + 2 * pw < kw) {
      throw new IllegalArgumentException("a " + kh + "x" + kw + " kernel does not fit planes of "
          + h + "x" + w + " padded by " + ph + "x" + pw);
    }
    this.c = c;
    this.h = h;
    this.w = w;
    this.kh = kh;
    this.kw = kw;
    this.ph = ph;
    this.pw = pw;
    this.sh = sh;
    this.sw = sw;
    this.oh = (h + 2 * ph - kh) / sh + 1;
    this.ow = (w + 2 * pw - kw) / sw + 1;
    this.xLo = new int[kw];
    this.xHi = new int[kw];
    inside(w, pw, sw, ow, xLo, xHi);
    this.yLo = new int[kh];
    this.yHi = new int[kh];
    inside(h, ph, sh, oh, yLo, yHi);
    this.tiles2x2 = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0;
    this.reads = oh * ow <= SMALL_PLANE ? reads() : null;
  }

  private int[][] reads() {
    int[][] m = new int[kh * kw][oh * ow];
    for (int i = 0; i < kh; i++) {
      for (int j = 0; j < kw; j++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            int y = oy * sh - ph + i;
            int x = ox * sw - pw + j;
            m[i * kw + j][oy * ow + ox] = y < 0 || y >= h || x < 0 || x >= w ? -1 : y * w + x;
          }
        }
      }
    }
    return m;
  }

  /**
   * For each kernel offset t, the outputs o whose input {@code o * s - p + t} lies in
   * {@code [0, size)}: {@code [lo[t], hi[t])}, empty when none. Loops over these ranges need no
   * bounds test per element, and padding is written or skipped in whole runs.
   */
  private static void inside(int size, int p, int s, int outs, int[] lo, int[] hi) {
    for (int t = 0; t < lo.length; t++) {
      int first = p - t <= 0 ? 0 : (p - t + s - 1) / s;
      int last = size - 1 + p - t < 0 ? -1 : Math.min(outs - 1, (size - 1 + p - t) / s);
      lo[t] = Math.min(first, outs);
      hi[t] = Math.max(lo[t], last + 1);
    }
  }

  /**
   * Output rows of each plane.
   *
   * @return {@code (h + 2 ph - kh) / sh + 1}
   */
  public int outHeight() {
    return oh;
  }

  /**
   * Output columns of each plane.
   *
   * @return {@code (w + 2 pw - kw) / sw + 1}
   */
  public int outWidth() {
    return ow;
  }

  /**
   * Rows of an {@link #im2col} matrix.
   *
   * @return channels times the kernel's area
   */
  public int patchSize() {
    return c * kh * kw;
  }

  /**
   * Every window of {@code x}'s planes as a column: {@code col} is {@code (c kh kw) x (oh ow)},
   * element {@code [(ci kh + i) kw + j][oy ow + ox]} the input at channel ci, row
   * {@code oy sh - ph + i}, column {@code ox sw - pw + j} (0 outside).
   *
   * @param x the planes
   * @param xOff the index of the first plane's first element
   * @param col receives the columns
   * @param colOff the index of the first column element written
   */
  public void im2col(float[] x, int xOff, float[] col, int colOff) {
    im2col(x, xOff, 0, 1, col, colOff, oh * ow);
  }

  /**
   * {@link #im2col} of {@code count} examples {@code xStride} floats apart, side by side: example
   * r's columns start at column {@code r oh ow} of rows {@code ldc} floats apart
   * ({@code ldc >= count oh ow}), as one GEMM over the examples reads them. A kernel offset whose
   * windows read padding only zeroes its whole row at once, which on small planes is most of
   * them; short rows are copied by loops rather than calls (7x7 planes: 6x faster).
   *
   * @param x the planes of every example
   * @param xOff the index of the first example's first plane element
   * @param xStride the distance from one example's planes to the next
   * @param count examples
   * @param col receives the columns
   * @param colOff the index of the first example's first column element
   * @param ldc the distance from one column row (one kernel offset) to the next
   */
  public void im2col(float[] x, int xOff, int xStride, int count, float[] col, int colOff,
      int ldc) {
    int n = oh * ow;
    checkStride(ldc, count * n);
    for (int ci = 0; ci < c; ci++) {
      for (int i = 0; i < kh; i++) {
        int rows0 = yLo[i];
        int rows1 = yHi[i];
        for (int j = 0; j < kw; j++) {
          int row = colOff + ((ci * kh + i) * kw + j) * ldc;
          int lo = xLo[j];
          int hi = xHi[j];
          if (rows1 <= rows0 || hi <= lo) {
            Arrays.fill(col, row, row + count * n, 0f);
            continue;
          }
          if (reads != null) {
            int[] m = reads[i * kw + j];
            int plane = xOff + ci * h * w;
            for (int r = 0; r < count; r++) {
              int at = row + r * n;
              int from = plane + r * xStride;
              for (int q = 0; q < n; q++) {
                int s = m[q];
                col[at + q] = s < 0 ? 0f : x[from + s];
              }
            }
            continue;
          }
          // The input read by window (rows0, 0) at this kernel offset, in example 0.
          int src = xOff + ci * h * w + (rows0 * sh - ph + i) * w - pw + j;
          for (int r = 0; r < count; r++) {
            windowRows(x, src + r * xStride, col, row + r * n, rows0, rows1, lo, hi);
          }
        }
      }
    }
  }

  /**
   * One example's column row for one kernel offset: the windows of rows {@code rows0 .. rows1}
   * and columns {@code lo .. hi} read the planes from {@code src} on, every other position is 0.
   */
  private void windowRows(float[] x, int src, float[] col, int at, int rows0, int rows1, int lo,
      int hi) {
    int end = at + oh * ow;
    int first = at + rows0 * ow + lo;
    if (sw == 1 && sh == 1 && ow == w && ow >= LONG_ROW) {
      // Stride 1, planes as wide as the output ("same" padding) and long rows: one shifted copy
      // of the plane, then the columns it wrapped into are zeroed.
      int last = at + (rows1 - 1) * ow + hi;
      Arrays.fill(col, at, first, 0f);
      System.arraycopy(x, src + lo, col, first, last - first);
      for (int oy = rows0; oy < rows1 - 1; oy++) {
        zero(col, at + oy * ow + hi, ow - hi + lo);
      }
      Arrays.fill(col, last, end, 0f);
      return;
    }
    zero(col, at, first - at);
    for (int oy = rows0; oy < rows1; oy++) {
      int base = at + oy * ow;
      int s = src + (oy - rows0) * sh * w;
      if (sw == 1) {
        for (int ox = lo; ox < hi; ox++) {
          col[base + ox] = x[s + ox];
        }
      } else {
        for (int ox = lo; ox < hi; ox++) {
          col[base + ox] = x[s + ox * sw];
        }
      }
      // Padding to the next row's first window that reads the planes, or to the end.
      int next = oy + 1 < rows1 ? base + ow + lo : end;
      zero(col, base + hi, next - base - hi);
    }
  }

  /** Output rows from which a same-padded plane is copied in one call rather than by loops. */
  private static final int LONG_ROW = 16;

  private static void checkStride(int ldc, int positions) {
    if (ldc < positions) {
      throw new IllegalArgumentException("column rows " + ldc + " apart overlap: a row holds "
          + positions + " output positions");
    }
  }

  /** Zeroes {@code count} floats from {@code at}: a loop, as the runs are a few padding columns. */
  private static void zero(float[] a, int at, int count) {
    for (int q = 0; q < count; q++) {
      a[at + q] = 0f;
    }
  }

  /**
   * The transpose of {@link #im2col}: adds each column element back to the input position it
   * came from, into {@code dx} (which the caller zeroes first), so overlapping windows sum.
   * Each input element receives its windows' values in the order of the windows (row-major),
   * kernel offset by kernel offset.
   *
   * @param col the columns, as {@link #im2col} lays them out
   * @param colOff the index of the first column element
   * @param dx the planes added into
   * @param dxOff the index of the first plane's first element
   */
  public void col2imAdd(float[] col, int colOff, float[] dx, int dxOff) {
    col2imAdd(col, colOff, oh * ow, 1, dx, dxOff, 0);
  }

  /**
   * {@link #col2imAdd} of {@code count} examples' columns side by side, as {@link #im2col(float[],
   * int, int, int, float[], int, int)} writes them, into planes {@code dxStride} floats apart. An
   * element receives its windows' values in the same order as from one example's columns.
   *
   * @param col the columns
   * @param colOff the index of the first example's first column element
   * @param ldc the distance from one column row (one kernel offset) to the next
   * @param count examples
   * @param dx the planes added into (zeroed by the caller)
   * @param dxOff the index of the first example's first plane element
   * @param dxStride the distance from one example's planes to the next
   */
  public void col2imAdd(float[] col, int colOff, int ldc, int count, float[] dx, int dxOff,
      int dxStride) {
    int n = oh * ow;
    checkStride(ldc, count * n);
    for (int ci = 0; ci < c; ci++) {
      for (int i = 0; i < kh; i++) {
        int rows0 = yLo[i];
        int rows1 = yHi[i];
        for (int j = 0; j < kw; j++) {
          int row = colOff + ((ci * kh + i) * kw + j) * ldc;
          int lo = xLo[j];
          int hi = xHi[j];
          if (rows1 <= rows0 || hi <= lo) {
            continue; // windows reading padding only: nothing goes back
          }
          if (reads != null) {
            // Each input element is read by one window at most at one kernel offset.
            int[] m = reads[i * kw + j];
            int plane = dxOff + ci * h * w;
            for (int r = 0; r < count; r++) {
              int at = row + r * n;
              int to = plane + r * dxStride;
              for (int q = 0; q < n; q++) {
                int s = m[q];
                if (s >= 0) {
                  dx[to + s] += col[at + q];
                }
              }
            }
            continue;
          }
          int dst = dxOff + ci * h * w + (rows0 * sh - ph + i) * w - pw + j;
          for (int r = 0; r < count; r++) {
            int at = row + r * n;
            int d = dst + r * dxStride;
            for (int oy = rows0; oy < rows1; oy++) {
              int base = at + oy * ow;
              int to = d + (oy - rows0) * sh * w;
              if (sw == 1) {
                for (int ox = lo; ox < hi; ox++) {
                  dx[to + ox] += col[base + ox];
                }
              } else {
                for (int ox = lo; ox < hi; ox++) {
                  dx[to + ox * sw] += col[base + ox];
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * The mean of each window, padding counted as zeros (PyTorch's {@code AvgPool2d} default,
   * {@code count_include_pad}): {@code c x oh x ow} into {@code out}.
   *
   * @param x the planes
   * @param xOff the index of the first plane's first element
   * @param out receives the means
   * @param outOff the index of the first mean written
   */
  public void avgPool(float[] x, int xOff, float[] out, int outOff) {
    float scale = 1f / (kh * kw);
    if (tiles2x2) {
      TrainingKernels.scalar().avgPool2x2(c, h, w, x, xOff, out, outOff);
      return;
    }
    for (int ci = 0; ci < c; ci++) {
      int plane = xOff + ci * h * w;
      for (int oy = 0; oy < oh; oy++) {
        int o = outOff + (ci * oh + oy) * ow;
        // Each mean's terms are added in the window's row-major order, as a loop per window would.
        zero(out, o, ow);
        for (int i = 0; i < kh; i++) {
          if (oy < yLo[i] || oy >= yHi[i]) {
            continue;
          }
          int src = plane + (oy * sh - ph + i) * w - pw;
          for (int j = 0; j < kw; j++) {
            for (int ox = xLo[j], at = src + j; ox < xHi[j]; ox++) {
              out[o + ox] += x[at + ox * sw];
            }
          }
        }
        for (int ox = 0; ox < ow; ox++) {
          out[o + ox] *= scale;
        }
      }
    }
  }

  /**
   * {@link #avgPool}'s backward pass: each window's gradient spread evenly, added into dx; an
   * input element shared by overlapping windows receives them in row-major window order.
   *
   * @param dOut the gradient with respect to the means
   * @param dOutOff the index of its first element
   * @param dx the gradient with respect to the planes, added into
   * @param dxOff the index of its first element
   */
  public void avgPoolBackwardAdd(float[] dOut, int dOutOff, float[] dx, int dxOff) {
    float scale = 1f / (kh * kw);
    for (int ci = 0; ci < c; ci++) {
      int plane = dxOff + ci * h * w;
      for (int oy = 0; oy < oh; oy++) {
        int o = dOutOff + (ci * oh + oy) * ow;
        for (int i = 0; i < kh; i++) {
          if (oy < yLo[i] || oy >= yHi[i]) {
            continue;
          }
          int dst = plane + (oy * sh - ph + i) * w - pw;
          // Kernel columns from the right: an input element then meets its windows left to right.
          for (int j = kw - 1; j >= 0; j--) {
            for (int ox = xLo[j], at = dst + j; ox < xHi[j]; ox++) {
              dx[at + ox * sw] += dOut[o + ox] * scale;
            }
          }
        }
      }
    }
  }

  /**
   * The largest value of each window into {@code out}, and where it is ({@code y * w + x} in its
   * plane) into {@code argmax}: the first largest in row-major order, a NaN winning, as
   * PyTorch's CPU kernel; padding never wins.
   *
   * @param x the planes
   * @param xOff the index of the first plane's first element
   * @param out receives the maxima
   * @param outOff the index of the first maximum written
   * @param argmax receives each maximum's position in its plane
   * @param argOff the index of the first position written
   */
  public void maxPool(float[] x, int xOff, float[] out, int outOff, int[] argmax, int argOff) {
    if (tiles2x2) {
      maxPool2x2(x, xOff, out, outOff, argmax, argOff);
      return;
    }
    for (int ci = 0; ci < c; ci++) {
      int plane = xOff + ci * h * w;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          float best = Float.NEGATIVE_INFINITY;
          int where = -1;
          for (int i = 0; i < kh; i++) {
            int y = oy * sh - ph + i;
            if (y < 0 || y >= h) {
              continue;
            }
            for (int j = 0; j < kw; j++) {
              int xx = ox * sw - pw + j;
              if (xx < 0 || xx >= w) {
                continue;
              }
              float v = x[plane + y * w + xx];
              if (where < 0 || v > best || Float.isNaN(v) && !Float.isNaN(best)) {
                best = v;
                where = y * w + xx;
              }
            }
          }
          int o = (ci * oh + oy) * ow + ox;
          out[outOff + o] = best;
          argmax[argOff + o] = where;
        }
      }
    }
  }

  /**
   * {@link #maxPool} for 2 x 2 windows at stride 2 without padding: the four candidates in
   * row-major order, each replacing the best when larger (or a NaN over a number), so the same
   * winner as the general loop, without its bounds tests.
   */
  private void maxPool2x2(float[] x, int xOff, float[] out, int outOff, int[] argmax,
      int argOff) {
    for (int ci = 0; ci < c; ci++) {
      int plane = xOff + ci * h * w;
      for (int oy = 0; oy < oh; oy++) {
        int top = (2 * oy) * w;
        int o = (ci * oh + oy) * ow;
        for (int ox = 0; ox < ow; ox++) {
          int q0 = top + 2 * ox;
          int q2 = q0 + w;
          int where = q0;
          float best = x[plane + q0];
          float v = x[plane + q0 + 1];
          if (wins(v, best)) {
            best = v;
            where = q0 + 1;
          }
          v = x[plane + q2];
          if (wins(v, best)) {
            best = v;
            where = q2;
          }
          v = x[plane + q2 + 1];
          if (wins(v, best)) {
            best = v;
            where = q2 + 1;
          }
          out[outOff + o + ox] = best;
          argmax[argOff + o + ox] = where;
        }
      }
    }
  }

  /** Whether {@code v} replaces {@code best}: larger, or a NaN over a number. */
  private static boolean wins(float v, float best) {
    return v > best || Float.isNaN(v) && !Float.isNaN(best);
  }

  /**
   * {@link #maxPool}'s backward pass: each window's gradient to its largest input, into dx.
   *
   * @param dOut the gradient with respect to the maxima
   * @param dOutOff the index of its first element
   * @param argmax the positions {@link #maxPool} recorded
   * @param argOff the index of the first position
   * @param dx the gradient with respect to the planes, added into
   * @param dxOff the index of its first element
   */
  public void maxPoolBackwardAdd(float[] dOut, int dOutOff, int[] argmax, int argOff, float[] dx,
      int dxOff) {
    int outs = oh * ow;
    for (int ci = 0; ci < c; ci++) {
      int plane = dxOff + ci * h * w;
      for (int o = 0; o < outs; o++) {
        int at = ci * outs + o;
        dx[plane + argmax[argOff + at]] += dOut[dOutOff + at];
      }
    }
  }
}
