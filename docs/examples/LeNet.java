import java.nio.file.Path;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Init;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.optim.Sgd;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.report.EpochLine;
import simdlearn.train.Model;
import simdlearn.train.Objective;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;

/**
 * d2l 6.6, LeNet: convolutions, pooling and dense layers in a Sequential that reads the images
 * as 1 x 28 x 28 planes, Xavier-uniform weights, SGD at lr 0.9, batch 256.
 * Run: java --module-path ... --add-modules simdlearn.train LeNet.java DATA_DIR [EPOCHS]
 */
public class LeNet {
  public static void main(String[] args) throws Exception {
    ImageDataset.Split data = ImageDataset.load(DatasetSpec.FASHION_MNIST, Path.of(args[0]));
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;

    Sequential net = Sequential.builder(Shape.planes(1, 28, 28))
        .conv2d(6, 5, 2, 1).sigmoid().avgPool2d(2, 2, 0)
        .conv2d(16, 5, 0, 1).sigmoid().avgPool2d(2, 2, 0)
        .flatten()
        .linear(120).sigmoid()
        .linear(84).sigmoid()
        .linear(10)
        .build(new Init.XavierUniform(), 42);
    TrainingKernels k = TrainingKernels.vector();
    TrainingConfig settings = new TrainingConfig.Builder().epochs(epochs).batchSize(256)
        .lr(0.9f).build();
    TrainingListener print = new TrainingListener() {
      @Override
      public void epochDone(EpochLine e) {
        System.out.printf("epoch %d  train loss %.4f  train acc %.4f  test acc %.4f%n", e.epoch(),
            e.trainLoss(), e.trainAcc(), e.testAcc());
      }
    };
    TrainingResult result = new Trainer(settings, print).fit(
        Model.classifier("lenet", net, data.train()), data.train(), data.test(),
        Objective.classification(new SoftmaxCrossEntropy(k)), new Sgd(k));
    System.out.println(net.describe() + ": test acc " + result.summary().finalTestAcc());
  }
}
