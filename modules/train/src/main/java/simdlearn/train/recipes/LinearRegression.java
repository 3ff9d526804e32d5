package simdlearn.train.recipes;

import java.util.function.UnaryOperator;
import simdlearn.data.ImageDataset;
import simdlearn.data.RegressionDataset;
import simdlearn.data.SyntheticLinear;
import simdlearn.nn.Sequential;
import simdlearn.train.Experiment;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 3.2/3.3's linear regression: w = [2, -3.4], b = 4.2, 1000 examples with noise 0.01; 3
 * epochs, batch 10, lr 0.03, squared loss. After each epoch the mean loss over the training set;
 * the summary has the learned parameters beside the closed-form least squares and the truth.
 */
public final class LinearRegression extends Regression {
  @Override
  public String name() {
    return "linear";
  }


  /** A new instance; {@link Recipes#get} gives the registered one. */
  public LinearRegression() {}

  @Override
  public String kind() {
    return "linear-regression";
  }

  @Override
  public String summary() {
    return "linear regression on synthetic data (d2l 3.2)";
  }

  @Override
  String defaultLoss() {
    return "squared";
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    bookOnly(name(), preset);
    return new TrainingConfig.Builder().epochs(3).batchSize(10).lr(0.03f);
  }

  @Override
  public Experiment experiment(TrainingConfig cfg, ModelOptions o, ImageDataset.Split images) {
    noImages(images);
    RegressionDataset data = SyntheticLinear.d2l(cfg.seed());
    Sequential net = Sequential.builder(data.features()).linear(1)
        .build(cfg.initScheme(), cfg.seed());
    UnaryOperator<simdlearn.report.SummaryLine> finish = s -> LinearFits.addTo(s,
        net.parameter("0.weight").value(), net.parameter("0.bias").value(), data,
        SyntheticLinear.D2L_W, SyntheticLinear.D2L_B);
    return new Experiment(regressor(net), data, null, objective(o), o, finish);
  }
}
