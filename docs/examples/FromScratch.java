import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;
import simdlearn.kernel.MatrixOps;
import simdlearn.optim.Parameter;
import simdlearn.optim.Sgd;
import simdlearn.optim.SoftmaxCrossEntropy;

/**
 * d2l 3.6, softmax regression from scratch: our own data reading and training loop, with only
 * simdlearn's kernel (matrices, GEMM) and optim (loss, SGD) modules.
 * Run: java --module-path ... --add-modules simdlearn.optim FromScratch.java DATA_DIR [EPOCHS]
 */
public class FromScratch {
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    float[] trainX = pixels(dir.resolve("train-images-idx3-ubyte.gz"));
    int[] trainY = labels(dir.resolve("train-labels-idx1-ubyte.gz"));
    float[] testX = pixels(dir.resolve("t10k-images-idx3-ubyte.gz"));
    int[] testY = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));

    // W ~ N(0, 0.01^2), b = 0, as d2l; W is 10 x 784 so logits = X W^T + b.
    Random rng = new Random(42);
    FloatMatrix w = FloatMatrix.zeros(10, 784);
    for (int i = 0; i < w.size(); i++) {
      w.data()[i] = (float) (rng.nextGaussian() * 0.01);
    }
    FloatMatrix b = FloatMatrix.zeros(1, 10);
    Parameter pw = Parameter.of("W", w);
    Parameter pb = Parameter.bias("b", b);
    Sgd sgd = new Sgd(Kernels.vector());
    sgd.init(List.of(pw, pb));
    MatrixOps ops = MatrixOps.using(Kernels.vector());
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Kernels.vector());

    int batch = 256;
    int n = trainY.length;
    FloatMatrix x = FloatMatrix.zeros(batch, 784);
    FloatMatrix logits = FloatMatrix.zeros(batch, 10);
    FloatMatrix grad = FloatMatrix.zeros(batch, 10);
    int[] y = new int[batch];
    float[] perExample = new float[batch];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int epoch = 1; epoch <= epochs; epoch++) {
      shuffle(order, rng);
      double total = 0;
      for (int start = 0; start < n; start += batch) {
        int rows = Math.min(batch, n - start);
        for (int r = 0; r < rows; r++) {
          System.arraycopy(trainX, order[start + r] * 784, x.data(), r * 784, 784);
          y[r] = trainY[order[start + r]];
        }
        FloatMatrix xb = x.rowRange(0, rows);
        FloatMatrix zb = logits.rowRange(0, rows);
        FloatMatrix gb = grad.rowRange(0, rows);
        ops.gemm(false, true, 1f, xb, w, 0f, zb); // logits = X W^T
        ops.addRowVectorInPlace(zb, b); // + b
        total += loss.lossAndGradient(zb, y, perExample, gb, 1f); // summed loss, softmax - onehot
        ops.gemm(true, false, 1f, gb, xb, 0f, pw.grad()); // dW = G^T X
        pb.grad().fill(0f);
        ops.addColumnSumsInPlace(gb, pb.grad()); // db = column sums of G
        sgd.step(0.1f, 1f / rows); // d2l's sgd: param -= lr * grad / batch_size
      }
      System.out.printf("epoch %d  train loss %.4f  test acc %.4f%n", epoch, total / n,
          accuracy(ops, w, b, testX, testY));
    }
  }

  static double accuracy(MatrixOps ops, FloatMatrix w, FloatMatrix b, float[] x, int[] y) {
    FloatMatrix logits = FloatMatrix.zeros(y.length, 10);
    ops.gemm(false, true, 1f, FloatMatrix.wrap(x, y.length, 784), w, 0f, logits);
    ops.addRowVectorInPlace(logits, b);
    int[] predicted = new int[y.length];
    ops.argmaxRows(logits, predicted);
    int right = 0;
    for (int i = 0; i < y.length; i++) {
      right += predicted[i] == y[i] ? 1 : 0;
    }
    return (double) right / y.length;
  }

  static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** An IDX file of unsigned bytes: magic, dimensions, then the data (d2l's loader does this). */
  static byte[] idx(Path file, int dims) throws IOException {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != (0x0800 | dims)) {
        throw new IOException(file + " is not an IDX file of " + dims + " dimensions");
      }
      long size = 1;
      for (int d = 0; d < dims; d++) {
        size *= in.readInt();
      }
      byte[] data = new byte[Math.toIntExact(size)];
      in.readFully(data);
      return data;
    }
  }

  static float[] pixels(Path file) throws IOException {
    byte[] bytes = idx(file, 3);
    float[] x = new float[bytes.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (bytes[i] & 0xFF) / 255f;
    }
    return x;
  }

  static int[] labels(Path file) throws IOException {
    byte[] bytes = idx(file, 1);
    int[] y = new int[bytes.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = bytes[i] & 0xFF;
    }
    return y;
  }
}
