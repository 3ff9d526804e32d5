package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.StateTensor;
import simdlearn.testkit.TinyData;

/**
 * d2l 7.5's LeNet with batch normalisation in the trainer: statistics of the whole minibatch
 * whatever the threads (bit for bit), running statistics kept by model files and checkpoints, and
 * a resumed run that ends where an uninterrupted one does.
 */
class BatchNormTrainingTest {
  static final ImageDataset IMAGES = TinyData.images(TinyData.SPEC, "t", 96, 28, 3, 5);

  @TempDir
  Path dir;

  /** Minibatches of 40 in shards of 16: three shards (16, 16, 8) meet at every batch norm. */
  static TrainingConfig config(int threads, int epochs) {
    return Runs.book("lenet-bn", ModelOptions.NONE).batchSize(40).shardSize(16).threads(threads)
        .epochs(epochs).build();
  }

  static TrainingResult train(TrainingConfig cfg, Trainer trainer) {
    return trainer.train(Runs.experiment(cfg, "lenet-bn", ModelOptions.NONE, IMAGES, IMAGES));
  }

  @Test
  void sameBitsOnOneOrThreeThreadsAndTheRunningStatisticsMove() {
    TrainingResult one = train(config(1, 2), new Trainer(config(1, 2), TrainingListener.NONE));
    TrainingResult three = train(config(3, 2), new Trainer(config(3, 2), TrainingListener.NONE));
    assertArrayEquals(TrainerTest.weights(one), TrainerTest.weights(three), 0f,
        "parameters and running statistics");
    assertEquals(RealDataTrainingTest.untimed(one.epochs()),
        RealDataTrainingTest.untimed(three.epochs()));
    List<StateTensor> buffers = one.model().network().buffers();
    assertEquals(8, buffers.size());
    assertEquals(buffers.stream().map(StateTensor::name).toList(), one.run().runningStatistics(),
        "the report's run line names them");
    assertEquals("1.running_mean", one.run().runningStatistics().get(0));
    assertNotEquals(0f, buffers.get(0).value().get(0, 0), "running mean left 0");
    assertNotEquals(1f, buffers.get(1).value().get(0, 0), "running variance left 1");
  }

  /**
   * Partitions ({@code --shards 3}: the 96 rows in three partitions of 32, each minibatch's
   * shards of uneven and changing sizes) meet at every batch norm too: the same bits on one or
   * three threads, and the whole-batch statistics move as with fixed-size shards.
   */
  @Test
  void partitionsMeetWithTheSameBitsOnAnyThreadCount() {
    TrainingConfig one = config(1, 2).toBuilder().shards(3).build();
    TrainingConfig three = config(3, 2).toBuilder().shards(3).build();
    TrainingResult a = train(one, new Trainer(one, TrainingListener.NONE));
    TrainingResult b = train(three, new Trainer(three, TrainingListener.NONE));
    assertArrayEquals(TrainerTest.weights(a), TrainerTest.weights(b), 0f);
    assertEquals(RealDataTrainingTest.untimed(a.epochs()),
        RealDataTrainingTest.untimed(b.epochs()));
    assertNotEquals(0f, a.model().network().buffers().get(0).value().get(0, 0),
        "running mean left 0");
    // Fixed-size shards and partitions split each minibatch differently: close, not equal.
    TrainingResult fixed = train(config(1, 2), new Trainer(config(1, 2), TrainingListener.NONE));
    assertEquals(fixed.epochs().get(1).trainLoss(), a.epochs().get(1).trainLoss(), 1e-3);
  }

  @Test
  void modelFilesKeepTheRunningStatisticsAndPredictWithThem() throws Exception {
    TrainingResult r = train(config(2, 1), new Trainer(config(2, 1), TrainingListener.NONE));
    Path file = dir.resolve("model.json");
    ModelFile.save(r.model(), file);
    Model loaded = ModelFile.load(file);
    assertArrayEquals(TrainerTest.weights(r.model()), TrainerTest.weights(loaded), 0f);
    assertEquals(r.model().network().state().stream().map(StateTensor::name).toList(),
        loaded.network().state().stream().map(StateTensor::name).toList());
    TrainingKernels k = TrainingKernels.vector();
    FloatMatrix x = FloatMatrix.zeros(IMAGES.size(), IMAGES.features());
    int[] order = java.util.stream.IntStream.range(0, IMAGES.size()).toArray();
    IMAGES.copyFeatures(order, 0, IMAGES.size(), x.data(), 0);
    assertArrayEquals(r.model().outputs(k, x).toArray(), loaded.outputs(k, x).toArray(), 0f,
        "evaluation reads the running statistics, which the file kept");
  }

  @Test
  void aResumedRunEndsWithTheUninterruptedRunsBits() {
    TrainingResult whole = train(config(2, 3), new Trainer(config(2, 3), TrainingListener.NONE));
    List<Checkpoint> saved = new ArrayList<>();
    train(config(2, 2), new Trainer(config(2, 2), TrainingListener.NONE)
        .checkpointingTo(c -> saved.add(c.copy())));
    Checkpoint afterTwo = saved.get(saved.size() - 1);
    TrainingResult resumed = train(config(1, 3), new Trainer(config(1, 3), TrainingListener.NONE)
        .resumingFrom(afterTwo));
    assertArrayEquals(TrainerTest.weights(whole), TrainerTest.weights(resumed), 0f);
    assertEquals(RealDataTrainingTest.untimed(whole.epochs()),
        RealDataTrainingTest.untimed(resumed.epochs()));
  }
}
