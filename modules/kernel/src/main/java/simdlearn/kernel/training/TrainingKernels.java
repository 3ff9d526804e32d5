package simdlearn.kernel.training;

import java.util.Arrays;
import simdlearn.kernel.Backend;
import simdlearn.kernel.Kernels;
import simdlearn.kernel.internal.KernelProvider;

/**
 * The kernels a trainer needs beyond a matrix library: GEMMs that read minibatches of pixels as
 * gathered unsigned bytes (no float copy of a shuffled batch), byte-to-float gathers, the
 * derivatives of the activations in {@link Kernels}, and dropout masks drawn from a counter-based
 * hash (so a mask depends only on its key, never on which thread draws it).
 *
 * <p>Same conventions as {@link Kernels}: raw arrays with offsets, no argument checks (the checked
 * facade is {@link TrainingOps}), stateless and thread-safe, a Vector API implementation and a
 * scalar reference.
 */
public interface TrainingKernels extends Kernels {

  /**
   * {@code dst[i] = (src[i] & 0xFF) * scale}: unsigned bytes (pixels) to floats.
   *
   * @param n the number of elements
   * @param src the unsigned bytes
   * @param srcOff the index of {@code src}'s first element
   * @param scale the factor each element is multiplied by
   * @param dst the output array
   * @param dstOff the index of {@code dst}'s first element
   */
  void bytesToFloats(int n, byte[] src, int srcOff, float scale, float[] dst, int dstOff);

  /**
   * Gathers rows of unsigned bytes into consecutive float rows (a shuffled minibatch of pixels):
   * row {@code r} of {@code dst} (at {@code dstOff + r * cols}) is
   * {@code (src[index[indexOff + r] * cols + j] & 0xFF) * scale} for {@code j < cols}.
   *
   * @param rows the number of rows
   * @param cols the number of columns
   * @param src the unsigned-byte rows, {@code cols} per row
   * @param index the source row of each output row
   * @param indexOff the index of the first entry of {@code index} used
   * @param scale the factor each element is multiplied by
   * @param dst the output array
   * @param dstOff the index of {@code dst}'s first element
   */
  void gatherBytesToFloats(int rows, int cols, byte[] src, int[] index, int indexOff, float scale,
      float[] dst, int dstOff);

  /**
   * {@code C = scale * X · B^T} (m x n) where X is the m x k matrix of gathered unsigned bytes:
   * row {@code r} of X is {@code x[rows[rowsOff + r] * k .. + k)} read as 0..255. The forward pass
   * of a narrow linear layer straight from pixels, without {@link #gatherBytesToFloats}' float
   * copy. B is n x k ({@code b[bOff + j * ldb + p]}); C is overwritten at
   * {@code c[cOff + r * ldc + j]}.
   *
   * @param m the number of gathered rows
   * @param n the number of columns of C (rows of B)
   * @param k the bytes per gathered row
   * @param x the unsigned-byte rows (pixels), k per row
   * @param rows which rows of {@code x} to gather
   * @param rowsOff the index of the first entry of {@code rows} used
   * @param scale the factor each element is multiplied by
   * @param b matrix B, n x k
   * @param bOff the index of B's first element
   * @param ldb the distance between two stored rows of B
   * @param c matrix C, m x n, overwritten
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   */
  void gemmGatheredNT(int m, int n, int k, byte[] x, int[] rows, int rowsOff, float scale,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc);

  /**
   * {@code C = scale * A^T · X} (n x k) where A is m x n ({@code a[aOff + r * lda + i]}) and X the
   * m x k gathered unsigned-byte rows of {@link #gemmGatheredNT}: the weight gradient of a linear
   * layer on pixels. C is overwritten at {@code c[cOff + i * ldc + p]}.
   *
   * @param m the number of gathered rows
   * @param n the number of columns of A (rows of C)
   * @param k the bytes per gathered row
   * @param a matrix A, m x n
   * @param aOff the index of A's first element
   * @param lda the distance between two stored rows of A
   * @param x the unsigned-byte rows (pixels), k per row
   * @param rows which rows of {@code x} to gather
   * @param rowsOff the index of the first entry of {@code rows} used
   * @param scale the factor each element is multiplied by
   * @param c matrix C, n x k, overwritten
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   */
  void gemmTNGathered(int m, int n, int k, float[] a, int aOff, int lda, byte[] x, int[] rows,
      int rowsOff, float scale, float[] c, int cOff, int ldc);

  /**
   * ReLU's backward pass from its output: {@code dx[i] = y[i] > 0 ? dy[i] : 0} (0 at 0, as
   * PyTorch). {@code dx} may alias {@code dy}.
   *
   * @param n the number of elements
   * @param y the activation's output
   * @param yOff the index of {@code y}'s first element
   * @param dy the gradient with respect to the output
   * @param dyOff the index of {@code dy}'s first element
   * @param dx receives the gradient with respect to the input
   * @param dxOff the index of {@code dx}'s first element
   */
  void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /**
   * Sigmoid's backward pass from its output: {@code dx[i] = dy[i] * y[i] * (1 - y[i])}.
   *
   * @param n the number of elements
   * @param y the activation's output
   * @param yOff the index of {@code y}'s first element
   * @param dy the gradient with respect to the output
   * @param dyOff the index of {@code dy}'s first element
   * @param dx receives the gradient with respect to the input
   * @param dxOff the index of {@code dx}'s first element
   */
  void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /**
   * Tanh's backward pass from its output: {@code dx[i] = dy[i] * (1 - y[i]^2)}.
   *
   * @param n the number of elements
   * @param y the activation's output
   * @param yOff the index of {@code y}'s first element
   * @param dy the gradient with respect to the output
   * @param dyOff the index of {@code dy}'s first element
   * @param dx receives the gradient with respect to the input
   * @param dxOff the index of {@code dx}'s first element
   */
  void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /**
   * Leaky ReLU: {@code out[i] = x[i] < 0 ? slope * x[i] : x[i]} (NaN and -0 kept). This default
   * is the scalar reference; the vector kernels override it.
   *
   * @param n the number of elements
   * @param slope the factor below 0
   * @param x the input
   * @param xOff the index of {@code x}'s first element
   * @param out the output (may alias {@code x})
   * @param outOff the index of {@code out}'s first element
   */
  default void leakyRelu(int n, float slope, float[] x, int xOff, float[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      out[outOff + i] = v < 0f ? slope * v : v;
    }
  }

  /**
   * Leaky ReLU's backward pass from its output (a slope >= 0 keeps the sign):
   * {@code dx[i] = y[i] > 0 ? dy[i] : slope * dy[i]}, as PyTorch (the slope at 0). {@code dx}
   * may alias {@code dy}. This default is the scalar reference; the vector kernels override it.
   *
   * @param n the number of elements
   * @param slope the factor below 0
   * @param y the activation's output
   * @param yOff the index of {@code y}'s first element
   * @param dy the gradient with respect to the output
   * @param dyOff the index of {@code dy}'s first element
   * @param dx receives the gradient with respect to the input
   * @param dxOff the index of {@code dx}'s first element
   */
  default void leakyReluBackward(int n, float slope, float[] y, int yOff, float[] dy, int dyOff,
      float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      float g = dy[dyOff + i];
      dx[dxOff + i] = y[yOff + i] > 0f ? g : slope * g;
    }
  }

  /**
   * {@code C[i][j] += sum over s of A_s[i] . B_s[j]} for {@code i < m, j < n}: dot products of
   * rows of A with rows of B, each {@code k} long and contiguous, summed over {@code segments}
   * pairs of matrices (A_s at {@code aOff + s * aStride}, B_s likewise): C += sum_s A_s B_s^T
   * without packing a B_s^T. A convolution's weight gradient over a shard is this, with A_s an
   * example's output gradient (channels x positions) and B_s its im2col columns, where a packed
   * GEMM would first transpose every example's columns. Each element is summed on its own over
   * the segments in order and then added to C, so its bits depend only on its rows. This default
   * is the scalar reference (one sum in index order); the vector kernels override it.
   *
   * @param m rows of each A_s and of C
   * @param n rows of each B_s, columns of C
   * @param k the length of each row
   * @param segments the number of (A_s, B_s) pairs
   * @param a the A_s, row i of A_s at {@code aOff + s * aStride + i * lda}
   * @param aOff the index of A_0's first element
   * @param lda the distance between rows of an A_s
   * @param aStride the distance between A_s and A_s+1
   * @param b the B_s, row j of B_s at {@code bOff + s * bStride + j * ldb}
   * @param bOff the index of B_0's first element
   * @param ldb the distance between rows of a B_s
   * @param bStride the distance between B_s and B_s+1
   * @param c C, added into
   * @param cOff the index of C's first element
   * @param ldc the distance between C's rows
   */
  default void addRowDots(int m, int n, int k, int segments, float[] a, int aOff, int lda,
      int aStride, float[] b, int bOff, int ldb, int bStride, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = 0f;
        for (int s = 0; s < segments; s++) {
          int ai = aOff + s * aStride + i * lda;
          int bi = bOff + s * bStride + j * ldb;
          for (int q = 0; q < k; q++) {
            sum += a[ai + q] * b[bi + q];
          }
        }
        c[cOff + i * ldc + j] += sum;
      }
    }
  }

  /**
   * {@code C[i][p] = sum over t < k of A[i][t] * x[xOff + shifts[t] + p]} for {@code i < m, p <
   * n}: a GEMM whose B is read through shifts ({@code B[t][p] = x[xOff + shifts[t] + p]}) instead
   * of being laid out. A stride-1 convolution over planes stored row after row is this product
   * with t running over (channel, kernel row, kernel column), {@code shifts[t]} that window
   * offset's distance into the planes and p over output positions counted in the input's row
   * width (so a row's last {@code kw - 1} positions are not outputs): no im2col copy. Each element
   * is one FMA chain over t in index order from 0, the packed GEMM's, so the two give the same
   * bits. This default is the scalar reference; the vector kernels override it.
   *
   * @param m rows of A and C
   * @param n columns of C
   * @param k columns of A, entries of {@code shifts}
   * @param a matrix A, m x k
   * @param aOff the index of A's first element
   * @param lda the distance between two rows of A
   * @param shifts where row t of the implicit B starts in {@code x}, relative to {@code xOff}
   * @param x the array B is read from; every {@code xOff + shifts[t] + p} must be inside it
   * @param xOff the index added to every shift
   * @param c matrix C, m x n, overwritten
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   */
  default void gemmShifted(int m, int n, int k, float[] a, int aOff, int lda, int[] shifts,
      float[] x, int xOff, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < n; p++) {
        float acc = 0f;
        for (int t = 0; t < k; t++) {
          acc = Math.fma(a[aOff + i * lda + t], x[xOff + shifts[t] + p], acc);
        }
        c[cOff + i * ldc + p] = acc;
      }
    }
  }

  /**
   * {@link #gemmShifted} written as planes: for each of {@code rows} rows y and {@code p < width},
   * {@code C[i][y width + p] = (sum over t < k of A[i][t] * x[xOff + y rowStride + shifts[t] + p])
   * + bias[biasOff + i]}, the bias added after the chain (nothing added when {@code bias} is
   * null). A stride-1 convolution's forward pass straight into its output planes: the positions
   * between a row's last output and the next row, which {@link #gemmShifted} computes in rows of
   * the input's width, are skipped, and no copy compacts the rows. Each element has
   * {@link #gemmShifted}'s bits, plus the bias. This default is the scalar reference; the vector
   * kernels override it.
   *
   * @param m rows of A, planes of C
   * @param rows rows of each plane of C
   * @param width the length of each row of C
   * @param rowStride the distance in {@code x} between the reads of two rows of C
   * @param k columns of A, entries of {@code shifts}
   * @param a matrix A, m x k
   * @param aOff the index of A's first element
   * @param lda the distance between two rows of A
   * @param shifts where row t of the implicit B starts in {@code x}, relative to {@code xOff}
   * @param x the array B is read from; every index read must be inside it
   * @param xOff the index added to every shift
   * @param bias added to plane i from {@code biasOff + i}, or null
   * @param biasOff the index of the first plane's bias
   * @param c the planes, overwritten
   * @param cOff the index of the first plane's first element
   * @param ldc the distance between two planes of C
   */
  default void gemmShiftedPlanes(int m, int rows, int width, int rowStride, int k, float[] a,
      int aOff, int lda, int[] shifts, float[] x, int xOff, float[] bias, int biasOff, float[] c,
      int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int y = 0; y < rows; y++) {
        for (int p = 0; p < width; p++) {
          float acc = 0f;
          for (int t = 0; t < k; t++) {
            acc = Math.fma(a[aOff + i * lda + t], x[xOff + y * rowStride + shifts[t] + p], acc);
          }
          c[cOff + i * ldc + y * width + p] = bias == null ? acc : acc + bias[biasOff + i];
        }
      }
    }
  }

  /**
   * {@code dst[dstOff + r ldd + c] = src[srcOff + r lds + c]} for {@code r < rows},
   * {@code c < cols}: a block of short rows copied between strides (a convolution's output
   * gradient into its padded planes), every bit kept, -0 and NaN included. The rows of
   * {@code dst} must not overlap those of {@code src}. This default is the scalar reference
   * ({@code System.arraycopy} a row, whose call costs more than a row of 10 floats); the vector
   * kernels override it.
   *
   * @param rows the number of rows
   * @param cols the length of each row
   * @param src the rows read
   * @param srcOff the index of the first row's first element
   * @param lds the distance between two rows of {@code src}
   * @param dst the rows written
   * @param dstOff the index of the first written row's first element
   * @param ldd the distance between two rows of {@code dst}
   */
  default void copyRows(int rows, int cols, float[] src, int srcOff, int lds, float[] dst,
      int dstOff, int ldd) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(src, srcOff + r * lds, dst, dstOff + r * ldd, cols);
    }
  }

  /**
   * {@code dst[dstOff + r ldd + c] = src[srcOff + r lds + c] + beta} for {@code r < rows},
   * {@code c < cols}: a block of rows copied with one constant added, as a convolution's output
   * rows go into its planes with their channel's bias. In place ({@code dst == src}) only with the
   * same offset and stride. This default is the scalar reference; the vector kernels override it.
   *
   * @param rows the number of rows
   * @param cols the length of each row
   * @param src the rows read
   * @param srcOff the index of the first row's first element
   * @param lds the distance between two rows of {@code src}
   * @param beta the constant added to every element
   * @param dst the rows written
   * @param dstOff the index of the first written row's first element
   * @param ldd the distance between two rows of {@code dst}
   */
  default void copyRowsAdding(int rows, int cols, float[] src, int srcOff, int lds, float beta,
      float[] dst, int dstOff, int ldd) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[dstOff + r * ldd + c] = src[srcOff + r * lds + c] + beta;
      }
    }
  }

  /**
   * {@code out = x * scale[c] + shift[c]} for every value of channel {@code c}, rounded after the
   * product and after the sum (no fused multiply-add): batch normalisation's forward pass over
   * {@code n} examples of {@code channels} channels of {@code plane} values each, channel-major
   * ({@code plane} is 1 for features). This default is the scalar reference; the vector kernels
   * override it with the same bits.
   *
   * @param n the number of examples
   * @param channels channels per example
   * @param plane values per channel in one example
   * @param x the input
   * @param xOff the index of the first example's first value
   * @param scale the factor of each channel, from index 0
   * @param shift the term added in each channel, from index 0
   * @param out the output, laid out as x (may be x with the same offset)
   * @param outOff the index of the first output
   */
  default void channelAffine(int n, int channels, int plane, float[] x, int xOff, float[] scale,
      float[] shift, float[] out, int outOff) {
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < channels; c++) {
        int at = (r * channels + c) * plane;
        for (int i = 0; i < plane; i++) {
          out[outOff + at + i] = x[xOff + at + i] * scale[c] + shift[c];
        }
      }
    }
  }

  /**
   * Batch normalisation's input gradient, {@code dx = gain[c] * (dy - meanDy[c] - xhat *
   * meanDyXhat[c])} with {@code xhat = (x - mean[c]) * invStd[c]}, each operation rounded in that
   * order, laid out as {@link #channelAffine}. This default is the scalar reference; the vector
   * kernels override it with the same bits.
   *
   * @param n the number of examples
   * @param channels channels per example
   * @param plane values per channel in one example
   * @param x the layer's input
   * @param xOff the index of the first example's first input
   * @param dy the gradient with respect to the output, laid out as x
   * @param dyOff the index of its first element
   * @param stats five per-channel rows of {@code channels} floats from index 0: the batch's
   *     mean, 1 / sqrt(var + eps), gamma times that, the mean of dy and the mean of dy * xhat
   * @param dx receives the input gradient, laid out as x
   * @param dxOff the index of its first element
   */
  default void batchNormInputGradient(int n, int channels, int plane, float[] x, int xOff,
      float[] dy, int dyOff, float[] stats, float[] dx, int dxOff) {
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < channels; c++) {
        float mean = stats[c];
        float invStd = stats[channels + c];
        float gain = stats[2 * channels + c];
        float mdy = stats[3 * channels + c];
        float mdyx = stats[4 * channels + c];
        int at = (r * channels + c) * plane;
        for (int i = 0; i < plane; i++) {
          float xhat = (x[xOff + at + i] - mean) * invStd;
          dx[dxOff + at + i] = gain * (dy[dyOff + at + i] - mdy - xhat * mdyx);
        }
      }
    }
  }

  /**
   * Batch normalisation's statistics: for each example in order and each channel {@code c}, the
   * sum of the channel's values and of their squares in double, added into {@code sums[c]} and
   * {@code squares[c]}. Laid out as {@link #channelAffine}. A plane is summed in eight
   * interleaved chains from 0 (value {@code i} of its first {@code plane - plane % 8} in chain
   * {@code i % 8}), folded as {@code ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7))}, then its last
   * {@code plane % 8} values added in order (a plane shorter than 8 is one chain in order): the
   * chains are two vectors of four doubles, so the vector kernels give the same bits without
   * waiting on one chain's adds. A square is exact in double, so it is added by an FMA. This
   * default is the scalar reference; the vector kernels override it with the same bits.
   *
   * @param n the number of examples
   * @param channels channels per example
   * @param plane values per channel in one example
   * @param x the values
   * @param xOff the index of the first example's first value
   * @param sums added into, per channel from index 0
   * @param squares added into, per channel from index 0
   */
  default void addChannelSums(int n, int channels, int plane, float[] x, int xOff, double[] sums,
      double[] squares) {
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < channels; c++) {
        int at = xOff + (r * channels + c) * plane;
        sums[c] += chainedSum(x, at, x, at, 0f, 1f, plane, false);
        squares[c] += chainedSum(x, at, x, at, 0f, 1f, plane, true);
      }
    }
  }

  /**
   * Batch normalisation's gradient sums, as {@link #addChannelSums} (the same chains): per example
   * and channel the sum of {@code dy} and of {@code dy * xhat} in double,
   * {@code xhat = (x - mean[c]) * invStd[c]} rounded to float first, added into {@code sums[c]}
   * and {@code products[c]}. This default is the scalar reference; the vector kernels override it
   * with the same bits.
   *
   * @param n the number of examples
   * @param channels channels per example
   * @param plane values per channel in one example
   * @param x the layer's input
   * @param xOff the index of the first example's first input
   * @param dy the gradient with respect to the output, laid out as x
   * @param dyOff the index of its first element
   * @param mean the batch's mean per channel, from index 0
   * @param invStd 1 / sqrt(var + eps) per channel, from index 0
   * @param sums added into, per channel from index 0
   * @param products added into, per channel from index 0
   */
  default void addBatchNormGradientSums(int n, int channels, int plane, float[] x, int xOff,
      float[] dy, int dyOff, float[] mean, float[] invStd, double[] sums, double[] products) {
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < channels; c++) {
        int at = (r * channels + c) * plane;
        sums[c] += chainedSum(dy, dyOff + at, x, xOff + at, mean[c], invStd[c], plane, false);
        products[c] += chainedSum(dy, dyOff + at, x, xOff + at, mean[c], invStd[c], plane, true);
      }
    }
  }

  /**
   * One plane's sum of {@code a[ai + i]}, or with {@code products} of
   * {@code a[ai + i] * ((x[xi + i] - mean) * invStd)}, in {@link #addChannelSums}' chains.
   */
  private static double chainedSum(float[] a, int ai, float[] x, int xi, float mean,
      float invStd, int plane, boolean products) {
    int whole = plane - plane % 8;
    double s = whole == 0 ? 0 : ((chain(a, ai, x, xi, mean, invStd, whole, 0, products)
        + chain(a, ai, x, xi, mean, invStd, whole, 4, products))
        + (chain(a, ai, x, xi, mean, invStd, whole, 2, products)
        + chain(a, ai, x, xi, mean, invStd, whole, 6, products)))
        + ((chain(a, ai, x, xi, mean, invStd, whole, 1, products)
        + chain(a, ai, x, xi, mean, invStd, whole, 5, products))
        + (chain(a, ai, x, xi, mean, invStd, whole, 3, products)
        + chain(a, ai, x, xi, mean, invStd, whole, 7, products)));
    for (int i = whole; i < plane; i++) {
      s = term(a, ai + i, x, xi + i, mean, invStd, products, s);
    }
    return s;
  }

  /** Chain {@code l} of {@link #chainedSum}: values {@code l, l + 8, ...} below {@code whole}. */
  private static double chain(float[] a, int ai, float[] x, int xi, float mean, float invStd,
      int whole, int l, boolean products) {
    double s = 0;
    for (int i = l; i < whole; i += 8) {
      s = term(a, ai + i, x, xi + i, mean, invStd, products, s);
    }
    return s;
  }

  /** {@code s} plus one term of {@link #chainedSum}; the product of two floats is exact. */
  private static double term(float[] a, int ai, float[] x, int xi, float mean, float invStd,
      boolean products, double s) {
    double g = a[ai];
    return products ? Math.fma(g, (x[xi] - mean) * invStd, s) : s + g;
  }

  /**
   * The mean of each 2 x 2 window at stride 2, without padding ({@link Windows} with those
   * settings, LeNet's pools), over {@code planes} planes of {@code h x w} into planes of
   * {@code h / 2 x w / 2}: each mean's four terms added from 0 in the window's row-major order,
   * then times 0.25. This default is the scalar reference; the vector kernels override it with the
   * same bits.
   *
   * @param planes the number of planes (channels times examples: they are contiguous)
   * @param h the height of each plane
   * @param w the width of each plane
   * @param x the planes
   * @param xOff the index of the first plane's first element
   * @param out receives the means
   * @param outOff the index of the first mean
   */
  default void avgPool2x2(int planes, int h, int w, float[] x, int xOff, float[] out,
      int outOff) {
    int oh = h / 2;
    int ow = w / 2;
    for (int p = 0; p < planes; p++) {
      for (int oy = 0; oy < oh; oy++) {
        int top = xOff + (p * h + 2 * oy) * w;
        int bottom = top + w;
        int o = outOff + (p * oh + oy) * ow;
        for (int ox = 0; ox < ow; ox++) {
          int at = 2 * ox;
          out[o + ox] = ((((0f + x[top + at]) + x[top + at + 1]) + x[bottom + at])
              + x[bottom + at + 1]) * 0.25f;
        }
      }
    }
  }

  /**
   * {@link #avgPool2x2}'s backward pass, written over {@code dx}: each input of a window receives
   * a quarter of its gradient (as {@code 0 + g / 4}, what adding it into zeros gives), inputs in
   * no window (an odd last row or column) zero. No zero-filling pass first: each input is in one
   * window at most.
   *
   * @param planes the number of planes
   * @param h the height of each input plane
   * @param w the width of each input plane
   * @param dOut the gradient with respect to the means
   * @param dOutOff the index of its first element
   * @param dx receives the gradient with respect to the planes
   * @param dxOff the index of its first element
   */
  default void avgPool2x2Backward(int planes, int h, int w, float[] dOut, int dOutOff,
      float[] dx, int dxOff) {
    int oh = h / 2;
    int ow = w / 2;
    for (int p = 0; p < planes; p++) {
      for (int oy = 0; oy < oh; oy++) {
        int top = dxOff + (p * h + 2 * oy) * w;
        int bottom = top + w;
        int o = dOutOff + (p * oh + oy) * ow;
        for (int ox = 0; ox < ow; ox++) {
          float g = 0f + dOut[o + ox] * 0.25f;
          int at = 2 * ox;
          dx[top + at] = g;
          dx[top + at + 1] = g;
          dx[bottom + at] = g;
          dx[bottom + at + 1] = g;
        }
      }
      avgPool2x2ZeroEdges(p, h, w, dx, dxOff);
    }
  }

  /**
   * Zeros where plane {@code p}'s 2 x 2 windows do not reach: its last column when {@code w} is
   * odd, its last row when {@code h} is.
   *
   * @param p the plane
   * @param h the height of each plane
   * @param w the width of each plane
   * @param dx the planes
   * @param dxOff the index of the first plane's first element
   */
  private static void avgPool2x2ZeroEdges(int p, int h, int w, float[] dx, int dxOff) {
    int plane = dxOff + p * h * w;
    if (w % 2 == 1) {
      for (int y = 0; y < h; y++) {
        dx[plane + y * w + w - 1] = 0f;
      }
    }
    if (h % 2 == 1) {
      Arrays.fill(dx, plane + (h - 1) * w, plane + h * w, 0f);
    }
  }

  /**
   * {@link #addRowDots} with B's rows found through shifts: row j of B_s starts at
   * {@code bOff + s * bStride + shifts[j]}, so the rows may overlap. A stride-1 convolution's
   * weight gradient over a shard is this, with A_s an example's output gradient (zero at the
   * positions that are not outputs) and B_s its planes, read through the window offsets of
   * {@link #gemmShifted}. This default is the scalar reference; the vector kernels override it.
   *
   * @param m rows of each A_s and of C
   * @param n rows of each B_s (entries of {@code shifts}), columns of C
   * @param k the length of each row
   * @param segments the number of (A_s, B_s) pairs
   * @param a the A_s, row i of A_s at {@code aOff + s * aStride + i * lda}
   * @param aOff the index of A_0's first element
   * @param lda the distance between rows of an A_s
   * @param aStride the distance between A_s and A_s+1
   * @param b the B_s, row j of B_s at {@code bOff + s * bStride + shifts[j]}
   * @param bOff the index of B_0's first element
   * @param shifts where each row of a B_s starts, relative to that B_s
   * @param bStride the distance between B_s and B_s+1
   * @param c C, added into
   * @param cOff the index of C's first element
   * @param ldc the distance between C's rows
   */
  default void addShiftedDots(int m, int n, int k, int segments, float[] a, int aOff, int lda,
      int aStride, float[] b, int bOff, int[] shifts, int bStride, float[] c, int cOff,
      int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = 0f;
        for (int s = 0; s < segments; s++) {
          int ai = aOff + s * aStride + i * lda;
          int bi = bOff + s * bStride + shifts[j];
          for (int q = 0; q < k; q++) {
            sum += a[ai + q] * b[bi + q];
          }
        }
        c[cOff + i * ldc + j] += sum;
      }
    }
  }

  /**
   * {@link #addShiftedDots} with each A_s read from planes: row i of A_s is plane i of segment s
   * ({@code rows x width} values, row after row, at {@code aOff + s * aStride + i * rows * width})
   * laid out in rows of {@code rowWidth} positions with zeros past each row's {@code width}, so
   * {@code k = (rows - 1) * rowWidth + width}. A stride-1 convolution's weight gradient straight
   * from its output gradients, which {@link #addShiftedDots} needs copied into rows of the padded
   * width first: the vector kernels copy one segment at a time into a block that stays in cache.
   * The same bits as {@link #addShiftedDots} over the rows so laid out, in either
   * implementation. This default is the scalar reference; the vector kernels override it.
   *
   * @param m rows of each A_s (planes) and of C
   * @param n rows of each B_s (entries of {@code shifts}), columns of C
   * @param rows rows of each plane
   * @param width values in each row of a plane
   * @param rowWidth the positions a row of a plane takes in a row of A_s, at least {@code width}
   * @param segments the number of (A_s, B_s) pairs
   * @param a the planes
   * @param aOff the index of A_0's first plane
   * @param aStride the distance between A_s and A_s+1
   * @param b the B_s, row j of B_s at {@code bOff + s * bStride + shifts[j]}
   * @param bOff the index of B_0's first element
   * @param shifts where each row of a B_s starts, relative to that B_s
   * @param bStride the distance between B_s and B_s+1
   * @param c C, added into
   * @param cOff the index of C's first element
   * @param ldc the distance between C's rows
   */
  default void addShiftedDotsOfPlanes(int m, int n, int rows, int width, int rowWidth,
      int segments, float[] a, int aOff, int aStride, float[] b, int bOff, int[] shifts,
      int bStride, float[] c, int cOff, int ldc) {
    int k = (rows - 1) * rowWidth + width;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = 0f;
        for (int s = 0; s < segments; s++) {
          int ai = aOff + s * aStride + i * rows * width;
          int bi = bOff + s * bStride + shifts[j];
          for (int q = 0; q < k; q++) {
            int y = q / rowWidth;
            int x = q - y * rowWidth;
            float av = x < width ? a[ai + y * width + x] : 0f;
            sum += av * b[bi + q];
          }
        }
        c[cOff + i * ldc + j] += sum;
      }
    }
  }

  /**
   * {@code C[p][j] = sum over t < k of X[p][t] B[t][j]} for {@code p < n, j < m}, where the
   * windows matrix {@code X[p][t] = x[xOff + origins[p] + shifts[t]]} is read in place: a
   * convolution's im2row matrix (row p an output position's window, origins[p] where it starts
   * in the planes, shifts[t] a kernel offset's distance from there) times its weights transposed
   * ({@code B = W^T}, channels in the columns), with no copy of the windows. Each element is one
   * FMA chain over t in index order from 0, as {@link #gemmShifted} and the packed GEMM, so all
   * three give a convolution's output the same bits. This default is the scalar reference; the
   * vector kernels override it.
   *
   * @param n rows of X and C (output positions)
   * @param m columns of B and C (channels)
   * @param k columns of X, rows of B (entries of {@code shifts})
   * @param x the array X is read from
   * @param xOff the index added to every origin and shift
   * @param origins where each row of X starts, n entries
   * @param shifts the offset of each column of X from its row's origin, k entries
   * @param b matrix B, k x m
   * @param bOff the index of B's first element
   * @param ldb the distance between two rows of B
   * @param c matrix C, n x m, overwritten
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   */
  default void gemmWindows(int n, int m, int k, float[] x, int xOff, int[] origins,
      int[] shifts, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    for (int p = 0; p < n; p++) {
      for (int j = 0; j < m; j++) {
        float acc = 0f;
        for (int t = 0; t < k; t++) {
          acc = Math.fma(x[xOff + origins[p] + shifts[t]], b[bOff + t * ldb + j], acc);
        }
        c[cOff + p * ldc + j] = acc;
      }
    }
  }

  /**
   * {@code C[t][j] += sum over s, then p < n, of X_s[p][t] G_s[p][j]} for {@code t < k, j < m},
   * with {@code X_s[p][t] = x[xOff + s * xStride + origins[p] + shifts[t]]} (the windows of
   * {@link #gemmWindows}, one matrix per segment) and {@code G_s[p][j]} at
   * {@code gOff + s * gStride + p * ldg + j}: a convolution's weight gradient transposed, summed
   * over a shard's examples, from each example's planes and its output gradient with the channels
   * in the columns. Each element is one FMA chain from C's value over the segments and rows in
   * order: the same bits from this default (the scalar reference) and the vector kernels.
   *
   * @param k rows of C (kernel offsets, entries of {@code shifts})
   * @param m columns of each G_s and of C (channels)
   * @param n rows of each X_s and G_s (positions, entries of {@code origins})
   * @param segments the number of (X_s, G_s) pairs
   * @param x the array the X_s are read from
   * @param xOff the index added to every origin and shift of X_0
   * @param xStride the distance between X_s and X_s+1
   * @param origins where each row of an X_s starts
   * @param shifts the offset of each column of an X_s from its row's origin
   * @param g the G_s
   * @param gOff the index of G_0's first element
   * @param ldg the distance between two rows of a G_s
   * @param gStride the distance between G_s and G_s+1
   * @param c matrix C, k x m, added into
   * @param cOff the index of C's first element
   * @param ldc the distance between two rows of C
   */
  default void addWindowsTGemm(int k, int m, int n, int segments, float[] x, int xOff,
      int xStride, int[] origins, int[] shifts, float[] g, int gOff, int ldg, int gStride,
      float[] c, int cOff, int ldc) {
    for (int t = 0; t < k; t++) {
      for (int j = 0; j < m; j++) {
        float acc = c[cOff + t * ldc + j];
        for (int s = 0; s < segments; s++) {
          int xs = xOff + s * xStride + shifts[t];
          int gs = gOff + s * gStride + j;
          for (int p = 0; p < n; p++) {
            acc = Math.fma(x[xs + origins[p]], g[gs + p * ldg], acc);
          }
        }
        c[cOff + t * ldc + j] = acc;
      }
    }
  }

  /**
   * An inverted-dropout mask: {@code mask[off + j]} is {@code 1 / keep} with probability
   * {@code keep}, else 0, for {@code j < n}. Element j is kept when the top 24 bits of
   * {@link #dropoutHash dropoutHash(key, j)} are below {@code round(keep * 2^24)}: the mask is a
   * pure function of {@code key}, the same bits in every implementation and thread.
   *
   * @param n the number of elements
   * @param key the mask's key: a pure function of it
   * @param keep the probability of keeping an element, in (0, 1]
   * @param mask receives the mask
   * @param off the index of the first element written
   */
  void dropoutMask(int n, long key, float keep, float[] mask, int off);

  /**
   * The hash behind {@link #dropoutMask}: murmur3's 32-bit finaliser of
   * {@code ((int) key + j * 0x9E3779B9) ^ (int) (key >>> 32)}.
   *
   * @param key the mask's key
   * @param j the element's index
   * @return the 32-bit hash
   */
  static int dropoutHash(long key, int j) {
    int h = ((int) key + j * 0x9E3779B9) ^ (int) (key >>> 32);
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /**
   * The kept-element threshold of {@link #dropoutMask} for keep probability {@code keep}.
   *
   * @param keep the probability of keeping an element
   * @return the threshold, in [0, 2^24]
   */
  static int dropoutThreshold(float keep) {
    return (int) Math.min(1L << 24, Math.round((double) keep * (1 << 24)));
  }

  /**
   * As {@link Kernels#vector()}: fails, saying why, when the Vector API is not available.
   *
   * @return the vector kernels
   */
  static TrainingKernels vector() {
    return KernelProvider.vector();
  }

  /**
   * As {@link Kernels#bestAvailable()}.
   *
   * @return the fastest kernels this JVM can run
   */
  static TrainingKernels bestAvailable() {
    return KernelProvider.bestAvailable();
  }

  /**
   * The plain-Java scalar reference implementation.
   *
   * @return the scalar kernels
   */
  static TrainingKernels scalar() {
    return KernelProvider.SCALAR;
  }

  /**
   * The implementation for {@code backend}.
   *
   * @param backend which implementation
   * @return the kernels for that backend
   */
  static TrainingKernels of(Backend backend) {
    return backend == Backend.SCALAR ? scalar() : vector();
  }

  /**
   * As {@link Kernels#defaultKernels()}.
   *
   * @return the default kernels
   */
  static TrainingKernels defaultKernels() {
    return KernelProvider.defaults();
  }
}
