package simdlearn.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;

/** Small learnable image data for fast tests: class c lights up row band c, plus noise. */
public final class TinyData {
  private TinyData() {}

  public static final DatasetSpec SPEC = new DatasetSpec("tiny", List.of("top", "middle", "bottom"),
      List.of("上", "中", "下"), "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

  public static ImageDataset images(String name, int n, long seed) {
    return images(SPEC, name, n, 6, 3, seed);
  }

  public static ImageDataset images(DatasetSpec spec, String name, int n, int side, int classes,
      long seed) {
    Random r = new Random(seed);
    byte[] px = new byte[n * side * side];
    byte[] labels = new byte[n];
    int band = side / classes;
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(classes);
      labels[i] = (byte) c;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int v = r.nextInt(90);
          if (y / Math.max(1, band) == c) {
            v += 120;
          }
          px[(i * side + y) * side + x] = (byte) Math.min(255, v);
        }
      }
    }
    return new ImageDataset(name, spec, n, side, side, px, labels, Map.of());
  }

  /** Writes a fake Fashion-MNIST directory (28x28, 10 classes) as gzipped IDX files. */
  public static void writeFashionMnist(Path dir, int train, int test) throws IOException {
    DatasetSpec spec = DatasetSpec.FASHION_MNIST;
    write(dir, spec.trainImages(), spec.trainLabels(),
        images(spec, "train", train, 28, 10, 1));
    write(dir, spec.testImages(), spec.testLabels(), images(spec, "test", test, 28, 10, 2));
  }

  private static void write(Path dir, String imagesName, String labelsName, ImageDataset d)
      throws IOException {
    byte[] px = new byte[d.size() * 784];
    byte[] lb = new byte[d.size()];
    for (int i = 0; i < d.size(); i++) {
      lb[i] = (byte) d.label(i);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          px[i * 784 + y * 28 + x] = (byte) d.pixel(i, y, x);
        }
      }
    }
    gz(dir.resolve(imagesName + ".gz"), idx(new int[] {d.size(), 28, 28}, px));
    gz(dir.resolve(labelsName + ".gz"), idx(new int[] {d.size()}, lb));
  }

  private static byte[] idx(int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  private static void gz(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content);
    }
  }
}
