package simdlearn.optim;

import java.util.Objects;
import simdlearn.kernel.FloatMatrix;

/**
 * A named trainable tensor, the gradient buffer of the same shape that training fills, and whether
 * weight decay applies to it. Weights decay; biases do not (d2l 4.5's concise version, PyTorch
 * parameter groups with {@code weight_decay=0} for biases): shrinking a bias towards 0 regularises
 * nothing and only shifts the outputs.
 */
public record Parameter(String name, FloatMatrix value, FloatMatrix grad, boolean decays) {
  public Parameter {
    Objects.requireNonNull(name, "name");
    if (value.rows() != grad.rows() || value.cols() != grad.cols()) {
      throw new IllegalArgumentException(name + ": gradient " + grad + " does not match value "
          + value);
    }
  }

  /** A weight: a fresh zero gradient of the same shape; weight decay applies. */
  public static Parameter of(String name, FloatMatrix value) {
    return new Parameter(name, value, FloatMatrix.zeros(value.rows(), value.cols()), true);
  }

  /** A bias: a fresh zero gradient of the same shape; weight decay never applies. */
  public static Parameter bias(String name, FloatMatrix value) {
    return new Parameter(name, value, FloatMatrix.zeros(value.rows(), value.cols()), false);
  }
}
