import java.nio.file.Path;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Init;
import simdlearn.nn.Sequential;
import simdlearn.optim.Sgd;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;
import simdlearn.train.Objective;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;
import simdlearn.report.EpochLine;

/**
 * d2l 4.3, the concise multilayer perceptron: a Sequential network, a loss, an optimizer, and
 * the trainer (sharded, bit-identical for any thread count) with a listener printing each epoch.
 * Run: java --module-path ... --add-modules simdlearn.train Concise.java DATA_DIR [EPOCHS]
 * [MODEL_OUT]
 */
public class Concise {
  public static void main(String[] args) throws Exception {
    ImageDataset.Split data = ImageDataset.load(DatasetSpec.FASHION_MNIST, Path.of(args[0]));
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;

    Sequential net = Sequential.builder(784)
        .linear(256).relu()
        .linear(10)
        .build(new Init.Normal(0.01), 42);
    TrainingKernels k = TrainingKernels.vector();
    TrainingConfig settings = new TrainingConfig.Builder().epochs(epochs).batchSize(256).lr(0.1f)
        .build();
    TrainingListener print = new TrainingListener() {
      @Override
      public void epochDone(EpochLine e) {
        System.out.printf("epoch %d  train loss %.4f  train acc %.4f  test acc %.4f%n", e.epoch(),
            e.trainLoss(), e.trainAcc(), e.testAcc());
      }
    };
    TrainingResult result = new Trainer(settings, print).fit(
        Model.classifier("mlp", net, data.train()), data.train(), data.test(),
        Objective.classification(new SoftmaxCrossEntropy(k)), new Sgd(k));
    System.out.println(result.run().architecture() + ": test acc "
        + result.summary().finalTestAcc());
    if (args.length > 2) {
      ModelFile.save(result.model(), Path.of(args[2])); // bin/simdlearn predict reads it
    }
  }
}
