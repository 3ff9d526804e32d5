package simdlearn.train.recipes;

import java.io.IOException;
import java.util.List;
import simdlearn.data.ImageDataset;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.ModelOptions;

/** What the recipes that train on images share: their data options and their preparation. */
final class Images {
  /** The image datasets the loaders know. */
  static final List<String> DATASETS = List.of("fashion-mnist", "mnist");

  private Images() {}

  /** The dataset option: {@code given}, or Fashion-MNIST when null; one of {@code known}. */
  static String dataset(String given, List<String> known) {
    String name = given == null ? "fashion-mnist" : given;
    if (!known.contains(name)) {
      throw new InvalidSettingException("dataset", "must be one of " + String.join(", ", known)
          + "; got '" + name + "'");
    }
    return name;
  }

  /** Checks the limit and resize options of an image model. */
  static void checkSizes(ModelOptions o) {
    if (o.limit() != null && o.limit() <= 0) {
      throw new InvalidSettingException("limit", "must be > 0, got " + o.limit());
    }
    if (o.resize() != null && o.resize() <= 0) {
      throw new InvalidSettingException("resize", "must be > 0, got " + o.resize());
    }
  }

  /**
   * The split as the options ask: the two {@code classes} (null: all), the first
   * {@code o.limit()} training images, resized to {@code o.resize()}.
   *
   * @throws IOException when the files do not fit the model (train and test images of
   *     different sizes, fewer images than asked for)
   */
  static ImageDataset.Split prepare(ImageDataset.Split split, ModelOptions o, int[] classes)
      throws IOException {
    ImageDataset train = split.train();
    ImageDataset test = split.test();
    if (o.resize() != null) {
      int side = o.resize();
      long bytes = (long) train.size() * side * side;
      if (bytes > Integer.MAX_VALUE - 8) {
        throw new InvalidSettingException("resize", side + " makes " + train.size()
            + " images of " + side + "x" + side + " (" + bytes / (1 << 20) + " MiB), more than"
            + " one Java array holds: resize to "
            + (int) Math.sqrt((Integer.MAX_VALUE - 8.0) / train.size()) + " or less, or limit"
            + " the images");
      }
    }
    try {
      if (classes != null) {
        train = train.withClasses(classes);
        test = test.withClasses(classes);
      }
      if (o.limit() != null) {
        train = train.head(o.limit());
      }
      if (o.resize() != null) {
        train = train.resized(o.resize());
        test = test.resized(o.resize());
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(train.name() + ": " + e.getMessage(), e);
    }
    if (train.features() != test.features()) {
      throw new IOException("train images are " + train.height() + "x" + train.width()
          + " but test images " + test.height() + "x" + test.width() + ": a dataset's files"
          + " hold images of one size");
    }
    return new ImageDataset.Split(train, test);
  }

  /** The float as its shortest decimal (0.1, not 0.10000000149011612), for reports. */
  static double decimal(float v) {
    return Double.parseDouble(Float.toString(v));
  }
}
