package simdlearn.data;

import java.util.List;

/**
 * What an image-classification dataset in IDX files is: its name, class names (English and
 * Chinese, as d2l prints them), and the base names of its four files (each may be stored gzipped
 * with a {@code .gz} suffix, or raw).
 */
public record DatasetSpec(String name, List<String> classNames, List<String> classNamesZh,
    String trainImages, String trainLabels, String testImages, String testLabels) {

  public DatasetSpec {
    classNames = List.copyOf(classNames);
    classNamesZh = List.copyOf(classNamesZh);
    if (classNames.size() != classNamesZh.size()) {
      throw new IllegalArgumentException("class name lists differ in length");
    }
  }

  /** Zalando's Fashion-MNIST: 60,000 train and 10,000 test 28 x 28 images, 10 clothing classes. */
  public static final DatasetSpec FASHION_MNIST = new DatasetSpec("fashion-mnist",
      List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
          "bag", "ankle boot"),
      List.of("T恤", "裤子", "套衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴"),
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

  /** LeCun's MNIST digits: same format and file names as Fashion-MNIST. */
  public static final DatasetSpec MNIST = new DatasetSpec("mnist",
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
      List.of("零", "一", "二", "三", "四", "五", "六", "七", "八", "九"),
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

  /** The spec named {@code fashion-mnist} or {@code mnist}. */
  public static DatasetSpec byName(String name) {
    return switch (name) {
      case "fashion-mnist" -> FASHION_MNIST;
      case "mnist" -> MNIST;
      default -> throw new IllegalArgumentException(
          "unknown dataset '" + name + "': use 'fashion-mnist' or 'mnist'");
    };
  }

  public int classes() {
    return classNames.size();
  }
}
