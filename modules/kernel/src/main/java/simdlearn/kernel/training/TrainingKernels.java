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

  /** {@code dst[i] = (src[i] & 0xFF) * scale}: unsigned bytes (pixels) to floats. */
  void bytesToFloats(int n, byte[] src, int srcOff, float scale, float[] dst, int dstOff);

  /**
   * Gathers rows of unsigned bytes into consecutive float rows (a shuffled minibatch of pixels):
   * row {@code r} of {@code dst} (at {@code dstOff + r * cols}) is
   * {@code (src[index[indexOff + r] * cols + j] & 0xFF) * scale} for {@code j < cols}.
   */
  void gatherBytesToFloats(int rows, int cols, byte[] src, int[] index, int indexOff, float scale,
      float[] dst, int dstOff);

  /**
   * {@code C = scale * X · B^T} (m x n) where X is the m x k matrix of gathered unsigned bytes:
   * row {@code r} of X is {@code x[rows[rowsOff + r] * k .. + k)} read as 0..255. The forward pass
   * of a narrow linear layer straight from pixels, without {@link #gatherBytesToFloats}' float
   * copy. B is n x k ({@code b[bOff + j * ldb + p]}); C is overwritten at
   * {@code c[cOff + r * ldc + j]}.
   */
  void gemmGatheredNT(int m, int n, int k, byte[] x, int[] rows, int rowsOff, float scale,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc);

  /**
   * {@code C = scale * A^T · X} (n x k) where A is m x n ({@code a[aOff + r * lda + i]}) and X the
   * m x k gathered unsigned-byte rows of {@link #gemmGatheredNT}: the weight gradient of a linear
   * layer on pixels. C is overwritten at {@code c[cOff + i * ldc + p]}.
   */
  void gemmTNGathered(int m, int n, int k, float[] a, int aOff, int lda, byte[] x, int[] rows,
      int rowsOff, float scale, float[] c, int cOff, int ldc);

  /**
   * ReLU's backward pass from its output: {@code dx[i] = y[i] > 0 ? dy[i] : 0} (0 at 0, as
   * PyTorch). {@code dx} may alias {@code dy}.
   */
  void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** Sigmoid's backward pass from its output: {@code dx[i] = dy[i] * y[i] * (1 - y[i])}. */
  void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** Tanh's backward pass from its output: {@code dx[i] = dy[i] * (1 - y[i]^2)}. */
  void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /**
   * An inverted-dropout mask: {@code mask[off + j]} is {@code 1 / keep} with probability
   * {@code keep}, else 0, for {@code j < n}. Element j is kept when the top 24 bits of
   * {@link #dropoutHash dropoutHash(key, j)} are below {@code round(keep * 2^24)}: the mask is a
   * pure function of {@code key}, the same bits in every implementation and thread.
   */
  void dropoutMask(int n, long key, float keep, float[] mask, int off);

  /**
   * The hash behind {@link #dropoutMask}: murmur3's 32-bit finaliser of
   * {@code ((int) key + j * 0x9E3779B9) ^ (int) (key >>> 32)}.
   */
  static int dropoutHash(long key, int j) {
    int h = ((int) key + j * 0x9E3779B9) ^ (int) (key >>> 32);
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /** The kept-element threshold of {@link #dropoutMask} for keep probability {@code keep}. */
  static int dropoutThreshold(float keep) {
    return (int) Math.min(1L << 24, Math.round((double) keep * (1 << 24)));
  }

  /** The Panama Vector API implementation (falls back to scalar if the vector module is absent). */
  static TrainingKernels vector() {
    return KernelProvider.VECTOR;
  }

  /** The plain-Java scalar reference implementation. */
  static TrainingKernels scalar() {
    return KernelProvider.SCALAR;
  }

  /** The implementation for {@code backend}. */
  static TrainingKernels of(Backend backend) {
    return backend == Backend.SCALAR ? scalar() : vector();
  }

  /** As {@link Kernels#defaultKernels()}. */
  static TrainingKernels defaultKernels() {
    return KernelProvider.defaults();
  }
}
