import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.GlobalAvgPool2d;
import simdlearn.nn.Init;
import simdlearn.nn.Layer;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.LayerType;
import simdlearn.nn.LayerTypes;
import simdlearn.nn.Network;
import simdlearn.nn.Pass;
import simdlearn.nn.Rows;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.nn.StateTensor;
import simdlearn.optim.Parameter;
import simdlearn.optim.Sgd;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.report.EpochLine;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;
import simdlearn.train.Objective;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;

/**
 * d2l 7.6's residual block written as a program's own layer from the public ones:
 * relu(bn(conv(relu(bn(conv(x))))) + x), its body a Sequential inside the layer. It passes the
 * body's batch-norm meetings on, so its statistics are the whole minibatch's on any thread count,
 * and registers its type so that its model file loads.
 * Run: java --module-path ... --add-modules simdlearn.train ResidualBlock.java DATA_DIR [EPOCHS]
 */
public class ResidualBlock {
  /** The block's model-file entry: the channels it keeps. */
  public record Spec(int channels) implements LayerSpec {
    static final LayerType TYPE = LayerType.of("my-residual", Spec.class);

    @Override
    public String type() {
      return TYPE.name();
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Block(input, this);
    }

    @Override
    public String toString() {
      return TYPE.name() + "(" + channels + ")";
    }
  }

  static final class Block implements Layer {
    private final Shape input;
    private final Spec spec;
    private final Sequential body;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<StateTensor> buffers = new ArrayList<>();
    private Network.Workspace[] meeting = new Network.Workspace[0];

    Block(Shape input, Spec spec) {
      this.input = input;
      this.spec = spec;
      this.body = Sequential.builder(input).conv2d(spec.channels(), 3, 1, 1).batchNorm().relu()
          .conv2d(spec.channels(), 3, 1, 1).batchNorm().build();
      for (Parameter p : body.parameters()) { // body.0.weight, as PyTorch names a submodule's
        parameters.add(new Parameter("body." + p.name(), p.value(), p.grad(), p.decays()));
      }
      for (StateTensor b : body.buffers()) {
        buffers.add(new StateTensor("body." + b.name(), b.value()));
      }
    }

    /** A shard's body workspace, and how far a staged pass has gone. */
    final class State implements Layer.State {
      final Sequential.Workspace ws;
      int forwardStage;
      int backwardStage;

      State(int capacity) {
        ws = body.newWorkspaceWithInputGradient(capacity);
      }

      @Override
      public float[] gradient(int i) {
        return ws.gradient(i);
      }
    }

    @Override public LayerSpec spec() { return spec; }
    @Override public Shape inputShape() { return input; }
    @Override public Shape outputShape() { return input; }
    @Override public List<Parameter> parameters() { return parameters; }
    @Override public List<StateTensor> buffers() { return buffers; }
    @Override public int meetings() { return body.meetings(); }
    @Override public Layer.State newState(int capacity) { return new State(capacity); }

    @Override
    public void initialise(Init init, SplittableRandom rng) {
      body.layers().forEach(l -> l.initialise(init, rng));
    }

    @Override
    public void forwardPartial(TrainingKernels k, Layer.State s, Rows in, int n, Pass pass,
        int m) {
      State st = (State) s;
      st.ws.pass().set(pass);
      body.forward(k, st.ws, in, n, m);
      st.forwardStage = m + 1;
    }

    @Override
    public void meetForward(TrainingKernels k, Layer.State[] shards, int used, int m) {
      body.meetForward(k, m, workspaces(shards, used), used);
    }

    @Override
    public void forward(TrainingKernels k, Layer.State s, Rows in, int n, float[] out,
        Pass pass) {
      State st = (State) s;
      st.ws.pass().set(pass);
      if (st.forwardStage > 0) {
        body.forward(k, st.ws, in, n, st.forwardStage); // the stage after the last meeting
      } else {
        body.forward(k, st.ws, in, n); // unstaged: the body's batch norms meet on this shard
      }
      st.forwardStage = 0;
      float[] y = st.ws.output();
      for (int i = 0; i < n * outputs(); i++) {
        out[i] = Math.max(0f, y[i] + in.floats()[in.offset() + i]);
      }
    }

    @Override
    public void backwardPartial(TrainingKernels k, Layer.State s, Rows in, float[] out,
        float[] dOut, int n, int m) {
      State st = (State) s;
      if (m == 0) {
        reluGradient(out, dOut, n, st.ws.outputGradient());
      }
      body.backward(k, st.ws, n, m);
      st.backwardStage = m + 1;
    }

    @Override
    public void meetBackward(TrainingKernels k, Layer.State[] shards, int used, int m) {
      body.meetBackward(k, m, workspaces(shards, used), used);
    }

    @Override
    public void backward(TrainingKernels k, Layer.State s, Rows in, float[] out, float[] dOut,
        int n, float[] dIn) {
      State st = (State) s;
      float[] dSum = st.ws.outputGradient();
      if (st.backwardStage > 0) {
        body.backward(k, st.ws, n, st.backwardStage);
      } else {
        reluGradient(out, dOut, n, dSum);
        body.backward(k, st.ws, n);
      }
      st.backwardStage = 0;
      if (dIn != null) { // through the body, plus straight through the shortcut
        for (int i = 0; i < n * inputs(); i++) {
          dIn[i] = st.ws.inputGradient()[i] + dSum[i];
        }
      }
    }

    private void reluGradient(float[] out, float[] dOut, int n, float[] dSum) {
      for (int i = 0; i < n * outputs(); i++) {
        dSum[i] = out[i] > 0 ? dOut[i] : 0f;
      }
    }

    private Network.Workspace[] workspaces(Layer.State[] shards, int used) {
      if (meeting.length < used) {
        meeting = new Network.Workspace[used];
      }
      for (int i = 0; i < used; i++) {
        meeting[i] = ((State) shards[i]).ws;
      }
      return meeting;
    }
  }

  public static void main(String[] args) throws Exception {
    LayerTypes.register(Spec.TYPE);
    ImageDataset.Split data = ImageDataset.load(DatasetSpec.FASHION_MNIST, Path.of(args[0]));
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Sequential net = Sequential.builder(Shape.planes(1, 28, 28))
        .conv2d(16, 3, 1, 2).batchNorm().relu()
        .add(new Spec(16)).add(new Spec(16))
        .add(new GlobalAvgPool2d.Spec()).flatten().linear(data.train().classes())
        .build(new Init.XavierUniform(), 42);

    TrainingKernels k = TrainingKernels.defaultKernels();
    TrainingConfig settings = new TrainingConfig.Builder().epochs(epochs).batchSize(256).lr(0.1f)
        .build().validate();
    TrainingListener print = new TrainingListener() {
      @Override
      public void epochDone(EpochLine e) {
        System.out.printf("epoch %d  train loss %.4f  train acc %.4f  test acc %.4f%n", e.epoch(),
            e.trainLoss(), e.trainAcc(), e.testAcc());
      }
    };
    Model model = Model.classifier("my-resnet", net, data.train());
    TrainingResult result = new Trainer(settings, print).fit(model, data.train(), data.test(),
        Objective.classification(new SoftmaxCrossEntropy(k)), new Sgd(k));
    Path file = Path.of(args.length > 2 ? args[2] : "model.json");
    ModelFile.save(result.model(), file);
    Model loaded = ModelFile.load(file); // the registered type rebuilds the block
    System.out.println(loaded.network().describe() + ": test acc "
        + result.summary().finalTestAcc() + ", saved with " + loaded.network().state().size()
        + " tensors");
  }
}
