package simdlearn.train;

import java.util.List;
import java.util.Objects;
import simdlearn.data.Dataset;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Network;
import simdlearn.nn.Rows;
import simdlearn.nn.Sequential;

/**
 * A trained (or training) model: a network and what its inputs and outputs mean. Softmax
 * regression is a one-layer network whose outputs are class logits; linear regression a
 * one-layer network with one output; an MLP has hidden layers.
 *
 * @param kind the model's name in reports: {@code softmax-regression}, {@code linear-regression},
 *     {@code mlp}
 * @param output what the outputs are
 * @param classNames one per output for classifiers, empty otherwise
 * @param classNamesZh the Chinese class names d2l prints, empty when unknown
 * @param imageHeight height of the input images (0 when inputs are not images)
 * @param imageWidth width of the input images (0 when inputs are not images)
 */
public record Model(String kind, Sequential network, Output output, List<String> classNames,
    List<String> classNamesZh, int imageHeight, int imageWidth) {

  /** What a model's outputs are. */
  public enum Output {
    /** One logit per class; softmax gives probabilities. */
    CLASSES,
    /** Real values predicted directly. */
    VALUES,
    /** One logit for two classes: class 1 when it is positive, with probability sigmoid(z). */
    BINARY;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Model {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(output, "output");
    classNames = List.copyOf(classNames);
    classNamesZh = List.copyOf(classNamesZh);
    if (output == Output.CLASSES && classNames.size() != network.outputs()) {
      throw new IllegalArgumentException(classNames.size() + " class names for "
          + network.outputs() + " outputs");
    }
    if (output == Output.BINARY && (network.outputs() != 1 || classNames.size() != 2)) {
      throw new IllegalArgumentException("a binary classifier has one output and two class"
          + " names, not " + network.outputs() + " and " + classNames.size());
    }
    if (!classNamesZh.isEmpty() && classNamesZh.size() != classNames.size()) {
      throw new IllegalArgumentException(classNamesZh.size() + " Chinese class names for "
          + classNames.size() + " classes");
    }
    if (imageHeight < 0 || imageWidth < 0 || (imageHeight == 0) != (imageWidth == 0)) {
      throw new IllegalArgumentException("impossible image size " + imageHeight + "x" + imageWidth);
    }
    if (imageHeight != 0 && (long) imageHeight * imageWidth != network.inputs()) {
      throw new IllegalArgumentException("images of " + imageHeight + "x" + imageWidth
          + " do not give the " + network.inputs() + " inputs of " + network.describe());
    }
  }

  /**
   * A classifier of {@code data}'s images: its class names and image size, {@code network}'s
   * outputs read as class logits.
   */
  public static Model classifier(String kind, Sequential network, simdlearn.data.ImageDataset data) {
    return new Model(kind, network, Output.CLASSES, data.classNames(),
        data.spec().classNamesZh(), data.height(), data.width());
  }

  public int inputs() {
    return network.inputs();
  }

  public int outputs() {
    return network.outputs();
  }

  public boolean isClassifier() {
    return output != Output.VALUES;
  }

  /** The number of classes a classifier tells apart (0 for values). */
  public int classes() {
    return classNames.size();
  }

  /** Rows a batch prediction runs through the network at once. */
  static final int PREDICT_CHUNK = 256;

  /**
   * The network's outputs for every row of {@code x} ({@code n x inputs()}): logits for a
   * classifier, values for a regressor, as an {@code n x outputs()} matrix. Allocates its buffers
   * per call; for one input at a time in a loop, {@link #predictor} reuses them.
   */
  public FloatMatrix outputs(TrainingKernels k, FloatMatrix x) {
    if (x.cols() != inputs()) {
      throw new IllegalArgumentException("rows of " + x.cols() + " values for a model that takes "
          + inputs());
    }
    int n = x.rows();
    FloatMatrix out = FloatMatrix.zeros(n, outputs());
    Network.Workspace ws = network.newWorkspace(Math.max(1, Math.min(n, PREDICT_CHUNK)));
    ws.pass().evaluation();
    Rows rows = new Rows(inputs());
    float[] packed = x.toArray();
    for (int from = 0; from < n; from += PREDICT_CHUNK) {
      int m = Math.min(PREDICT_CHUNK, n - from);
      network.forward(k, ws, rows.floats(packed, from * inputs()), m);
      System.arraycopy(ws.output(), 0, out.data(), out.offset() + from * outputs(),
          m * outputs());
    }
    return out;
  }

  /**
   * The predicted class of every row of {@code x} (a classifier's): the largest logit, or for a
   * binary classifier class 1 where its logit is positive.
   */
  public int[] predict(TrainingKernels k, FloatMatrix x) {
    if (!isClassifier()) {
      throw new IllegalStateException("a " + kind + " model predicts values; use outputs()");
    }
    FloatMatrix logits = outputs(k, x);
    int[] classes = new int[x.rows()];
    for (int r = 0; r < classes.length; r++) {
      classes[r] = output == Output.BINARY ? (logits.get(r, 0) > 0f ? 1 : 0)
          : k.argmax(outputs(), logits.data(), logits.offset() + r * outputs());
    }
    return classes;
  }

  /**
   * The share of {@code data}'s examples this classifier gets right (every example, in chunks,
   * read as the trainer reads them).
   */
  public double accuracy(TrainingKernels k, Dataset data) {
    if (!isClassifier() || !data.labelled()) {
      throw new IllegalStateException("accuracy needs a classifier and labelled data");
    }
    if (data.features() != inputs()) {
      throw new IllegalArgumentException(data.name() + " has " + data.features()
          + " features; the model takes " + inputs());
    }
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    long right = 0;
    simdlearn.data.Batch batch = new simdlearn.data.Batch(PREDICT_CHUNK, 1);
    FloatMatrix x = FloatMatrix.zeros(PREDICT_CHUNK, inputs());
    for (int from = 0; from < order.length; from += PREDICT_CHUNK) {
      int m = Math.min(PREDICT_CHUNK, order.length - from);
      data.copyFeatures(order, from, m, x.data(), x.offset());
      data.copyTargets(order, from, m, batch, 0);
      int[] predicted = predict(k, m == PREDICT_CHUNK ? x : x.rowRange(0, m));
      for (int i = 0; i < m; i++) {
        right += predicted[i] == batch.labels()[i] ? 1 : 0;
      }
    }
    return (double) right / order.length;
  }

  /**
   * A reusable predictor for one input at a time (prediction, pictures); not thread-safe, and it
   * allocates its buffers once.
   */
  public Predictor predictor(TrainingKernels k) {
    return new Predictor(k);
  }

  /** Outputs (or class probabilities) of single inputs, with buffers of its own. */
  public final class Predictor {
    private final TrainingKernels k;
    private final Network.Workspace ws = network.newWorkspace(1);
    private final Rows rows = new Rows(network.inputs());

    private Predictor(TrainingKernels k) {
      this.k = k;
      ws.pass().evaluation();
    }

    /** The network's outputs for {@code x} ({@link #inputs()} floats) into {@code out}. */
    public void outputs(float[] x, float[] out) {
      network.forward(k, ws, rows.floats(x, 0), 1);
      System.arraycopy(ws.output(), 0, out, 0, network.outputs());
    }

    /**
     * Class probabilities of a classifier, {@link #classes()} of them: the softmax of the logits,
     * or for a binary classifier {@code 1 - sigmoid(z)} and {@code sigmoid(z)}.
     */
    public void probabilities(float[] x, float[] probs) {
      if (output == Output.BINARY) {
        outputs(x, probs);
        k.sigmoid(1, probs, 0, probs, 1);
        probs[0] = 1f - probs[1];
        return;
      }
      outputs(x, probs);
      k.softmaxRows(1, probs.length, probs, 0, probs, 0, null, 0);
    }
  }
}
