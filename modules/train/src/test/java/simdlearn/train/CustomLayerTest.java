package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.GradientBlock;
import simdlearn.nn.Init;
import simdlearn.nn.Layer;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.LayerType;
import simdlearn.nn.LayerTypes;
import simdlearn.nn.Pass;
import simdlearn.nn.Rows;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.optim.Parameter;
import simdlearn.optim.Sgd;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.testkit.TinyData;

/**
 * A layer written outside the nn module, as a user would: it joins the trainer's gradient blocks
 * and weight packing, trains with the same bits on any thread count, and its model file loads
 * once its type is registered.
 */
class CustomLayerTest {
  @TempDir
  Path dir;

  /** {@code y = x * gain}, one learnable gain per feature (1 at the start). */
  static final class Scale implements Layer {
    static final LayerType TYPE = LayerType.of("test-scale", Spec.class);
    static final AtomicInteger PACKS = new AtomicInteger();
    static final AtomicInteger REPACKS = new AtomicInteger();

    private final Shape shape;
    private final FloatMatrix gain;
    private final List<Parameter> parameters;

    Scale(Shape shape) {
      this.shape = shape;
      this.gain = FloatMatrix.zeros(1, shape.size());
      this.parameters = List.of(Parameter.bias("gain", gain));
    }

    public record Spec(int width) implements LayerSpec {
      @Override
      public String type() {
        return TYPE.name();
      }

      @Override
      public Layer build(Shape input, int position) {
        return new Scale(Shape.features(width));
      }

      @Override
      public long parameterCount(Shape input) {
        return width;
      }
    }

    @Override
    public LayerSpec spec() {
      return new Spec(shape.size());
    }

    @Override
    public Shape inputShape() {
      return shape;
    }

    @Override
    public Shape outputShape() {
      return shape;
    }

    @Override
    public List<Parameter> parameters() {
      return parameters;
    }

    @Override
    public void initialise(Init init, java.util.SplittableRandom rng) {
      gain.fill(1f);
    }

    @Override
    public State newState(int capacity) {
      float[] g = new float[shape.size()];
      return i -> g;
    }

    /** Two blocks, to show a layer chooses its own. */
    @Override
    public List<GradientBlock> gradientBlocks() {
      int half = shape.size() / 2;
      return List.of(new GradientBlock(0, 0, 1, half, half),
          new GradientBlock(0, half, 1, shape.size() - half, shape.size() - half));
    }

    @Override
    public void packWeights(TrainingKernels k) {
      PACKS.incrementAndGet();
    }

    @Override
    public void repackWeights(TrainingKernels k, GradientBlock b) {
      REPACKS.incrementAndGet();
    }

    @Override
    public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
      in.copyTo(k, n, out, 0);
      for (int r = 0; r < n; r++) {
        k.mul(shape.size(), out, r * shape.size(), gain.data(), 0, out, r * shape.size());
      }
    }

    @Override
    public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut,
        int n, float[] dIn) {
      int w = shape.size();
      float[] g = state.gradient(0);
      java.util.Arrays.fill(g, 0f);
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < w; j++) {
          float x = gain.data()[j] == 0 ? 0 : out[r * w + j] / gain.data()[j];
          g[j] += dOut[r * w + j] * x;
          if (dIn != null) {
            dIn[r * w + j] = dOut[r * w + j] * gain.data()[j];
          }
        }
      }
    }
  }

  static TrainingResult train(int threads) {
    ImageDataset train = TinyData.images("train", 400, 1);
    ImageDataset test = TinyData.images("test", 100, 2);
    Sequential net = Sequential.builder(train.features()).add(new Scale.Spec(train.features()))
        .linear(train.classes()).build(new Init.Normal(0.01), 7);
    TrainingConfig cfg = new TrainingConfig.Builder().epochs(3).batchSize(64).shardSize(16)
        .lr(0.3f).threads(threads).build();
    Kernels k = Kernels.vector();
    return new Trainer(cfg, TrainingListener.NONE).fit(Model.classifier("scaled", net, train),
        train, test, Objective.classification(new SoftmaxCrossEntropy(k)), new Sgd(k));
  }

  @Test
  void aUsersLayerTakesPartInEveryPathAndInModelFiles() throws Exception {
    int packs = Scale.PACKS.get();
    int repacks = Scale.REPACKS.get();
    TrainingResult one = train(1);
    TrainingResult two = train(2);
    assertTrue(Scale.PACKS.get() > packs, "the trainer packs the user's layer");
    assertTrue(Scale.REPACKS.get() >= repacks + 2 * 7 * 3, "and repacks both of its blocks");
    assertArrayEquals(TrainerTest.weights(one), TrainerTest.weights(two), 0f);
    assertTrue(one.model().network().parameters().get(0).value().get(0, 5) != 1f, "gain learns");
    assertTrue(one.summary().finalTestAcc() > 0.8, "learns: " + one.summary().finalTestAcc());

    LayerTypes.register(Scale.TYPE);
    Path file = dir.resolve("scaled.json");
    ModelFile.save(one.model(), file);
    assertTrue(Files.readString(file).contains("\"type\" : \"test-scale\""));
    Model back = ModelFile.load(file);
    assertArrayEquals(TrainerTest.weights(one), TrainerTest.weights(back), 0f);
    assertEquals(one.model().network().describe(), back.network().describe());
  }
}
