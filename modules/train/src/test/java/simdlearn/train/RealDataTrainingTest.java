package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import simdlearn.data.DataDirectory;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.Backend;
import simdlearn.train.report.EpochLine;
import simdlearn.train.report.SummaryLine;

/** The book's softmax regression on the real Fashion-MNIST (mandatory in CI). */
class RealDataTrainingTest {

  static ImageDataset.Split data() throws Exception {
    var dir = DataDirectory.configured();
    if (dir.isEmpty()) {
      assertTrue(!"true".equals(System.getenv("CI")),
          "CI=true but no data directory: set " + DataDirectory.ENV);
      Assumptions.abort("no data directory configured (" + DataDirectory.ENV + ")");
    }
    return ImageDataset.load(DatasetSpec.FASHION_MNIST, dir.get());
  }

  static TrainingConfig withThreads(int threads) {
    return TrainingConfig.softmaxDefaults().toBuilder().threads(threads).backend(Backend.VECTOR)
        .build();
  }

  @Test
  void defaultRunMeetsTheBooksChecksAndIsThreadIndependent() throws Exception {
    ImageDataset.Split s = data();
    TrainingResult two = new Trainer(withThreads(2), TrainingListener.NONE)
        .trainClassifier(s.train(), s.test());
    SummaryLine sum = two.summary();
    // d2l 3.6's own assertions, and the project's bar on test accuracy.
    assertTrue(sum.finalTrainLoss() < 0.5, "train loss " + sum.finalTrainLoss());
    assertTrue(sum.finalTrainAcc() > 0.7, "train acc " + sum.finalTrainAcc());
    assertTrue(sum.finalTestAcc() > 0.7, "test acc " + sum.finalTestAcc());
    assertTrue(sum.finalTestAcc() >= 0.82, "test acc " + sum.finalTestAcc() + " below 0.82");
    assertEquals(10, sum.perClassAccuracy().size());

    TrainingResult one = new Trainer(withThreads(1), TrainingListener.NONE)
        .trainClassifier(s.train(), s.test());
    assertArrayEquals(TrainerTest.weights(two), TrainerTest.weights(one), 0f,
        "1 and 2 threads give bit-identical weights");
    assertEquals(untimed(two.epochs()), untimed(one.epochs()));
    assertEquals(two.summary().confusionMatrix(), one.summary().confusionMatrix());
  }

  static List<List<Object>> untimed(List<EpochLine> epochs) {
    return epochs.stream().map(e -> List.<Object>of(e.epoch(), e.trainLoss(), e.trainAcc(),
        e.testAcc(), e.lr())).toList();
  }

}
