package simdlearn.train.recipes;

import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.train.InvalidSettingException;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 6.6's LeNet-5 on Fashion-MNIST: conv 5x5 (1 -> 6, padding 2), sigmoid, average pool 2/2,
 * conv 5x5 (6 -> 16), sigmoid, average pool 2/2, flatten, dense 400 -> 120 -> 84 -> 10 with
 * sigmoids; Xavier-uniform init, batch 256, lr 0.9, 10 epochs of SGD, as the book's
 * {@code train_ch6}. {@code --activation relu --pool max} gives the modern variant.
 */
public final class LeNet extends ConvolutionalClassifier {
  /** A new instance; {@link Recipes#get} gives the registered one. */
  public LeNet() {}

  @Override
  public String name() {
    return "lenet";
  }

  @Override
  public String kind() {
    return "lenet";
  }

  @Override
  public String summary() {
    return "LeNet-5, a convolutional network (d2l 6.6)";
  }

  @Override
  Set<String> ownOptions() {
    return Set.of("activation", "pool");
  }

  @Override
  ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b) {
    String pool = given.pool() == null ? "avg" : given.pool();
    if (!pool.equals("avg") && !pool.equals("max")) {
      throw new InvalidSettingException("pool", "must be avg or max, got '" + pool + "'");
    }
    return resolveActivation(given, b, "sigmoid").pool(pool);
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    Regression.bookOnly(name(), preset);
    return new TrainingConfig.Builder().lr(0.9f).init("xavier");
  }

  @Override
  Sequential network(TrainingConfig cfg, ModelOptions o, ImageDataset train) {
    LayerSpec act = activation(o.activation(), o);
    boolean max = o.pool().equals("max");
    Sequential.Builder b = Sequential.builder(Shape.planes(1, train.height(), train.width()))
        .conv2d(6, 5, 2, 1).add(act);
    b = max ? b.maxPool2d(2, 2, 0) : b.avgPool2d(2, 2, 0);
    b.conv2d(16, 5, 0, 1).add(act);
    b = max ? b.maxPool2d(2, 2, 0) : b.avgPool2d(2, 2, 0);
    return b.flatten().linear(120).add(act).linear(84).add(act).linear(train.classes())
        .build(cfg.initScheme(), cfg.seed());
  }
}
