package simdlearn.nn;

import java.util.ArrayList;
import java.util.List;
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
  private final List<Layer> layers;
  private final List<Parameter> parameters;
  private final int[] parameterLayer;
  private final int[] parameterIndex;
  /** Whether layer i must compute its input gradient: some layer before it has parameters. */
  private final boolean[] needsInputGradient;
  /** Whether parameter p is a weight that shard workspaces leave to {@link #gatherGradient}. */
  private final boolean[] deferred;
  private final List<GradientBlock> gradientBlocks;

  /**
   * Columns per block of a deferred weight gradient: 13 blocks for 784 inputs, enough for two
   * threads claiming them to finish together; a multiple of the kernels' vector and panel widths.
   */
  static final int WEIGHT_BLOCK_COLUMNS = 64;
  /** Elements per block of any other gradient (a block is copied and summed, then stepped). */
  static final int BLOCK_ELEMENTS = 1 << 14;

  public Sequential(List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      Layer prev = layers.get(i - 1);
      Layer next = layers.get(i);
      if (prev.outputs() != next.inputs()) {
        throw new IllegalArgumentException("layer " + i + " (" + next + ") takes " + next.inputs()
            + " inputs but layer " + (i - 1) + " (" + prev + ") gives " + prev.outputs());
      }
    }
    this.layers = List.copyOf(layers);
    List<Parameter> ps = new ArrayList<>();
    List<int[]> where = new ArrayList<>();
    this.needsInputGradient = new boolean[layers.size()];
    boolean parametersBefore = false;
    for (int i = 0; i < layers.size(); i++) {
      needsInputGradient[i] = parametersBefore;
      List<Parameter> own = layers.get(i).parameters();
      for (int j = 0; j < own.size(); j++) {
        Parameter p = own.get(j);
        ps.add(new Parameter(i + "." + p.name(), p.value(), p.grad(), p.decays()));
        where.add(new int[] {i, j});
      }
      parametersBefore |= !own.isEmpty();
    }
    this.parameters = List.copyOf(ps);
    this.parameterLayer = where.stream().mapToInt(w -> w[0]).toArray();
    this.parameterIndex = where.stream().mapToInt(w -> w[1]).toArray();
    this.deferred = new boolean[ps.size()];
    List<GradientBlock> blocks = new ArrayList<>();
    for (int p = 0; p < ps.size(); p++) {
      int size = ps.get(p).value().size();
      if (layers.get(parameterLayer[p]) instanceof Linear lin && parameterIndex[p] == 0
          && lin.defersWeightGradient()) {
        deferred[p] = true;
        for (int c = 0; c < lin.inputs(); c += WEIGHT_BLOCK_COLUMNS) {
          blocks.add(new GradientBlock(p, c, lin.outputs(),
              Math.min(WEIGHT_BLOCK_COLUMNS, lin.inputs() - c), lin.inputs()));
        }
      } else {
        for (int from = 0; from < size; from += BLOCK_ELEMENTS) {
          int n = Math.min(BLOCK_ELEMENTS, size - from);
          blocks.add(new GradientBlock(p, from, 1, n, n));
        }
      }
    }
    this.gradientBlocks = List.copyOf(blocks);
  }

  /** A network rebuilt from its architecture, parameters zero (a model file then loads them). */
  public static Sequential fromSpecs(List<LayerSpec> specs) {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      layers.add(specs.get(i).toLayer(i));
    }
    return new Sequential(layers);
  }

  /** Starts a network whose rows have {@code inputs} floats. */
  public static Builder builder(int inputs) {
    return new Builder(inputs);
  }

  public List<Layer> layers() {
    return layers;
  }

  @Override
  public int inputs() {
    return layers.get(0).inputs();
  }

  @Override
  public int outputs() {
    return layers.get(layers.size() - 1).outputs();
  }

  @Override
  public List<Parameter> parameters() {
    return parameters;
  }

  /**
   * Draws every linear layer's weights from {@code init} with one generator seeded by
   * {@code seed}, in layer order, and zeroes the biases. A one-layer network draws exactly what
   * {@code new SplittableRandom(seed)} gives.
   */
  public Sequential initialise(Init init, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (Layer l : layers) {
      if (l instanceof Linear lin) {
        lin.initialise(init, rng);
      }
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
    sizes.add(Integer.toString(inputs()));
    StringJoiner kinds = new StringJoiner(", ");
    for (Layer l : layers) {
      if (l instanceof Linear) {
        sizes.add(Integer.toString(l.outputs()));
      }
      kinds.add(l.spec().toString());
    }
    return sizes + " (" + kinds + ")";
  }

  @Override
  public String toString() {
    return "Sequential " + describe();
  }

  /** Buffers of one shard: each layer's output and output gradient, and its state. */
  public final class Workspace implements Network.Workspace {
    private final int capacity;
    /** A shard workspace: wide layers' weight gradients are left to gatherGradient. */
    private final boolean shard;
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

    Workspace(int capacity, boolean shard) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("workspace capacity must be > 0, got " + capacity);
      }
      this.capacity = capacity;
      this.shard = shard;
      int n = layers.size();
      this.outputs = new float[n][];
      this.gradients = new float[n][];
      this.states = new Layer.State[n];
      this.rows = new Rows[n];
      for (int i = 0; i < n; i++) {
        Layer l = layers.get(i);
        outputs[i] = new float[capacity * l.outputs()];
        gradients[i] = new float[capacity * l.outputs()];
        states[i] = shard && l instanceof Linear lin && lin.defersWeightGradient()
            ? lin.newState(capacity, true) : l.newState(capacity);
        rows[i] = new Rows(l.outputs()).floats(outputs[i], 0);
      }
      Layer first = layers.get(0);
      this.inputFloats = first.readsGatheredBytes() ? null : new float[capacity * first.inputs()];
      this.floatInput = new Rows(first.inputs());
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
    return new Workspace(capacity, false);
  }

  @Override
  public Workspace newShardWorkspace(int capacity) {
    return new Workspace(capacity, true);
  }

  @Override
  public List<GradientBlock> gradientBlocks() {
    return gradientBlocks;
  }

  @Override
  public void gatherGradient(TrainingKernels k, GradientBlock b, Network.Workspace[] shards,
      int used) {
    int p = b.parameter();
    Parameter param = parameters.get(p);
    float[] g = param.grad().data();
    int go = param.grad().offset();
    for (int s = 0; s < used; s++) {
      if (((Workspace) shards[s]).backwardRows < 0) {
        throw new IllegalStateException("gatherGradient before backward on shard " + s);
      }
    }
    if (deferred[p] && ((Workspace) shards[0]).shard) {
      int layer = parameterLayer[p];
      Linear lin = (Linear) layers.get(layer);
      for (int s = 0; s < used; s++) {
        Workspace ws = (Workspace) shards[s];
        lin.addWeightGradient(k, ws.states[layer], ws.input(layer), ws.backwardRows,
            b.offset(), b.cols(), s == 0, g, go);
      }
      return;
    }
    float[] first = shards[0].gradient(p);
    for (int r = 0; r < b.rows(); r++) {
      int at = b.rowStart(r);
      System.arraycopy(first, at, g, go + at, b.cols());
      for (int s = 1; s < used; s++) {
        k.add(b.cols(), g, go + at, shards[s].gradient(p), at, g, go + at);
      }
    }
  }

  @Override
  public void packWeights(TrainingKernels k) {
    for (Layer l : layers) {
      if (l instanceof Linear lin && lin.defersWeightGradient()) {
        lin.packWeight(k, 0, lin.inputs());
      }
    }
  }

  @Override
  public void repackWeights(TrainingKernels k, GradientBlock b) {
    if (deferred[b.parameter()]) {
      ((Linear) layers.get(parameterLayer[b.parameter()])).packWeight(k, b.offset(), b.cols());
    }
  }

  @Override
  public void forward(TrainingKernels k, Network.Workspace workspace, Rows in, int n) {
    Workspace ws = (Workspace) workspace;
    checkRows(ws, in, n);
    Rows cur = in;
    if (in.isGathered() && ws.inputFloats != null) {
      in.copyTo(k, n, ws.inputFloats, 0);
      cur = ws.floatInput.floats(ws.inputFloats, 0);
    }
    ws.firstInput = cur;
    ws.backwardRows = -1;
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).forward(k, ws.states[i], cur, n, ws.outputs[i], ws.pass);
      cur = ws.rows[i];
    }
  }

  @Override
  public void backward(TrainingKernels k, Network.Workspace workspace, int n) {
    Workspace ws = (Workspace) workspace;
    if (ws.firstInput == null) {
      throw new IllegalStateException("backward before forward on this workspace");
    }
    for (int i = layers.size() - 1; i >= 0; i--) {
      Rows in = ws.input(i);
      float[] dIn = needsInputGradient[i] ? ws.gradients[i - 1] : null;
      layers.get(i).backward(k, ws.states[i], in, ws.outputs[i], ws.gradients[i], n, dIn);
    }
    ws.backwardRows = n;
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

  /** Adds layers one by one; each takes the previous layer's outputs as its inputs. */
  public static final class Builder {
    private final int inputs;
    private final List<Layer> layers = new ArrayList<>();

    private Builder(int inputs) {
      if (inputs <= 0) {
        throw new IllegalArgumentException("a network needs inputs > 0, got " + inputs);
      }
      this.inputs = inputs;
    }

    private int width() {
      return layers.isEmpty() ? inputs : layers.get(layers.size() - 1).outputs();
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
      return add(new Linear(width(), outputs, bias));
    }

    public Builder relu() {
      return add(new ReLU(width()));
    }

    public Builder sigmoid() {
      return add(new Sigmoid(width()));
    }

    public Builder tanh() {
      return add(new Tanh(width()));
    }

    /** {@code relu}, {@code sigmoid} or {@code tanh}. */
    public Builder activation(String type) {
      return switch (type) {
        case "relu" -> relu();
        case "sigmoid" -> sigmoid();
        case "tanh" -> tanh();
        default -> throw new IllegalArgumentException(
            "--activation must be relu, sigmoid or tanh, got '" + type + "'");
      };
    }

    public Builder dropout(double p) {
      return add(new Dropout(width(), (float) p, layers.size()));
    }

    /** Any layer taking the current width. */
    public Builder add(Layer layer) {
      layers.add(layer);
      return this;
    }

    /** The network, parameters zero. */
    public Sequential build() {
      return new Sequential(layers);
    }

    /** The network, initialised ({@link Sequential#initialise}). */
    public Sequential build(Init init, long seed) {
      return build().initialise(init, seed);
    }
  }
}
