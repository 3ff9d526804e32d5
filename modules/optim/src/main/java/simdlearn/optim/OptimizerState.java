package simdlearn.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of an optimizer's state: which optimizer, how many steps it has taken, and its
 * per-parameter buffers keyed {@code "parameter/buffer"} (e.g. {@code "W/momentum"},
 * {@code "b/adam.m"}). Arrays are copies, so the snapshot can be saved while training goes on.
 */
public record OptimizerState(String optimizer, long steps, Map<String, float[]> buffers) {
  public OptimizerState {
    Map<String, float[]> copy = new LinkedHashMap<>();
    buffers.forEach((k, v) -> copy.put(k, v.clone()));
    buffers = java.util.Collections.unmodifiableMap(copy);
  }
}
