package simdlearn.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.Parameter;

/**
 * Layers applied one after the other, as PyTorch's {@code nn.Sequential}. Parameters are named
 * by position and layer, as in a PyTorch state dict: {@code 0.weight}, {@code 0.bias},
 * {@code 3.weight}.
 *
 * <pre>{@code
 * Sequential mlp = Sequential.builder(784)
 *     .linear(256).relu().dropout(0.2)
 *     .linear(10)
 *     .build(new Init.Normal(0.01), 42);
 * }</pre>
 *
 * <p>The backward pass skips input gradients nothing needs: those of the first layer, and of any
 * layer with no parameters before it.
 */
public final class Sequential implements Network {
  private final Shape input;
  private final List<Layer> layers;
  private final List<Parameter> parameters;
  private final int[] parameterLayer;
  /** Each parameter's index among its own layer's parameters. */
  private final int[] parameterIndex;
  /** Whether layer i must compute its input gradient: some layer before it has parameters. */
  private final boolean[] needsInputGradient;
  private final List<GradientBlock> gradientBlocks;
  /** Per block of {@link #gradientBlocks}: its layer, and the block in that layer's numbering. */
  private final Map<GradientBlock, Integer> blockIndex = new HashMap<>();
  private final int[] blockLayer;
  private final GradientBlock[] layerBlocks;
  private final List<StateTensor> buffers;
  /**
   * The meetings of a training forward pass ({@link Layer#meetings}), in order: the layer of
   * each, and its number among that layer's meetings.
   */
  private final int[] meetingLayers;
  private final int[] meetingIndex;
  /** Per meeting: the shards' states of its layer, gathered on the meeting thread. */
  private final Layer.State[][] meetingStates;

  /**
   * The layers in order, each reading the shape the one before gives.
   *
   * @throws IllegalArgumentException naming the first layer and dimension that disagree
   */
  public Sequential(List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      Layer prev = layers.get(i - 1);
      Layer next = layers.get(i);
      String mismatch = Shape.mismatch(next.inputShape(), prev.outputShape());
      if (mismatch != null) {
        throw new IllegalArgumentException("layer " + i + " (" + next + ") " + mismatch
            + " from layer " + (i - 1) + " (" + prev + ")");
      }
    }
    this.input = layers.get(0).inputShape();
    this.layers = List.copyOf(layers);
    List<Parameter> ps = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    List<Integer> ownIndex = new ArrayList<>();
    List<GradientBlock> blocks = new ArrayList<>();
    List<Integer> blockOwner = new ArrayList<>();
    List<GradientBlock> local = new ArrayList<>();
    this.needsInputGradient = new boolean[layers.size()];
    boolean parametersBefore = false;
    for (int i = 0; i < layers.size(); i++) {
      needsInputGradient[i] = parametersBefore;
      Layer layer = layers.get(i);
      int first = ps.size();
      List<Parameter> own = layer.parameters();
      for (int j = 0; j < own.size(); j++) {
        Parameter p = own.get(j);
        ps.add(new Parameter(i + "." + p.name(), p.value(), p.grad(), p.decays()));
        owner.add(i);
        ownIndex.add(j);
      }
      for (GradientBlock b : layer.gradientBlocks()) {
        blocks.add(b.of(first + b.parameter()));
        blockOwner.add(i);
        local.add(b);
      }
      parametersBefore |= !own.isEmpty();
    }
    this.parameters = List.copyOf(ps);
    this.parameterLayer = owner.stream().mapToInt(Integer::intValue).toArray();
    this.parameterIndex = ownIndex.stream().mapToInt(Integer::intValue).toArray();
    this.gradientBlocks = List.copyOf(blocks);
    this.blockLayer = blockOwner.stream().mapToInt(Integer::intValue).toArray();
    this.layerBlocks = local.toArray(GradientBlock[]::new);
    List<StateTensor> kept = new ArrayList<>();
    List<int[]> meeting = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      for (StateTensor b : layers.get(i).buffers()) {
        kept.add(new StateTensor(i + "." + b.name(), b.value()));
      }
      for (int j = 0; j < layers.get(i).meetings(); j++) {
        meeting.add(new int[] {i, j});
      }
    }
    this.buffers = List.copyOf(kept);
    this.meetingLayers = meeting.stream().mapToInt(m -> m[0]).toArray();
    this.meetingIndex = meeting.stream().mapToInt(m -> m[1]).toArray();
    this.meetingStates = new Layer.State[meetingLayers.length][0];
    for (int b = 0; b < blocks.size(); b++) {
      if (blockIndex.put(blocks.get(b), b) != null) {
        throw new IllegalArgumentException("layer " + blockLayer[b] + " covers gradient block "
            + layerBlocks[b] + " twice");
      }
    }
  }

  /**
   * A network rebuilt from its architecture for examples of shape {@code input}, parameters zero
   * (a model file then loads them).
   *
   * @throws IllegalArgumentException naming the first layer that cannot be built or read its
   *     input
   */
  public static Sequential fromSpecs(Shape input, List<LayerSpec> specs) {
    Builder b = new Builder(input);
    for (LayerSpec spec : specs) {
      b.add(spec);
    }
    return b.build();
  }

  /** Starts a network whose examples are vectors of {@code inputs} features. */
  public static Builder builder(int inputs) {
    if (inputs <= 0) {
      throw new IllegalArgumentException("a network needs inputs > 0, got " + inputs);
    }
    return new Builder(Shape.features(inputs));
  }

  /** Starts a network whose examples have shape {@code input} (images: channels x h x w). */
  public static Builder builder(Shape input) {
    return new Builder(input);
  }

  public List<Layer> layers() {
    return layers;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return layers.get(layers.size() - 1).outputShape();
  }

  @Override
  public List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public List<StateTensor> buffers() {
    return buffers;
  }

  /** The parameter named {@code name} ({@code 0.weight}), as {@link #parameters()} names it. */
  public Parameter parameter(String name) {
    for (Parameter p : parameters) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no parameter '" + name + "' in " + describe());
  }

  /**
   * Copies every parameter and buffer of {@code other}, a network of the same architecture (a
   * model file's, to start training from its weights and running statistics).
   *
   * @throws IllegalArgumentException naming the input shape, or the first layer, that differs
   */
  public void copyParametersFrom(Sequential other) {
    if (!input.equals(other.input)) {
      throw new IllegalArgumentException("the network takes " + input + " but the other takes "
          + other.input);
    }
    for (int i = 0; i < Math.max(layers.size(), other.layers.size()); i++) {
      LayerSpec mine = i < layers.size() ? layers.get(i).spec() : null;
      LayerSpec theirs = i < other.layers.size() ? other.layers.get(i).spec() : null;
      if (mine == null || !mine.equals(theirs)) {
        throw new IllegalArgumentException("layer " + i + " is "
            + (mine == null ? "missing" : mine + " (" + layers.get(i).outputShape() + " out)")
            + " here but " + (theirs == null ? "missing" : theirs + " ("
                + other.layers.get(i).outputShape() + " out)") + " in the other network");
      }
    }
    List<StateTensor> mine = state();
    List<StateTensor> theirs = other.state();
    for (int t = 0; t < mine.size(); t++) {
      mine.get(t).value().copyFrom(theirs.get(t).value());
    }
  }

  /**
   * Initialises every layer ({@link Layer#initialise}) from {@code init} with one generator
   * seeded by {@code seed}, in layer order. A network with one linear layer draws exactly what
   * {@code new SplittableRandom(seed)} gives.
   */
  public Sequential initialise(Init init, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (Layer l : layers) {
      l.initialise(init, rng);
    }
    return this;
  }

  @Override
  public List<LayerSpec> architecture() {
    return layers.stream().map(Layer::spec).toList();
  }

  @Override
  public String describe() {
    StringJoiner sizes = new StringJoiner("-");
    sizes.add(input.toString());
    StringJoiner kinds = new StringJoiner(", ");
    for (Layer l : layers) {
      if (!l.parameters().isEmpty()) {
        sizes.add(l.outputShape().toString());
      }
      kinds.add(l.spec().toString());
    }
    return sizes + " (" + kinds + ")";
  }

  @Override
  public String toString() {
    return "Sequential " + describe();
  }

  /**
   * Buffers of one shard: each layer's output and state, the last layer's output gradient, and
   * two arrays that the other layers' output gradients take in turn.
   */
  public final class Workspace implements Network.Workspace {
    private final int capacity;
    /** Rows of the last backward pass; -1 until one follows a forward. */
    private int backwardRows = -1;
    private final Pass pass = new Pass();
    private final float[][] outputs;
    private final float[][] gradients;
    private final Layer.State[] states;
    private final Rows[] rows;
    /** The first layer's input as floats, when it does not read gathered bytes. */
    private final float[] inputFloats;
    private final Rows floatInput;
    private Rows firstInput;
    /** The gradient with respect to the input rows, for a network inside a layer; else null. */
    private final float[] inputGradient;

    Workspace(int capacity, boolean shard, boolean inputGradient) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("workspace capacity must be > 0, got " + capacity);
      }
      this.capacity = capacity;
      int n = layers.size();
      this.outputs = new float[n][];
      this.gradients = new float[n][];
      this.states = new Layer.State[n];
      this.rows = new Rows[n];
      // Layer i's backward reads gradients[i] and writes gradients[i - 1], so below the last
      // layer two arrays taken in turn serve them all (ResNet-18: 0.6 MB an image less). The last
      // keeps its own: the loss writes it, and a residual block reads it after the backward pass.
      int widest = 0;
      for (int i = 0; i < n - 1; i++) {
        widest = Math.max(widest, layers.get(i).outputs());
      }
      float[][] turns = {new float[capacity * widest], new float[n > 2 ? capacity * widest : 0]};
      for (int i = 0; i < n; i++) {
        Layer l = layers.get(i);
        outputs[i] = new float[capacity * l.outputs()];
        gradients[i] = i < n - 1 ? turns[i % 2] : new float[capacity * l.outputs()];
        states[i] = shard ? l.newShardState(capacity) : l.newState(capacity);
        rows[i] = new Rows(l.outputs()).floats(outputs[i], 0);
      }
      Layer first = layers.get(0);
      this.inputFloats = first.readsGatheredBytes() ? null : new float[capacity * first.inputs()];
      this.floatInput = new Rows(first.inputs());
      this.inputGradient = inputGradient ? new float[capacity * first.inputs()] : null;
    }

    @Override
    public int capacity() {
      return capacity;
    }

    @Override
    public Pass pass() {
      return pass;
    }

    @Override
    public float[] output() {
      return outputs[outputs.length - 1];
    }

    @Override
    public float[] outputGradient() {
      return gradients[gradients.length - 1];
    }

    @Override
    public float[] gradient(int p) {
      return states[parameterLayer[p]].gradient(parameterIndex[p]);
    }

    /**
     * The gradient with respect to the input rows after a backward pass, in a workspace made by
     * {@link Sequential#newWorkspaceWithInputGradient}; else null.
     */
    public float[] inputGradient() {
      return inputGradient;
    }

    /** The output rows of layer {@code i} (for inspection and tests). */
    public float[] layerOutput(int i) {
      return outputs[i];
    }

    /** The rows layer {@code i} read in the last forward pass. */
    private Rows input(int i) {
      return i == 0 ? firstInput : rows[i - 1];
    }
  }

  @Override
  public Workspace newWorkspace(int capacity) {
    return new Workspace(capacity, false, false);
  }

  @Override
  public Workspace newShardWorkspace(int capacity) {
    return new Workspace(capacity, true, false);
  }

  /**
   * A workspace whose backward passes also give the gradient with respect to the input rows
   * ({@link Workspace#inputGradient()}), for a network used inside a layer (a residual block's
   * branches).
   */
  public Workspace newWorkspaceWithInputGradient(int capacity) {
    return new Workspace(capacity, false, true);
  }

  @Override
  public List<GradientBlock> gradientBlocks() {
    return gradientBlocks;
  }

  @Override
  public void gatherGradient(TrainingKernels k, GradientBlock b, Network.Workspace[] shards,
      int used) {
    int index = indexOf(b);
    Parameter param = parameters.get(b.parameter());
    for (int s = 0; s < used; s++) {
      if (((Workspace) shards[s]).backwardRows < 0) {
        throw new IllegalStateException("gatherGradient before backward on shard " + s);
      }
    }
    int layer = blockLayer[index];
    Layer l = layers.get(layer);
    float[] g = param.grad().data();
    int go = param.grad().offset();
    for (int s = 0; s < used; s++) {
      l.addGradient(k, layerBlocks[index], ((Workspace) shards[s]).states[layer], s == 0, g, go);
    }
  }

  private int indexOf(GradientBlock b) {
    Integer index = blockIndex.get(b);
    if (index == null) {
      throw new IllegalArgumentException(b + " is not one of this network's gradient blocks");
    }
    return index;
  }

  @Override
  public void packWeights(TrainingKernels k) {
    for (Layer l : layers) {
      l.packWeights(k);
    }
  }

  @Override
  public void repackWeights(TrainingKernels k, GradientBlock b) {
    int index = indexOf(b);
    layers.get(blockLayer[index]).repackWeights(k, layerBlocks[index]);
  }

  @Override
  public void forward(TrainingKernels k, Network.Workspace workspace, Rows in, int n) {
    Workspace ws = (Workspace) workspace;
    start(k, ws, in, n);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).forward(k, ws.states[i], ws.input(i), n, ws.outputs[i], ws.pass);
    }
  }

  /** Checks the input and makes it the first layer's (as floats, unless it reads bytes). */
  private void start(TrainingKernels k, Workspace ws, Rows in, int n) {
    checkRows(ws, in, n);
    Rows cur = in;
    if (in.isGathered() && ws.inputFloats != null) {
      in.copyTo(k, n, ws.inputFloats, 0);
      cur = ws.floatInput.floats(ws.inputFloats, 0);
    }
    ws.firstInput = cur;
    ws.backwardRows = -1;
  }

  @Override
  public void backward(TrainingKernels k, Network.Workspace workspace, int n) {
    Workspace ws = (Workspace) workspace;
    if (ws.firstInput == null) {
      throw new IllegalStateException("backward before forward on this workspace");
    }
    for (int i = layers.size() - 1; i >= 0; i--) {
      layers.get(i).backward(k, ws.states[i], ws.input(i), ws.outputs[i], ws.gradients[i], n,
          inputGradient(ws, i));
    }
    ws.backwardRows = n;
  }

  @Override
  public int meetings() {
    return meetingLayers.length;
  }

  /**
   * Stage {@code stage} of a training forward: from the input (stage 0) or the meeting before,
   * finishing that meeting's layer, to the next meeting's partial pass (or the output). Two
   * meetings of one layer in a row: only that layer's next partial pass.
   */
  @Override
  public void forward(TrainingKernels k, Network.Workspace workspace, Rows in, int n, int stage) {
    Workspace ws = (Workspace) workspace;
    int m = meetingLayers.length;
    checkStage(stage);
    int from = 0;
    if (stage == 0) {
      start(k, ws, in, n);
    } else {
      int prev = meetingLayers[stage - 1];
      if (stage < m && meetingLayers[stage] == prev) {
        layers.get(prev).forwardPartial(k, ws.states[prev], ws.input(prev), n, ws.pass,
            meetingIndex[stage]);
        return;
      }
      from = prev; // finishes the layer whose meeting came last
    }
    int to = stage < m ? meetingLayers[stage] : layers.size();
    for (int i = from; i < to; i++) {
      layers.get(i).forward(k, ws.states[i], ws.input(i), n, ws.outputs[i], ws.pass);
    }
    if (stage < m) {
      layers.get(to).forwardPartial(k, ws.states[to], ws.input(to), n, ws.pass,
          meetingIndex[stage]);
    }
  }

  @Override
  public void meetForward(TrainingKernels k, int meeting, Network.Workspace[] shards, int used) {
    int layer = meetingLayers[meeting];
    layers.get(layer).meetForward(k, states(meeting, layer, shards, used), used,
        meetingIndex[meeting]);
  }

  /**
   * Stage {@code stage} of a backward pass: as {@link #forward(TrainingKernels,
   * Network.Workspace, Rows, int, int)} from the output, meetings numbered from the output (a
   * layer's own meetings too).
   */
  @Override
  public void backward(TrainingKernels k, Network.Workspace workspace, int n, int stage) {
    Workspace ws = (Workspace) workspace;
    int m = meetingLayers.length;
    checkStage(stage);
    if (ws.firstInput == null) {
      throw new IllegalStateException("backward before forward on this workspace");
    }
    int from = layers.size() - 1;
    if (stage > 0) {
      int prev = meetingLayers[m - stage];
      if (stage < m && meetingLayers[m - 1 - stage] == prev) {
        backwardPartial(k, ws, prev, n, backwardMeeting(m - 1 - stage));
        return;
      }
      from = prev; // finishes the layer whose meeting came last
    }
    int to = stage < m ? meetingLayers[m - 1 - stage] : -1;
    for (int i = from; i > to; i--) {
      layers.get(i).backward(k, ws.states[i], ws.input(i), ws.outputs[i], ws.gradients[i], n,
          inputGradient(ws, i));
    }
    if (stage < m) {
      backwardPartial(k, ws, to, n, backwardMeeting(m - 1 - stage));
    } else {
      ws.backwardRows = n;
    }
  }

  private void backwardPartial(TrainingKernels k, Workspace ws, int i, int n, int meeting) {
    layers.get(i).backwardPartial(k, ws.states[i], ws.input(i), ws.outputs[i], ws.gradients[i],
        n, meeting);
  }

  /** Forward meeting {@code f}'s number among its layer's backward meetings (from the output). */
  private int backwardMeeting(int f) {
    return layers.get(meetingLayers[f]).meetings() - 1 - meetingIndex[f];
  }

  @Override
  public void meetBackward(TrainingKernels k, int meeting, Network.Workspace[] shards, int used) {
    int f = meetingLayers.length - 1 - meeting;
    int layer = meetingLayers[f];
    layers.get(layer).meetBackward(k, states(meeting, layer, shards, used), used,
        backwardMeeting(f));
  }

  @Override
  public double[] meetingPart(Network.Workspace ws, int meeting, boolean forward) {
    int layer = meetingLayer(meeting, forward);
    return layers.get(layer).meetingPart(((Workspace) ws).states[layer],
        layerMeeting(meeting, forward), forward);
  }

  @Override
  public void setMeetingPart(Network.Workspace ws, int meeting, boolean forward, double[] part) {
    int layer = meetingLayer(meeting, forward);
    layers.get(layer).setMeetingPart(((Workspace) ws).states[layer],
        layerMeeting(meeting, forward), forward, part);
  }

  @Override
  public double[] meetingOutcome(Network.Workspace ws, int meeting, boolean forward) {
    int layer = meetingLayer(meeting, forward);
    return layers.get(layer).meetingOutcome(((Workspace) ws).states[layer],
        layerMeeting(meeting, forward), forward);
  }

  @Override
  public void setMeetingOutcome(Network.Workspace ws, int meeting, boolean forward,
      double[] outcome) {
    int layer = meetingLayer(meeting, forward);
    layers.get(layer).setMeetingOutcome(((Workspace) ws).states[layer],
        layerMeeting(meeting, forward), forward, outcome);
  }

  /** The layer of forward (or backward, numbered from the output) meeting {@code meeting}. */
  private int meetingLayer(int meeting, boolean forward) {
    if (meeting < 0 || meeting >= meetingLayers.length) {
      throw new IllegalArgumentException("meeting " + meeting + " of a network with "
          + meetingLayers.length + " meetings");
    }
    return meetingLayers[forward ? meeting : meetingLayers.length - 1 - meeting];
  }

  /** Meeting {@code meeting}'s number among its layer's own forward (or backward) meetings. */
  private int layerMeeting(int meeting, boolean forward) {
    return forward ? meetingIndex[meeting]
        : backwardMeeting(meetingLayers.length - 1 - meeting);
  }

  /** Where layer {@code i} writes its input gradient, or null when nothing needs it. */
  private float[] inputGradient(Workspace ws, int i) {
    if (i == 0) {
      return ws.inputGradient;
    }
    return needsInputGradient[i] || ws.inputGradient != null ? ws.gradients[i - 1] : null;
  }

  /** The states of {@code layer} in the first {@code used} shards, in a reused array. */
  private Layer.State[] states(int meeting, int layer, Network.Workspace[] shards, int used) {
    if (meetingStates[meeting].length < used) {
      meetingStates[meeting] = new Layer.State[used];
    }
    Layer.State[] states = meetingStates[meeting];
    for (int s = 0; s < used; s++) {
      states[s] = ((Workspace) shards[s]).states[layer];
    }
    return states;
  }

  private void checkStage(int stage) {
    if (stage < 0 || stage > meetingLayers.length) {
      throw new IllegalArgumentException("stage " + stage + " of a network with "
          + meetingLayers.length + " meetings");
    }
  }

  private void checkRows(Workspace ws, Rows in, int n) {
    if (in.width() != inputs()) {
      throw new IllegalArgumentException("input rows have " + in.width() + " values but the"
          + " network takes " + inputs());
    }
    if (n < 0 || n > ws.capacity) {
      throw new IllegalArgumentException(n + " rows for a workspace of " + ws.capacity);
    }
  }

  /** Adds layers one by one; each reads the shape the layer before gives. */
  public static final class Builder {
    private final Shape input;
    private final List<Layer> layers = new ArrayList<>();

    private Builder(Shape input) {
      this.input = java.util.Objects.requireNonNull(input, "input");
    }

    /** The shape the next layer reads. */
    public Shape shape() {
      return layers.isEmpty() ? input : layers.get(layers.size() - 1).outputShape();
    }

    /** A linear layer with a bias. */
    public Builder linear(int outputs) {
      return linear(outputs, true);
    }

    public Builder linear(int outputs, boolean bias) {
      if (outputs <= 0) {
        throw new IllegalArgumentException("a linear layer needs at least one output, got "
            + outputs);
      }
      return add(new Linear.Spec(shape().size(), outputs, bias));
    }

    public Builder relu() {
      return add(new ReLU.Spec());
    }

    public Builder sigmoid() {
      return add(new Sigmoid.Spec());
    }

    public Builder tanh() {
      return add(new Tanh.Spec());
    }

    public Builder dropout(double p) {
      return add(new Dropout.Spec(p));
    }

    public Builder flatten() {
      return add(new Flatten.Spec());
    }

    /** A convolution of the current planes with a square kernel, padding and stride. */
    public Builder conv2d(int outChannels, int kernel, int padding, int stride) {
      Shape.Planes in = Conv2d.planes(shape(), 0, "conv2d");
      return add(Conv2d.Spec.of(in.channels(), outChannels, kernel, padding, stride));
    }

    /** Average pooling with a square window, stride and padding. */
    public Builder avgPool2d(int kernel, int stride, int padding) {
      return add(AvgPool2d.Spec.of(kernel, stride, padding));
    }

    /** Max pooling with a square window, stride and padding. */
    public Builder maxPool2d(int kernel, int stride, int padding) {
      return add(MaxPool2d.Spec.of(kernel, stride, padding));
    }

    /**
     * Batch normalisation of the current features, or of each channel of the current planes,
     * with PyTorch's eps and momentum.
     */
    public Builder batchNorm() {
      Shape s = shape();
      return add(BatchNorm.Spec.of(s instanceof Shape.Planes p ? p.channels() : s.size()));
    }

    /** The layer {@code spec} describes, reading the current shape. */
    public Builder add(LayerSpec spec) {
      return add(spec.build(shape(), layers.size()));
    }

    /** Any layer; the shapes are checked by {@link #build}. */
    public Builder add(Layer layer) {
      layers.add(layer);
      return this;
    }

    /**
     * The network, parameters zero.
     *
     * @throws IllegalArgumentException naming the first layer whose input shape disagrees
     */
    public Sequential build() {
      if (!layers.isEmpty()) {
        String mismatch = Shape.mismatch(layers.get(0).inputShape(), input);
        if (mismatch != null) {
          throw new IllegalArgumentException("layer 0 (" + layers.get(0) + ") " + mismatch
              + " from the input");
        }
      }
      return new Sequential(layers);
    }

    /** The network, initialised ({@link Sequential#initialise}). */
    public Sequential build(Init init, long seed) {
      return build().initialise(init, seed);
    }
  }
}
