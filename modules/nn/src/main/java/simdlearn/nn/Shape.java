package simdlearn.nn;

import java.util.List;

/**
 * What one example looks like to a layer, batch excluded: a vector of features, or channels x
 * height x width planes stored row-major (PyTorch's {@code (C, H, W)}). A network checks when it
 * is built that each layer takes the shape the one before gives.
 */
public sealed interface Shape permits Shape.Features, Shape.Planes {
  /** Floats per example. */
  int size();

  /** The dimensions, outermost first: {@code [784]} or {@code [1, 28, 28]}. */
  List<Integer> dims();

  static Shape features(int count) {
    return new Features(count);
  }

  static Shape planes(int channels, int height, int width) {
    return new Planes(channels, height, width);
  }

  /** The shape with these dimensions (one: features; three: planes). */
  static Shape of(List<Integer> dims) {
    if (dims == null) {
      throw new IllegalArgumentException("a shape needs dimensions, got none");
    }
    return switch (dims.size()) {
      case 1 -> features(dims.get(0));
      case 3 -> planes(dims.get(0), dims.get(1), dims.get(2));
      default -> throw new IllegalArgumentException("a shape has 1 dimension (features) or 3"
          + " (channels, height, width), got " + dims);
    };
  }

  /**
   * Null if a layer taking {@code wanted} can read {@code given}, else which dimension disagrees,
   * e.g. "takes 400 features but gets 256" or "takes 6 channels but gets 1".
   */
  static String mismatch(Shape wanted, Shape given) {
    if (wanted.equals(given)) {
      return null;
    }
    if (wanted instanceof Planes w && given instanceof Planes g) {
      String[] names = {"channels", "height", "width"};
      for (int i = 0; i < 3; i++) {
        if (!w.dims().get(i).equals(g.dims().get(i))) {
          return "takes " + names[i] + " " + w.dims().get(i) + " but gets " + g.dims().get(i)
              + " (" + w + " against " + g + ")";
        }
      }
    }
    if (wanted instanceof Features && given instanceof Planes) {
      return "takes " + wanted + " features but gets " + given + " planes: add a flatten first";
    }
    return "takes " + wanted + " but gets " + given;
  }

  /** A vector of {@code count} floats. */
  record Features(int count) implements Shape {
    public Features {
      if (count <= 0) {
        throw new IllegalArgumentException("a feature vector needs a size > 0, got " + count);
      }
    }

    @Override
    public int size() {
      return count;
    }

    @Override
    public List<Integer> dims() {
      return List.of(count);
    }

    @Override
    public String toString() {
      return Integer.toString(count);
    }
  }

  /** {@code channels} planes of {@code height x width}, each row-major. */
  record Planes(int channels, int height, int width) implements Shape {
    public Planes {
      if (channels <= 0 || height <= 0 || width <= 0
          || (long) channels * height * width > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("impossible planes " + channels + "x" + height + "x"
            + width);
      }
    }

    @Override
    public int size() {
      return channels * height * width;
    }

    @Override
    public List<Integer> dims() {
      return List.of(channels, height, width);
    }

    @Override
    public String toString() {
      return channels + "x" + height + "x" + width;
    }
  }
}
