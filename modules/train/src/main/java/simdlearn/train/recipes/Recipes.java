package simdlearn.train.recipes;

import java.util.List;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.Recipe;

/** Every model this engine trains, by the name {@code --model} gives it. */
public final class Recipes {
  private static final List<Recipe> ALL = List.of(new SoftmaxRegression(), new Mlp(),
      new LinearRegression(), new PolynomialRegression(), new HighDimLinearRegression(),
      new LogisticClassifier(), new LeNet(), new LeNetBatchNorm(), new ResNet());

  private Recipes() {}

  public static List<Recipe> all() {
    return ALL;
  }

  /** The names, in the order of {@link #all()}. */
  public static List<String> names() {
    return ALL.stream().map(Recipe::name).toList();
  }

  /**
   * The recipe named {@code name}.
   *
   * @throws InvalidSettingException naming the models when there is none
   */
  public static Recipe get(String name) {
    for (Recipe r : ALL) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new InvalidSettingException("model", "must be one of " + String.join(", ", names())
        + "; got '" + name + "'");
  }
}
