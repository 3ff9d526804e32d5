package simdlearn.jmh;

import java.util.List;
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
 * One training epoch of d2l chapter 4's multilayer perceptrons on Fashion-MNIST (60,000 images,
 * batch 256, shuffled) plus the test-set evaluation after it: {@code mlp} is d2l 4.3 (784-256-10,
 * ReLU, lr 0.1), {@code dropout} d2l 4.6 (784-256-256-10, dropout 0.2 and 0.5, lr 0.5). Real data
 * when SIMDLEARN_DATA names it, random pixels of the same size otherwise; the time hardly depends
 * on the pixel values. Compare with {@code jmh/peers/pytorch_mlp.py}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class MlpBenchmark {
  @Param({"mlp", "dropout"})
  public String model;

  @Param({"1", "2"})
  public int threads;

  @Param({"vector"})
  public String backend;

  ImageDataset train;
  ImageDataset test;
  TrainingConfig config;
  Recipe recipe = Recipes.get("mlp");
  ModelOptions options;

  @Setup
  public void setUp() throws Exception {
    ImageDataset.Split s = TrainingBenchmark.data();
    train = s.train();
    test = s.test();
    ModelOptions.Builder o = new ModelOptions.Builder();
    if (model.equals("dropout")) {
      o.hidden(List.of(256, 256)).dropout(List.of(0.2, 0.5));
    }
    options = recipe.resolve(o.build());
    TrainingConfig.Builder b = recipe.defaults(options, "book").epochs(1)
        .threads(threads).backend(Backend.parse(backend));
    if (model.equals("dropout")) {
      b.lr(0.5f);
    }
    config = b.build();
  }

  @Benchmark
  public TrainingResult epoch() throws Exception {
    return new Trainer(config, TrainingListener.NONE).train(
        recipe.experiment(config, options, new ImageDataset.Split(train, test)));
  }
}
