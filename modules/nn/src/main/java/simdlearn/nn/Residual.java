package simdlearn.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * d2l 7.6's residual block: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, both
 * convolutions 3x3 with padding 1, the first with the block's stride; the shortcut is {@code x}
 * itself, or a 1x1 convolution with that stride where the channels or the size change.
 * Parameters and running statistics carry d2l's names ({@code conv1.weight},
 * {@code bn1.running_mean}, ... {@code conv3.bias}), so a block at position 3 of a network is
 * {@code 3.conv1.weight} as in PyTorch's state dict.
 *
 * <p>The branches are {@link Sequential} networks inside the block; the block meets the shards
 * at each of its two batch normalisations ({@link #meetings}), passing each meeting on to its
 * main branch.
 */
public final class Residual implements Layer {
  public static final LayerType TYPE = LayerType.of("residual", Spec.class);

  /** The main branch's layer names, by position: conv1, bn1, (relu), conv2, bn2. */
  private static final String[] MAIN_NAMES = {"conv1", "bn1", "relu", "conv2", "bn2"};

  private final Shape.Planes input;
  private final Spec spec;
  private final Sequential main;
  /** The 1x1 convolution, or null for the identity. */
  private final Sequential shortcut;
  private final List<Parameter> parameters;
  private final List<StateTensor> buffers;
  private final int mainParameters;
  /** The shards' main-branch workspaces at a meeting, gathered on the meeting thread. */
  private Network.Workspace[] meeting = new Network.Workspace[0];

  /**
   * The model-file entry: d2l's {@code Residual(input_channels, num_channels, use_1x1conv,
   * strides)}.
   *
   * @param inChannels channels in
   * @param channels channels out
   * @param shortcutConv whether the shortcut is a 1x1 convolution (needed when the channels or
   *     the stride change)
   * @param stride the first convolution's and the shortcut's stride
   */
  public record Spec(int inChannels, int channels, boolean shortcutConv, int stride)
      implements LayerSpec {
    public Spec {
      if (inChannels <= 0 || channels <= 0 || stride <= 0) {
        throw new IllegalArgumentException("impossible residual block: " + inChannels + " -> "
            + channels + " channels, stride " + stride);
      }
      if (!shortcutConv && (inChannels != channels || stride != 1)) {
        throw new IllegalArgumentException("a residual block whose shortcut is the identity"
            + " keeps its shape: " + inChannels + " -> " + channels + " channels with stride "
            + stride + " needs the 1x1 convolution shortcut");
      }
    }

    @Override
    public String type() {
      return TYPE.name();
    }

    @Override
    public Layer build(Shape input, int position) {
      return new Residual(Conv2d.planes(input, inChannels, TYPE.name()), this);
    }

    @Override
    public long parameterCount(Shape input) {
      long c = channels;
      return c * inChannels * 9 + c + 2 * c + c * c * 9 + c + 2 * c
          + (shortcutConv ? c * inChannels + c : 0);
    }

    /** {@code residual(64->128, stride 2, 1x1 shortcut)}. */
    @Override
    public String toString() {
      return "residual(" + inChannels + "->" + channels + (stride == 1 ? "" : ", stride " + stride)
          + (shortcutConv ? ", 1x1 shortcut" : "") + ")";
    }
  }

  public Residual(Shape.Planes input, Spec spec) {
    this.input = input;
    this.spec = spec;
    this.main = Sequential.builder(input).conv2d(spec.channels(), 3, 1, spec.stride()).batchNorm()
        .relu().conv2d(spec.channels(), 3, 1, 1).batchNorm().build();
    this.shortcut = spec.shortcutConv()
        ? Sequential.builder(input).conv2d(spec.channels(), 1, 0, spec.stride()).build() : null;
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : main.parameters()) {
      ps.add(new Parameter(renamed(p.name(), MAIN_NAMES), p.value(), p.grad(), p.decays()));
    }
    this.mainParameters = ps.size();
    List<StateTensor> bs = new ArrayList<>();
    for (StateTensor b : main.buffers()) {
      bs.add(new StateTensor(renamed(b.name(), MAIN_NAMES), b.value()));
    }
    if (shortcut != null) {
      for (Parameter p : shortcut.parameters()) {
        ps.add(new Parameter(renamed(p.name(), new String[] {"conv3"}), p.value(), p.grad(),
            p.decays()));
      }
    }
    this.parameters = List.copyOf(ps);
    this.buffers = List.copyOf(bs);
  }

  /** {@code 3.weight} of a branch as its d2l name: {@code conv2.weight}. */
  private static String renamed(String name, String[] layers) {
    int dot = name.indexOf('.');
    return layers[Integer.parseInt(name.substring(0, dot))] + name.substring(dot);
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return main.outputShape();
  }

  @Override
  public List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public List<StateTensor> buffers() {
    return buffers;
  }

  /** The branches' layers in order, from {@code rng}: the main branch, then the shortcut. */
  @Override
  public void initialise(Init init, SplittableRandom rng) {
    for (Layer l : main.layers()) {
      l.initialise(init, rng);
    }
    if (shortcut != null) {
      for (Layer l : shortcut.layers()) {
        l.initialise(init, rng);
      }
    }
  }

  @Override
  public int meetings() {
    return main.meetings();
  }

  /** One shard's branch workspaces, and how far its staged passes have gone. */
  private final class Block implements State {
    final Sequential.Workspace mainWs;
    final Sequential.Workspace shortcutWs;
    int forwardStage;
    int backwardStage;

    Block(int capacity) {
      mainWs = main.newWorkspaceWithInputGradient(capacity);
      shortcutWs = shortcut == null ? null : shortcut.newWorkspaceWithInputGradient(capacity);
    }

    @Override
    public float[] gradient(int i) {
      return i < mainParameters ? mainWs.gradient(i) : shortcutWs.gradient(i - mainParameters);
    }
  }

  @Override
  public State newState(int capacity) {
    return new Block(capacity);
  }

  @Override
  public void forwardPartial(TrainingKernels k, State state, Rows in, int n, Pass pass,
      int meeting) {
    Block b = (Block) state;
    b.mainWs.pass().set(pass);
    main.forward(k, b.mainWs, in, n, meeting);
    b.forwardStage = meeting + 1;
  }

  @Override
  public void meetForward(TrainingKernels k, State[] shards, int used, int meeting) {
    main.meetForward(k, meeting, mainWorkspaces(shards, used), used);
  }

  @Override
  public void forward(TrainingKernels k, State state, Rows in, int n, float[] out, Pass pass) {
    Block b = (Block) state;
    b.mainWs.pass().set(pass);
    if (b.forwardStage > 0) {
      main.forward(k, b.mainWs, in, n, b.forwardStage);
    } else {
      main.forward(k, b.mainWs, in, n);
    }
    b.forwardStage = 0;
    float[] y = b.mainWs.output();
    float[] s;
    int so;
    if (shortcut != null) {
      b.shortcutWs.pass().set(pass);
      shortcut.forward(k, b.shortcutWs, in, n);
      s = b.shortcutWs.output();
      so = 0;
    } else {
      s = in.floats();
      so = in.offset();
    }
    for (int i = 0, size = n * outputs(); i < size; i++) {
      out[i] = Math.max(0f, y[i] + s[so + i]);
    }
  }

  /** The gradient at the sum, {@code dOut} where the block's ReLU passed it, into the branch. */
  private static void sumGradient(float[] out, float[] dOut, int size, float[] dSum) {
    for (int i = 0; i < size; i++) {
      dSum[i] = out[i] > 0 ? dOut[i] : 0f;
    }
  }

  @Override
  public void backwardPartial(TrainingKernels k, State state, Rows in, float[] out, float[] dOut,
      int n, int meeting) {
    Block b = (Block) state;
    if (meeting == 0) {
      sumGradient(out, dOut, n * outputs(), b.mainWs.outputGradient());
    }
    main.backward(k, b.mainWs, n, meeting);
    b.backwardStage = meeting + 1;
  }

  @Override
  public void meetBackward(TrainingKernels k, State[] shards, int used, int meeting) {
    main.meetBackward(k, meeting, mainWorkspaces(shards, used), used);
  }

  @Override
  public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut, int n,
      float[] dIn) {
    Block b = (Block) state;
    float[] dSum = b.mainWs.outputGradient();
    if (b.backwardStage > 0) {
      main.backward(k, b.mainWs, n, b.backwardStage);
    } else {
      sumGradient(out, dOut, n * outputs(), dSum);
      main.backward(k, b.mainWs, n);
    }
    b.backwardStage = 0;
    int size = n * inputs();
    if (shortcut != null) {
      System.arraycopy(dSum, 0, b.shortcutWs.outputGradient(), 0, n * outputs());
      shortcut.backward(k, b.shortcutWs, n);
    }
    if (dIn == null) {
      return;
    }
    float[] dMain = b.mainWs.inputGradient();
    float[] dShort = shortcut != null ? b.shortcutWs.inputGradient() : dSum;
    for (int i = 0; i < size; i++) {
      dIn[i] = dMain[i] + dShort[i];
    }
  }

  @Override
  public double[] meetingPart(State state, int meeting, boolean forward) {
    return main.meetingPart(((Block) state).mainWs, meeting, forward);
  }

  @Override
  public void setMeetingPart(State state, int meeting, boolean forward, double[] part) {
    main.setMeetingPart(((Block) state).mainWs, meeting, forward, part);
  }

  @Override
  public double[] meetingOutcome(State state, int meeting, boolean forward) {
    return main.meetingOutcome(((Block) state).mainWs, meeting, forward);
  }

  @Override
  public void setMeetingOutcome(State state, int meeting, boolean forward, double[] outcome) {
    main.setMeetingOutcome(((Block) state).mainWs, meeting, forward, outcome);
  }

  private Network.Workspace[] mainWorkspaces(State[] shards, int used) {
    if (meeting.length < used) {
      meeting = new Network.Workspace[used];
    }
    for (int s = 0; s < used; s++) {
      meeting[s] = ((Block) shards[s]).mainWs;
    }
    return meeting;
  }

  @Override
  public void packWeights(TrainingKernels k) {
    main.packWeights(k);
    if (shortcut != null) {
      shortcut.packWeights(k);
    }
  }

  @Override
  public void repackWeights(TrainingKernels k, GradientBlock b) {
    packWeights(k);
  }

  @Override
  public String toString() {
    return spec.toString();
  }
}
