package simdlearn.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Grayscale images with class labels, kept compactly as unsigned bytes (one byte per pixel, 47 MB
 * for Fashion-MNIST's training set rather than 188 MB of floats) and turned into floats in
 * [0, 1] by the kernel only when a batch is filled.
 */
public final class ImageDataset implements Dataset {
  private final String name;
  private final int count;
  private final int height;
  private final int width;
  private final byte[] pixels;
  private final byte[] labels;
  private final DatasetSpec spec;
  private final Map<String, String> sha256;

  /**
   * An in-memory dataset. {@code pixels} holds {@code count * height * width} bytes, row-major per
   * image; {@code labels} one class index per image. {@code sha256} maps source file names to their
   * checksums (empty when the data did not come from files).
   */
  public ImageDataset(String name, DatasetSpec spec, int count, int height, int width,
      byte[] pixels, byte[] labels, Map<String, String> sha256) {
    if (count < 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "impossible image dataset shape " + count + " x " + height + " x " + width);
    }
    if (pixels.length != (long) count * height * width || labels.length != count) {
      throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes and "
          + labels.length + " labels do not make " + count + " images of " + height + "x" + width);
    }
    for (int i = 0; i < count; i++) {
      if ((labels[i] & 0xFF) >= spec.classes()) {
        throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xFF) + " of image " + i
            + " is outside 0.." + (spec.classes() - 1));
      }
    }
    this.name = name;
    this.spec = spec;
    this.count = count;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
    this.labels = labels;
    this.sha256 = Map.copyOf(sha256);
  }

  /** The train and test halves of a dataset. */
  public record Split(ImageDataset train, ImageDataset test) {}

  /**
   * Loads a dataset's four IDX files from {@code dir}, each as {@code NAME.gz} or raw {@code NAME}.
   * The two halves are read in parallel (decompression dominates).
   *
   * @throws IOException naming the missing or malformed file
   */
  public static Split load(DatasetSpec spec, Path dir) throws IOException {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<ImageDataset> train = CompletableFuture.supplyAsync(
          () -> loadUnchecked(spec, dir, "train", spec.trainImages(), spec.trainLabels()), pool);
      CompletableFuture<ImageDataset> test = CompletableFuture.supplyAsync(
          () -> loadUnchecked(spec, dir, "test", spec.testImages(), spec.testLabels()), pool);
      return new Split(train.join(), test.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private static ImageDataset loadUnchecked(DatasetSpec spec, Path dir, String split,
      String images, String labels) {
    try {
      return load(spec, spec.name() + "/" + split, locate(dir, images), locate(dir, labels));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads one half from an images file and a labels file. */
  public static ImageDataset load(DatasetSpec spec, String name, Path imagesFile, Path labelsFile)
      throws IOException {
    Idx.UnsignedBytes images = Idx.readUnsignedBytes(imagesFile, 3);
    Idx.UnsignedBytes labels = Idx.readUnsignedBytes(labelsFile, 1);
    if (images.count() != labels.count()) {
      throw new IdxFormatException(labelsFile, "has " + labels.count() + " labels but "
          + imagesFile.getFileName() + " has " + images.count() + " images");
    }
    byte[] l = labels.data();
    for (int i = 0; i < l.length; i++) {
      if ((l[i] & 0xFF) >= spec.classes()) {
        throw new IdxFormatException(labelsFile, "label " + (l[i] & 0xFF) + " at index " + i
            + " is outside 0.." + (spec.classes() - 1));
      }
    }
    int[] d = images.dims();
    return new ImageDataset(name, spec, d[0], d[1], d[2], images.data(), l,
        Map.of(imagesFile.getFileName().toString(), images.sha256(),
            labelsFile.getFileName().toString(), labels.sha256()));
  }

  /** {@code dir/base.gz} if present, else {@code dir/base}; an exception naming both if neither. */
  static Path locate(Path dir, String base) throws IOException {
    Path gz = dir.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(base);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    throw new java.nio.file.NoSuchFileException(gz.toString(), null,
        "neither " + base + ".gz nor " + base + " is in " + dir);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String datasetName() {
    return spec.name();
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public int features() {
    return height * width;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public DatasetSpec spec() {
    return spec;
  }

  public int classes() {
    return spec.classes();
  }

  public List<String> classNames() {
    return spec.classNames();
  }

  /** Class index of image {@code i}. */
  public int label(int i) {
    return labels[i] & 0xFF;
  }

  /** Pixel (row r, column c) of image {@code i}, 0..255. */
  public int pixel(int i, int r, int c) {
    return pixels[(i * height + r) * width + c] & 0xFF;
  }

  /** SHA-256 of each source file, by file name; empty for generated data. */
  @Override
  public Map<String, String> sha256() {
    return sha256;
  }

  /**
   * All pixels, image after image, one unsigned byte each: the array itself, not a copy, so that
   * kernels can read minibatches straight from it ({@code TrainingKernels.gemmGatheredNT}). Do not modify.
   */
  public byte[] pixelBytes() {
    return pixels;
  }

  /** What a pixel byte is multiplied by to become a feature: 1/255, features in [0, 1]. */
  public float pixelScale() {
    return PIXEL_SCALE;
  }

  private static final float PIXEL_SCALE = 1f / 255f;

  @Override
  public void copyFeatures(int[] order, int from, int count, float[] dst, int dstOff) {
    Gather.KERNELS.gatherBytesToFloats(count, features(), pixels, order, from, PIXEL_SCALE, dst,
        dstOff);
  }

  @Override
  public boolean labelled() {
    return true;
  }

  @Override
  public void copyTargets(int[] order, int from, int count, Batch batch, int row) {
    int[] out = batch.labels();
    for (int r = 0; r < count; r++) {
      out[row + r] = labels[order[from + r]] & 0xFF;
    }
  }

  /**
   * A copy with every image resized to {@code size x size} by bilinear interpolation with
   * half-pixel centres (OpenCV's and PyTorch's {@code align_corners=False}), rounded to bytes, as
   * the d2l loader's {@code resize} argument does.
   */
  public ImageDataset resized(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("resize size must be > 0, got " + size);
    }
    if (size == height && size == width) {
      return this;
    }
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(count, size), size)];
    for (int i = 0; i < count; i++) {
      Images.resizeBilinear(pixels, i * height * width, height, width, out, i * size * size, size,
          size);
    }
    return new ImageDataset(name + "@" + size, spec, count, size, size, out, labels, sha256);
  }

  /**
   * The images of the given classes only, relabelled 0, 1, ... in the order given: e.g. classes
   * 7 and 9 of Fashion-MNIST (sneaker, ankle boot) for a binary classifier.
   */
  public ImageDataset withClasses(int... classes) {
    if (classes.length < 2) {
      throw new IllegalArgumentException("classes: needs at least two classes, got "
          + classes.length);
    }
    int[] relabel = new int[spec.classes()];
    java.util.Arrays.fill(relabel, -1);
    List<String> names = new java.util.ArrayList<>();
    List<String> zh = new java.util.ArrayList<>();
    for (int c = 0; c < classes.length; c++) {
      int k = classes[c];
      if (k < 0 || k >= spec.classes()) {
        throw new IllegalArgumentException("classes: " + spec.name() + " has classes 0.."
            + (spec.classes() - 1) + ", got " + k);
      }
      if (relabel[k] >= 0) {
        throw new IllegalArgumentException("classes: class " + k + " is given twice");
      }
      relabel[k] = c;
      names.add(spec.classNames().get(k));
      zh.add(spec.classNamesZh().get(k));
    }
    int m = 0;
    for (int i = 0; i < count; i++) {
      m += relabel[label(i)] >= 0 ? 1 : 0;
    }
    int size = height * width;
    byte[] p = new byte[m * size];
    byte[] l = new byte[m];
    for (int i = 0, j = 0; i < count; i++) {
      int c = relabel[label(i)];
      if (c >= 0) {
        System.arraycopy(pixels, i * size, p, j * size, size);
        l[j++] = (byte) c;
      }
    }
    String suffix = java.util.Arrays.toString(classes).replace(" ", "");
    DatasetSpec subset = new DatasetSpec(spec.name() + suffix, names, zh, spec.trainImages(),
        spec.trainLabels(), spec.testImages(), spec.testLabels());
    return new ImageDataset(name + suffix, subset, m, height, width, p, l, sha256);
  }

  /** A dataset of the first {@code n} images (for quick runs and tests). */
  public ImageDataset head(int n) {
    int m = Math.min(n, count);
    byte[] p = java.util.Arrays.copyOf(pixels, m * height * width);
    byte[] l = java.util.Arrays.copyOf(labels, m);
    return new ImageDataset(name + "[:" + m + "]", spec, m, height, width, p, l, sha256);
  }

  /**
   * The kernels float copies use, chosen on the first copy: a dataset that is only drawn or
   * counted (show, report) never loads the kernels, nor the Vector API with them.
   */
  private static final class Gather {
    static final TrainingKernels KERNELS = TrainingKernels.defaultKernels();
  }
}
