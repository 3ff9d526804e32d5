package simdlearn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import simdlearn.data.Dataset;
import simdlearn.data.ImageDataset;
import simdlearn.data.PointDataset;
import simdlearn.data.RegressionDataset;
import simdlearn.data.SyntheticLinear;
import simdlearn.data.SyntheticPolynomial;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Linear;
import simdlearn.nn.Sequential;
import simdlearn.optim.BinaryLogisticLoss;
import simdlearn.optim.RegressionLoss;
import simdlearn.optim.SigmoidSquaredLoss;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.report.SummaryLine;

/**
 * One training job of the book: a model, its data, what it is trained to output, and what its
 * summary adds (the learned weights of a polynomial, say). Built from a {@link TrainingConfig} by
 * the factories below, run by {@link Trainer#train(Experiment)}.
 *
 * @param test evaluated after every epoch; null when the experiment has none
 * @param finish adds the experiment's own figures to the summary of a completed run
 */
public record Experiment(Model model, Dataset train, Dataset test, Objective objective,
    UnaryOperator<SummaryLine> finish) {

  public Experiment {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(finish, "finish");
  }

  /** Softmax regression or an MLP on images (d2l 3.6, 4.3, 4.6). */
  public static Experiment classifier(TrainingConfig cfg, ImageDataset train, ImageDataset test) {
    if (train.features() != test.features()) {
      throw new IllegalArgumentException("train images have " + train.features()
          + " pixels but test images " + test.features());
    }
    Sequential net = cfg.network(train.features(), train.classes());
    return new Experiment(Model.classifier(Trainer.kind(cfg), net, train), train, test,
        Objective.classification(new SoftmaxCrossEntropy(kernels(cfg))), UnaryOperator.identity());
  }

  /**
   * Linear regression (d2l 3.2): the mean loss over the training set after each epoch, and in the
   * summary the learned parameters beside the closed-form least squares and the truth.
   */
  public static Experiment linearRegression(TrainingConfig cfg, RegressionDataset data,
      float[] trueW, Float trueB) {
    Sequential net = cfg.network(data.features(), 1);
    Linear layer = (Linear) net.layers().get(0);
    return new Experiment(regressor(cfg, net), data, null,
        Objective.regression(RegressionLoss.byName(cfg.loss())),
        s -> LinearFits.addTo(s, layer, data, trueW, trueB));
  }

  /**
   * d2l 4.4's polynomial fitting: 100 training and 100 test points, a linear layer without bias
   * over the first {@code degree + 1} features; the summary has the learned and true weights.
   */
  public static Experiment polynomial(TrainingConfig cfg) {
    int degree = cfg.degree();
    SyntheticPolynomial.Split data = SyntheticPolynomial.generate(degree, cfg.seed());
    Sequential net = cfg.network(degree + 1, 1);
    Linear layer = (Linear) net.layers().get(0);
    List<Double> truth = decimals(SyntheticPolynomial.trueWeights(degree + 1));
    return new Experiment(regressor(cfg, net), data.train(), data.test(),
        Objective.regression(RegressionLoss.byName(cfg.loss())),
        s -> s.withWeights(decimals(layer.weight().toArray()), truth));
  }

  /** Inputs of d2l 4.5's high-dimensional linear regression. */
  public static final int HIGHDIM_INPUTS = 200;

  /**
   * d2l 4.5's weight decay: y = 0.01 * sum(x) + 0.05 + noise(0.01), 200 inputs, 20 training and
   * 100 test examples, so that without decay the model overfits; weights and bias start from
   * N(0, initStd^2) (d2l: 1) and only the weights decay. The summary has the L2 norm of w.
   */
  public static Experiment highDimLinear(TrainingConfig cfg) {
    float[] w = new float[HIGHDIM_INPUTS];
    java.util.Arrays.fill(w, 0.01f);
    RegressionDataset train = SyntheticLinear.generate(w, 0.05f, 20, 0.01f, cfg.seed());
    RegressionDataset test = SyntheticLinear.generate(w, 0.05f, 100, 0.01f, cfg.seed() + 1);
    Sequential net = cfg.network(HIGHDIM_INPUTS, 1);
    Linear layer = (Linear) net.layers().get(0);
    // d2l draws the bias from N(0, 1) too (param.data.normal_()): from a generator of its own,
    // seeded from the run's seed.
    SplittableRandom rng = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
    layer.bias().set(0, 0, (float) (rng.nextGaussian() * cfg.initStd()));
    return new Experiment(regressor(cfg, net), train, test,
        Objective.regression(RegressionLoss.byName(cfg.loss())),
        s -> s.withWeightNorm(Math.sqrt(sumOfSquares(layer.weight().toArray()))));
  }

  /**
   * A sigmoid linear classifier (z = w.x + b, y = sigmoid(z)) on two classes of images, e.g.
   * Fashion-MNIST's sneakers and ankle boots.
   */
  public static Experiment logistic(TrainingConfig cfg, ImageDataset train, ImageDataset test) {
    Sequential net = cfg.network(train.features(), 1);
    Model model = new Model(Trainer.kind(cfg), net, Model.Output.BINARY, train.classNames(),
        train.spec().classNamesZh(), train.height(), train.width());
    return new Experiment(model, train, test, binary(cfg), UnaryOperator.identity());
  }

  /** A sigmoid linear classifier on points (the two Gaussian clouds of {@code synthetic-2d}). */
  public static Experiment logistic(TrainingConfig cfg, PointDataset train, PointDataset test) {
    Sequential net = cfg.network(train.features(), 1);
    Model model = new Model(Trainer.kind(cfg), net, Model.Output.BINARY, train.classNames(),
        List.of(), 0, 0);
    return new Experiment(model, train, test, binary(cfg), UnaryOperator.identity());
  }

  private static Objective binary(TrainingConfig cfg) {
    return Objective.binary(cfg.loss().equals("squared") ? new SigmoidSquaredLoss()
        : new BinaryLogisticLoss());
  }

  private static Model regressor(TrainingConfig cfg, Sequential net) {
    return new Model(Trainer.kind(cfg), net, Model.Output.VALUES, List.of(), List.of(), 0, 0);
  }

  private static TrainingKernels kernels(TrainingConfig cfg) {
    return TrainingKernels.of(cfg.backend());
  }

  private static double sumOfSquares(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s;
  }

  private static List<Double> decimals(float[] v) {
    List<Double> out = new ArrayList<>();
    for (float x : v) {
      out.add(Trainer.decimal(x));
    }
    return out;
  }
}
