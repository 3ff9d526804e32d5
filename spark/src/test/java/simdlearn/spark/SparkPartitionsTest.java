package simdlearn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import simdlearn.data.DataDirectory;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.nn.StateTensor;
import simdlearn.report.EpochLine;
import simdlearn.report.RunLine;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.GlobalAvgPool2d;
import simdlearn.nn.Init;
import simdlearn.nn.Residual;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.testkit.TinyData;
import simdlearn.train.Checkpoint;
import simdlearn.train.Model;
import simdlearn.train.Objective;
import simdlearn.train.ModelOptions;
import simdlearn.train.PartitionedGradients;
import simdlearn.train.Recipe;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;
import simdlearn.train.recipes.Recipes;

/**
 * A Spark run on P partitions is the local run with {@code --shards P}, bit for bit, in
 * {@code local[2]} (one executor JVM: the driver's, two task threads).
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class SparkPartitionsTest {
  private static ImageDataset.Split data;

  @BeforeAll
  static void load() throws IOException {
    data = data();
  }

  /** The real Fashion-MNIST (mandatory in CI), loaded once per JVM. */
  static synchronized ImageDataset.Split data() throws IOException {
    if (loaded == null) {
      var dir = DataDirectory.configured();
      if (dir.isEmpty()) {
        assertTrue(!"true".equals(System.getenv("CI")),
            "CI=true but no data directory: set " + DataDirectory.ENV);
        Assumptions.abort("no data directory configured (" + DataDirectory.ENV + ")");
      }
      loaded = ImageDataset.load(DatasetSpec.FASHION_MNIST, dir.get());
    }
    return loaded;
  }

  private static ImageDataset.Split loaded;

  static TrainingResult train(String model, ModelOptions given, ImageDataset.Split s,
      int threads, PartitionedGradients engine) {
    Recipe r = Recipes.get(model);
    ModelOptions o = r.resolve(given);
    TrainingConfig cfg = r.defaults(o, "book").epochs(1).shards(4).threads(threads).build();
    Trainer t = new Trainer(cfg, TrainingListener.NONE);
    if (engine != null) {
      t.partitionedBy(engine);
    }
    return run(t, r, cfg, o, s);
  }

  /** The first {@code rows} training images and the first 1,000 test images. */
  private static ImageDataset.Split head(int rows) {
    return new ImageDataset.Split(data.train().head(rows), data.test().head(1000));
  }

  static List<float[]> state(TrainingResult r) {
    List<float[]> all = new ArrayList<>();
    for (StateTensor t : r.model().network().state()) {
      all.add(t.value().toArray());
    }
    return all;
  }

  /** The epoch lines without their timings. */
  static List<List<Object>> figures(TrainingResult r) {
    List<List<Object>> out = new ArrayList<>();
    for (EpochLine e : r.epochs()) {
      out.add(java.util.Arrays.asList(e.epoch(), e.trainLoss(), e.trainAcc(), e.testAcc(),
          e.testLoss(), e.lr()));
    }
    return out;
  }

  private static void assertSameRun(TrainingResult local, TrainingResult spark) {
    List<float[]> a = state(local);
    List<float[]> b = state(spark);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), 0f, "tensor " + i + " bit for bit");
    }
    assertEquals(figures(local), figures(spark));
    assertEquals(local.summary().confusionMatrix(), spark.summary().confusionMatrix());
  }

  @Test
  void softmaxOnFourPartitionsIsTheLocalRunWithFourShards() {
    TrainingResult local = train("softmax", ModelOptions.NONE, data, 2, null);
    TrainingResult spark = train("softmax", ModelOptions.NONE, data, 2,
        new SparkPartitions("local[2]", 4));
    assertSameRun(local, spark);
    assertTrue(local.summary().finalTestAcc() > 0.75, "it learns: " + local.summary());
    RunLine.Engine engine = spark.run().engine();
    assertEquals("spark", engine.name());
    assertEquals("local[2]", engine.master());
    assertEquals(4, engine.partitions());
    assertEquals(4, spark.run().settings().shards());
    assertEquals(RunLine.Engine.local(4), local.run().engine());
  }

  @Test
  void mlpWithDropoutOnFourPartitionsIsTheLocalRunWithFourShards() {
    ModelOptions mlp = new ModelOptions.Builder().dropout(List.of(0.5)).build();
    TrainingResult local = train("mlp", mlp, data, 1, null);
    TrainingResult spark = train("mlp", mlp, data, 2, new SparkPartitions("local[2]", 4));
    assertSameRun(local, spark);
  }

  @Test
  void aRetriedTaskGivesTheSameBits() {
    // local[2,2]: two task threads, and a failed task is tried again once.
    ImageDataset.Split small = head(2048);
    TrainingResult local = train("softmax", ModelOptions.NONE, small, 2, null);
    TrainingResult spark = train("softmax", ModelOptions.NONE, small, 2,
        new SparkPartitions("local[2,2]", 4).failingFirstAttemptOf(2));
    assertSameRun(local, spark);
  }

  /**
   * Batch normalisation's shards meet between Spark jobs (9 a step for LeNet-BN's four), the
   * driver adding their sums in partition order; a worker lost in the middle of a step (its
   * activations with it) is rebuilt and replays the step. Weights, running statistics and
   * figures are the local run's bits.
   */
  @Test
  void batchNormalisationMeetsAcrossExecutorsAndSurvivesALostWorker() {
    ImageDataset.Split small = head(2048);
    TrainingResult local = train("lenet-bn", ModelOptions.NONE, small, 2, null);
    TrainingResult spark = train("lenet-bn", ModelOptions.NONE, small, 2,
        new SparkPartitions("local[2,2]", 4).failingFirstAttemptOf(1));
    assertSameRun(local, spark);
    assertTrue(spark.run().runningStatistics().contains("1.running_mean"),
        spark.run().runningStatistics().toString());
  }

  /**
   * A network of the user's own from the layer API, with residual blocks (their batch norms meet
   * inside the block, a 1x1 shortcut in the first): the Spark run is the local one's bits.
   */
  @Test
  void aUsersResidualNetworkTrainsOnSparkWithTheLocalBits() {
    ImageDataset images = TinyData.images(TinyData.SPEC, "tiny/train", 90, 8, 3, 11);
    TrainingConfig cfg = new TrainingConfig.Builder().epochs(2).batchSize(30).lr(0.1f)
        .shards(3).threads(2).build();
    TrainingResult local = trainResidual(cfg, images, null);
    TrainingResult spark = trainResidual(cfg, images, new SparkPartitions("local[2]", 3));
    assertSameRun(local, spark);
    assertEquals(5, spark.model().network().meetings(), "11 jobs a step");
  }

  private static TrainingResult trainResidual(TrainingConfig cfg, ImageDataset images,
      PartitionedGradients engine) {
    Sequential net = Sequential.builder(Shape.planes(1, 8, 8)).conv2d(4, 3, 1, 1).batchNorm()
        .relu().add(new Residual.Spec(4, 6, true, 2)).add(new Residual.Spec(6, 6, false, 1))
        .add(new GlobalAvgPool2d.Spec()).flatten().linear(3)
        .build(new Init.XavierUniform(), 7);
    Model model = Model.classifier("residual-tiny", net, images);
    TrainingKernels k = TrainingKernels.of(cfg.backend());
    Trainer t = new Trainer(cfg, TrainingListener.NONE);
    if (engine != null) {
      t.partitionedBy(engine);
    }
    return t.fit(model, images, images, Objective.classification(new SoftmaxCrossEntropy(k)),
        cfg.optimizer(k));
  }

  @Test
  void aSparkCheckpointResumesOnTheLocalEngineWithTheSameFigures() {
    ImageDataset.Split small = head(4096);
    Recipe r = Recipes.get("mlp");
    ModelOptions o = r.resolve(ModelOptions.NONE);
    TrainingConfig cfg = r.defaults(o, "book").epochs(3).shards(4).threads(2).build();
    TrainingResult whole = run(new Trainer(cfg, TrainingListener.NONE), r, cfg, o, small);

    // Spark stops after its first epoch, as a signal would stop it; its checkpoint goes on here.
    List<Checkpoint> saved = new ArrayList<>();
    Trainer[] stopping = new Trainer[1];
    stopping[0] = new Trainer(cfg, new TrainingListener() {
      @Override
      public void epochDone(EpochLine epoch) {
        stopping[0].requestStop("test");
      }
    }).checkpointingTo(c -> saved.add(c.copy()))
        .partitionedBy(new SparkPartitions("local[2]", 4));
    TrainingResult first = run(stopping[0], r, cfg, o, small);
    assertEquals("interrupted", first.summary().status());
    Checkpoint after1 = saved.get(saved.size() - 1);
    assertEquals(1, after1.epochsCompleted());
    assertEquals("spark", after1.run().engine().name());

    TrainingResult rest = run(new Trainer(cfg, TrainingListener.NONE).resumingFrom(after1), r,
        cfg, o, small);
    assertSameRun(whole, rest);
    assertEquals(RunLine.Engine.local(4), rest.run().engine(), "the run line says where it went on");
  }

  private static TrainingResult run(Trainer t, Recipe r, TrainingConfig cfg, ModelOptions o,
      ImageDataset.Split s) {
    try {
      return t.train(r.experiment(cfg, o, s));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void fewerRowsThanPartitionsIsRefusedInOneLine() {
    ImageDataset.Split tiny = new ImageDataset.Split(data.train().head(3),
        data.test().head(10));
    try (var engine = new SparkPartitions("local[2]", 4)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> train("softmax", ModelOptions.NONE, tiny, 2, engine));
      assertEquals("the training set has 3 rows, fewer than the 4 partitions; use at most 3"
          + " partitions", e.getMessage());
    }
  }

  @Test
  void anUnreachableOrMalformedMasterIsRefusedInOneLine() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new SparkPartitions("spark://127.0.0.1:1", 4));
    assertTrue(e.getMessage().startsWith("cannot reach the Spark master at spark://127.0.0.1:1"),
        e.getMessage());
    var bad = assertThrows(IllegalArgumentException.class,
        () -> new SparkPartitions("nonsense", 4));
    assertTrue(bad.getMessage().startsWith("cannot start Spark on master 'nonsense'"),
        bad.getMessage());
    assertTrue(!bad.getMessage().contains("\n"), bad.getMessage());
  }
}
