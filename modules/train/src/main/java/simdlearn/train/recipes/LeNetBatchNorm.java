package simdlearn.train.recipes;

import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 7.5's LeNet with batch normalisation on Fashion-MNIST: conv 5x5 (1 -> 6, no padding),
 * batch norm, sigmoid, average pool 2/2, conv 5x5 (6 -> 16), batch norm, sigmoid, average pool
 * 2/2, flatten, dense 256 -> 120 -> 84 -> 10 with batch norm and sigmoid after the first two;
 * Xavier-uniform init, batch 256, lr 1.0, 10 epochs of SGD, as the book's {@code train_ch6}.
 */
public final class LeNetBatchNorm extends ConvolutionalClassifier {
  /** A new instance; {@link Recipes#get} gives the registered one. */
  public LeNetBatchNorm() {}

  @Override
  public String name() {
    return "lenet-bn";
  }

  @Override
  public String kind() {
    return "lenet-bn";
  }

  @Override
  public String summary() {
    return "LeNet with batch normalisation (d2l 7.5)";
  }

  @Override
  Set<String> ownOptions() {
    return Set.of("activation");
  }

  @Override
  ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b) {
    return resolveActivation(given, b, "sigmoid");
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    Regression.bookOnly(name(), preset);
    return new TrainingConfig.Builder().lr(1.0f).init("xavier");
  }

  @Override
  Sequential network(TrainingConfig cfg, ModelOptions o, ImageDataset train) {
    LayerSpec act = activation(o.activation(), o);
    return Sequential.builder(Shape.planes(1, train.height(), train.width()))
        .conv2d(6, 5, 0, 1).batchNorm().add(act).avgPool2d(2, 2, 0)
        .conv2d(16, 5, 0, 1).batchNorm().add(act).avgPool2d(2, 2, 0)
        .flatten().linear(120).batchNorm().add(act).linear(84).batchNorm().add(act)
        .linear(train.classes())
        .build(cfg.initScheme(), cfg.seed());
  }
}
