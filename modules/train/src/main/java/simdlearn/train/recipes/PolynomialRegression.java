package simdlearn.train.recipes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.data.SyntheticPolynomial;
import simdlearn.nn.Sequential;
import simdlearn.train.Experiment;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 4.4's polynomial fitting: 100 training and 100 test points, a linear layer without bias
 * over the first degree + 1 features, initialised as PyTorch's {@code nn.Linear} (d2l keeps it),
 * PyTorch's MSE loss, SGD at lr 0.01, batch 10, 400 epochs (1500 for degree 19, d2l's overfitting
 * example). The summary has the learned and true weights.
 */
public final class PolynomialRegression extends Regression {
  /** Degree 19 is d2l's overfitting example. */
  static final int MAX_DEGREE = 19;


  /** A new instance; {@link Recipes#get} gives the registered one. */
  public PolynomialRegression() {}

  @Override
  public String name() {
    return "polynomial";
  }

  @Override
  public String kind() {
    return "polynomial-regression";
  }

  @Override
  public String summary() {
    return "polynomial fitting (d2l 4.4)";
  }

  @Override
  String defaultLoss() {
    return "mse";
  }

  @Override
  Set<String> ownOptions() {
    return Set.of("degree");
  }

  @Override
  ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b) {
    int degree = given.degree() == null ? 3 : given.degree();
    if (degree < 0 || degree > MAX_DEGREE) {
      throw new InvalidSettingException("degree", "must be between 0 and " + MAX_DEGREE
          + ", got " + degree);
    }
    return b.degree(degree);
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    bookOnly(name(), preset);
    return new TrainingConfig.Builder().epochs(options.degree() == 19 ? 1500 : 400)
        .batchSize(10).lr(0.01f).init("uniform");
  }

  @Override
  public Experiment experiment(TrainingConfig cfg, ModelOptions o, ImageDataset.Split images) {
    noImages(images);
    int degree = o.degree();
    SyntheticPolynomial.Split data = SyntheticPolynomial.generate(degree, cfg.seed());
    Sequential net = Sequential.builder(degree + 1).linear(1, false)
        .build(cfg.initScheme(), cfg.seed());
    List<Double> truth = decimals(SyntheticPolynomial.trueWeights(degree + 1));
    return new Experiment(regressor(net), data.train(), data.test(), objective(o), o,
        s -> s.withWeights(decimals(net.parameter("0.weight").value().toArray()), truth));
  }

  private static List<Double> decimals(float[] v) {
    List<Double> out = new ArrayList<>();
    for (float x : v) {
      out.add(Images.decimal(x));
    }
    return out;
  }
}
