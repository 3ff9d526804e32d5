package simdlearn.train.recipes;

import java.util.Arrays;
import java.util.SplittableRandom;
import simdlearn.data.ImageDataset;
import simdlearn.data.RegressionDataset;
import simdlearn.data.SyntheticLinear;
import simdlearn.kernel.FloatMatrix;
import simdlearn.nn.Sequential;
import simdlearn.train.Experiment;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 4.5's weight decay: y = 0.01 * sum(x) + 0.05 + noise(0.01), 200 inputs, 20 training and 100
 * test examples, so that without decay the model overfits; weights and bias start from
 * N(0, initStd^2) (d2l: 1) and only the weights decay; MSE, SGD at lr 0.003, batch 5, 100 epochs.
 * The summary has the L2 norm of w.
 */
public final class HighDimLinearRegression extends Regression {
  /** Inputs of the model. */
  public static final int INPUTS = 200;


  /** A new instance; {@link Recipes#get} gives the registered one. */
  public HighDimLinearRegression() {}

  @Override
  public String name() {
    return "highdim-linear";
  }

  @Override
  public String kind() {
    return "highdim-linear-regression";
  }

  @Override
  public String summary() {
    return "weight decay on high-dimensional linear regression (d2l 4.5)";
  }

  @Override
  String defaultLoss() {
    return "mse";
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    bookOnly(name(), preset);
    return new TrainingConfig.Builder().epochs(100).batchSize(5).lr(0.003f).initStd(1.0);
  }

  @Override
  public Experiment experiment(TrainingConfig cfg, ModelOptions o, ImageDataset.Split images) {
    noImages(images);
    float[] w = new float[INPUTS];
    Arrays.fill(w, 0.01f);
    RegressionDataset train = SyntheticLinear.generate(w, 0.05f, 20, 0.01f, cfg.seed());
    RegressionDataset test = SyntheticLinear.generate(w, 0.05f, 100, 0.01f, cfg.seed() + 1);
    Sequential net = Sequential.builder(INPUTS).linear(1).build(cfg.initScheme(), cfg.seed());
    // d2l draws the bias from N(0, 1) too (param.data.normal_()): from a generator of its own,
    // seeded from the run's seed.
    SplittableRandom rng = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
    net.parameter("0.bias").value().set(0, 0, (float) (rng.nextGaussian() * cfg.initStd()));
    FloatMatrix weight = net.parameter("0.weight").value();
    return new Experiment(regressor(net), train, test, objective(o), o,
        s -> s.withWeightNorm(Math.sqrt(sumOfSquares(weight.toArray()))));
  }

  private static double sumOfSquares(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s;
  }
}
