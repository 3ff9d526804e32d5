package simdlearn.train.recipes;

import java.util.Set;
import simdlearn.data.ImageDataset;
import simdlearn.nn.GlobalAvgPool2d;
import simdlearn.nn.Residual;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.train.ModelOptions;
import simdlearn.train.TrainingConfig;

/**
 * d2l 7.6's ResNet-18 on Fashion-MNIST: conv 7x7 (1 -> 64, stride 2, padding 3), batch norm,
 * ReLU, max pool 3/2 (padding 1); four stages of two residual blocks (64, 128, 256, 512
 * channels, each later stage halving the size with a 1x1-shortcut block of stride 2); global
 * average pooling, flatten, dense 512 -> 10. Xavier-uniform init, batch 256, lr 0.05, 10 epochs
 * of SGD. The book resizes the images to 96x96 ({@code --resize 96}); on 28x28 the last stage
 * works on 1x1 planes.
 */
public final class ResNet extends ConvolutionalClassifier {
  /** A new instance; {@link Recipes#get} gives the registered one. */
  public ResNet() {}

  @Override
  public String name() {
    return "resnet";
  }

  @Override
  public String kind() {
    return "resnet-18";
  }

  @Override
  public String summary() {
    return "ResNet-18, residual blocks with batch normalisation (d2l 7.6)";
  }

  @Override
  Set<String> ownOptions() {
    return Set.of();
  }

  @Override
  ModelOptions.Builder resolveOwn(ModelOptions given, ModelOptions.Builder b) {
    return b;
  }

  @Override
  public TrainingConfig.Builder defaults(ModelOptions options, String preset) {
    Regression.bookOnly(name(), preset);
    return new TrainingConfig.Builder().lr(0.05f).init("xavier");
  }

  @Override
  Sequential network(TrainingConfig cfg, ModelOptions o, ImageDataset train) {
    Sequential.Builder b = Sequential.builder(Shape.planes(1, train.height(), train.width()))
        .conv2d(64, 7, 3, 2).batchNorm().relu().maxPool2d(3, 2, 1);
    int channels = 64;
    for (int stage = 0; stage < 4; stage++) {
      int out = 64 << stage;
      // The first stage keeps the size after the max pool; the others halve it.
      b.add(new Residual.Spec(channels, out, stage > 0, stage > 0 ? 2 : 1));
      b.add(new Residual.Spec(out, out, false, 1));
      channels = out;
    }
    return b.add(new GlobalAvgPool2d.Spec()).flatten().linear(train.classes())
        .build(cfg.initScheme(), cfg.seed());
  }
}
