package simdlearn.optim;

import java.util.Objects;
import simdlearn.kernel.FloatMatrix;

/** A named trainable tensor and the gradient buffer of the same shape that training fills. */
public record Parameter(String name, FloatMatrix value, FloatMatrix grad) {
  public Parameter {
    Objects.requireNonNull(name, "name");
    if (value.rows() != grad.rows() || value.cols() != grad.cols()) {
      throw new IllegalArgumentException(name + ": gradient " + grad + " does not match value "
          + value);
    }
  }

  /** A parameter with a fresh zero gradient of the same shape. */
  public static Parameter of(String name, FloatMatrix value) {
    return new Parameter(name, value, FloatMatrix.zeros(value.rows(), value.cols()));
  }
}
