package simdlearn.jmh;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import simdlearn.data.DataDirectory;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.Backend;
import simdlearn.train.ModelOptions;
import simdlearn.train.Recipe;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;
import simdlearn.train.recipes.Recipes;

/**
 * Softmax regression with d2l's settings: {@code epoch} trains one whole epoch of Fashion-MNIST
 * (60,000 images, batch 256, shuffled) plus the test-set evaluation the trainer does after it;
 * {@code step} trains on a 256-image subset, i.e. one minibatch (plus its small evaluation).
 * Uses the real data when SIMDLEARN_DATA (or -Dsimdlearn.data.dir) names it, random pixels of the
 * same size otherwise. Vector and scalar kernels, 1 and 2 threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class TrainingBenchmark {
  @Param({"vector", "scalar"})
  public String backend;

  @Param({"1", "2"})
  public int threads;

  ImageDataset train;
  ImageDataset test;
  ImageDataset oneBatch;
  ImageDataset smallTest;
  TrainingConfig epochConfig;

  @Setup
  public void setUp() throws Exception {
    ImageDataset.Split s = data();
    train = s.train();
    test = s.test();
    oneBatch = train.head(256);
    smallTest = test.head(256);
    epochConfig = SOFTMAX.defaults(OPTIONS, "book").epochs(1).threads(threads)
        .backend(Backend.parse(backend)).build();
  }

  /** Fashion-MNIST from SIMDLEARN_DATA, else random pixels of the same size. */
  static ImageDataset.Split data() throws Exception {
    var dir = DataDirectory.configured();
    if (dir.isPresent()) {
      return ImageDataset.load(DatasetSpec.FASHION_MNIST, dir.get());
    }
    return new ImageDataset.Split(random(60_000, 1), random(10_000, 2));
  }

  static ImageDataset random(int n, long seed) {
    byte[] px = new byte[n * 784];
    byte[] labels = new byte[n];
    Random r = new Random(seed);
    r.nextBytes(px);
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) r.nextInt(10);
    }
    return new ImageDataset("random", DatasetSpec.FASHION_MNIST, n, 28, 28, px, labels, Map.of());
  }

  static final Recipe SOFTMAX = Recipes.get("softmax");
  static final ModelOptions OPTIONS = SOFTMAX.resolve(ModelOptions.NONE);

  @Benchmark
  public TrainingResult epoch() throws Exception {
    return new Trainer(epochConfig, TrainingListener.NONE).train(
        SOFTMAX.experiment(epochConfig, OPTIONS, new ImageDataset.Split(train, test)));
  }

  @Benchmark
  public TrainingResult step() throws Exception {
    return new Trainer(epochConfig, TrainingListener.NONE).train(
        SOFTMAX.experiment(epochConfig, OPTIONS, new ImageDataset.Split(oneBatch, smallTest)));
  }
}
