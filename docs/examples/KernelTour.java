import java.util.Arrays;
import java.util.Random;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;
import simdlearn.kernel.MatrixOps;

/**
 * A tour of simdlearn's kernel as a plain matrix library: matrices, products, elementwise
 * operations, threads, raw arrays and the errors it gives.
 * Run: java --module-path simdlearn-kernel.jar --add-modules simdlearn.kernel KernelTour.java
 */
public class KernelTour {
  public static void main(String[] args) {
    MatrixOps ops = MatrixOps.using(Kernels.vector()); // fails loudly if the Vector API is absent

    // Matrices: row-major floats; wrap() shares the array, of() copies.
    FloatMatrix a = FloatMatrix.of(new float[] {1, 2, 3}, new float[] {4, 5, 6});
    float[] raw = {1, 0, 0, 1, 1, 1};
    FloatMatrix b = FloatMatrix.wrap(raw, 3, 2); // no copy: raw and b are the same floats
    System.out.println(a);
    System.out.println("a * b = " + ops.multiply(a, b));
    System.out.println("a^T a = " + ops.multiply(true, a, false, a));

    // Elementwise operations and reductions.
    FloatMatrix twice = ops.scale(2f, a);
    System.out.println("2a - a == a: " + ops.subtract(twice, a).equals(a));
    System.out.println("norm " + ops.norm(a) + ", mean " + ops.mean(a) + ", max " + ops.max(a));

    // In-place forms write into a matrix you own and allocate nothing: reuse it in a loop.
    Random r = new Random(42);
    FloatMatrix x = FloatMatrix.zeros(512, 512);
    FloatMatrix y = FloatMatrix.zeros(512, 512);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) r.nextGaussian();
      y.data()[i] = (float) r.nextGaussian();
    }
    FloatMatrix xy = FloatMatrix.zeros(512, 512);
    ops.matmul(x, y, xy);

    // Threads: large products split over threads with the same bits as one thread.
    FloatMatrix xy2 = ops.withThreads(2).multiply(x, y);
    System.out.println("2 threads, same bits: " + xy.equals(xy2));

    // Raw arrays with offsets, BLAS style, for code that manages its own buffers.
    Kernels k = ops.kernels();
    float[] v = {1, 2, 3, 4, 5};
    float[] w = {1, 1, 1, 1, 1};
    k.axpy(3, 10f, v, 2, w, 0); // w[0..3) += 10 * v[2..5)
    System.out.println("dot " + k.dot(5, v, 0, v, 0) + ", axpy " + Arrays.toString(w));

    // Mistakes are exceptions that say what is wrong.
    try {
      ops.multiply(a, a);
    } catch (IllegalArgumentException e) {
      System.out.println(e.getMessage());
    }
    try {
      ops.matmul(a, FloatMatrix.identity(3), a); // a product written over its own factor
    } catch (IllegalArgumentException e) {
      System.out.println(e.getMessage());
    }
  }
}
