package simdlearn.nn;

import java.util.Objects;
import simdlearn.kernel.FloatMatrix;

/**
 * A named tensor of a network's state, as in a PyTorch state dict: a parameter's values
 * ({@code 0.weight}) or a buffer that training changes without a gradient ({@code 1.running_mean}
 * of a batch normalisation). Model files and checkpoints keep every one.
 *
 * @param name the state-dict name
 * @param value the values, changed in place
 */
public record StateTensor(String name, FloatMatrix value) {
  public StateTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
