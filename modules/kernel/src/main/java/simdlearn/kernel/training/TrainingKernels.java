package simdlearn.kernel.training;

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
