package simdlearn.nn;

/**
 * What a layer is, without its parameters: the architecture entry of a model file. Each layer type
 * has its own record ({@link Linear.Spec}, {@link Dropout.Spec}...), whose components are the
 * entry's fields; {@link LayerTypes} maps the type names of model files to those records. Not
 * sealed: a user's layer brings its own spec and registers it.
 */
public interface LayerSpec {
  /** The type name in model files: {@code linear}, {@code relu}, {@code dropout}... */
  String type();

  /**
   * A new layer of this kind reading examples of shape {@code input}, parameters zero (a model
   * file or an initialiser fills them).
   *
   * @param position the layer's index in its network: tells the random masks of two dropout
   *     layers apart
   * @throws IllegalArgumentException if the layer cannot read {@code input}
   */
  Layer build(Shape input, int position);

  /**
   * How many parameter floats {@link #build} would allocate for {@code input}, known before it
   * allocates them, so that a reader can refuse an impossible model file; 0 by default (a layer
   * without parameters).
   */
  default long parameterCount(Shape input) {
    return 0;
  }
}
