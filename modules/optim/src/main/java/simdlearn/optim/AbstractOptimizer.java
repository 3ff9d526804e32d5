package simdlearn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import simdlearn.kernel.Kernels;

/** Bookkeeping shared by the optimizers: parameters, named state buffers, step count, checks. */
abstract class AbstractOptimizer implements Optimizer {
  protected final Kernels kernels;
  protected final float weightDecay;
  protected List<Parameter> params = List.of();
  /** State buffers: one array per (parameter, buffer name), same length as the parameter. */
  protected final Map<String, float[]> buffers = new LinkedHashMap<>();
  /** The same arrays by parameter index and buffer index: no name lookup in a step. */
  private float[][][] byParameter = new float[0][][];
  protected long steps;

  AbstractOptimizer(Kernels kernels, float weightDecay) {
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
    }
    this.weightDecay = weightDecay;
  }

  /** Names of the per-parameter buffers this optimizer keeps (e.g. "momentum"). */
  abstract List<String> bufferNames();

  @Override
  public void init(List<Parameter> parameters) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("no parameters to optimise");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Parameter p : parameters) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two parameters are named '" + p.name() + "'");
      }
    }
    params = List.copyOf(parameters);
    buffers.clear();
    List<String> bufferNames = bufferNames();
    byParameter = new float[params.size()][bufferNames.size()][];
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      for (int b = 0; b < bufferNames.size(); b++) {
        byParameter[i][b] = new float[p.value().size()];
        buffers.put(p.name() + "/" + bufferNames.get(b), byParameter[i][b]);
      }
    }
    steps = 0;
  }

  @Override
  public void step(float lr, float gradScale) {
    beginStep(lr);
    for (int p = 0; p < params.size(); p++) {
      stepRange(p, 0, params.get(p).value().size(), lr, gradScale);
    }
  }

  @Override
  public void beginStep(float lr) {
    checkLearningRate(lr);
    if (params.isEmpty()) {
      throw new IllegalStateException("call init(parameters) before step");
    }
    steps++;
  }

  @Override
  public void stepRange(int parameter, int from, int n, float lr, float gradScale) {
    Parameter p = params.get(parameter);
    if (from < 0 || n < 0 || from > p.value().size() - n) {
      throw new IndexOutOfBoundsException("elements [" + from + ", " + from + " + " + n
          + ") of parameter '" + p.name() + "' (" + p.value().size() + " elements)");
    }
    if (weightDecay != 0f && p.decays()) {
      kernels.scale(n, 1f - lr * weightDecay, p.value().data(), p.value().offset() + from);
    }
    update(parameter, p, from, n, lr, gradScale);
  }

  private static void checkLearningRate(float lr) {
    if (!(lr >= 0) || Float.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
  }

  /**
   * Applies the gradient step to elements [from, from + n) of parameter {@code index} (weight
   * decay already applied); its state buffers are indexed like the parameter.
   */
  abstract void update(int index, Parameter p, int from, int n, float lr, float gradScale);

  /** Buffer {@code which} (its position in {@code bufferNames()}) of parameter {@code index}. */
  protected float[] buffer(int index, int which) {
    return byParameter[index][which];
  }

  @Override
  public void reset() {
    for (float[] b : buffers.values()) {
      java.util.Arrays.fill(b, 0f);
    }
    steps = 0;
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public OptimizerState state() {
    return new OptimizerState(name(), steps, buffers);
  }

  @Override
  public void restore(OptimizerState state) {
    if (!state.optimizer().equals(name())) {
      throw new IllegalArgumentException(
          "state of a '" + state.optimizer() + "' optimizer cannot restore a '" + name() + "' one");
    }
    if (!state.buffers().keySet().equals(buffers.keySet())) {
      throw new IllegalArgumentException("state has buffers " + state.buffers().keySet()
          + " but this optimizer has " + new ArrayList<>(buffers.keySet()));
    }
    state.buffers().forEach((k, v) -> {
      float[] mine = buffers.get(k);
      if (mine.length != v.length) {
        throw new IllegalArgumentException(k + ": " + v.length + " values for " + mine.length);
      }
      System.arraycopy(v, 0, mine, 0, v.length);
    });
    steps = state.steps();
  }
}
