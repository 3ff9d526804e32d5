package simdlearn.train;

import simdlearn.data.Batch;
import simdlearn.data.Dataset;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.FloatMatrix;
import simdlearn.nn.Network;
import simdlearn.nn.Rows;

/**
 * Buffers of one shard, allocated once per run: the network's workspace, the shard's labels or
 * targets (and float features for data that is not pixels), per-example losses and predictions,
 * and matrix views of the outputs for the losses.
 */
final class Shard {
  final Network.Workspace net;
  final Batch rows;
  final Rows input;
  final float[] loss;
  final int[] predicted;
  private final FloatMatrix[] outViews;
  private final FloatMatrix[] gradViews;
  private final int outputs;
  double lossSum;
  int correct;

  Shard(Network network, int capacity, boolean floatFeatures) {
    this(network, capacity, floatFeatures, false);
  }

  /**
   * @param wholeGradients whether backward leaves every parameter's whole gradient in the
   *     workspace (a partition's shard), or the trainer gathers them ({@link Network#newShardWorkspace})
   */
  Shard(Network network, int capacity, boolean floatFeatures, boolean wholeGradients) {
    this.net = wholeGradients ? network.newWorkspace(capacity)
        : network.newShardWorkspace(capacity);
    // The trainer packs the weights before its first step and repacks what each step changes.
    net.pass().packedWeights(true);
    this.rows = new Batch(capacity, floatFeatures ? network.inputs() : 0);
    this.input = new Rows(network.inputs());
    this.loss = new float[capacity];
    this.predicted = new int[capacity];
    this.outViews = new FloatMatrix[capacity + 1];
    this.gradViews = new FloatMatrix[capacity + 1];
    this.outputs = network.outputs();
  }

  /**
   * The input rows {@code rows[from .. from + n)} of {@code data}: an image dataset's pixels in
   * place ({@code pixels}, its {@link ImageDataset#pixelBytes()}), else a float copy into this
   * shard's buffer.
   */
  Rows input(Dataset data, byte[] pixels, int[] rows, int from, int n) {
    if (pixels != null) {
      return input.gathered(pixels, rows, from, ((ImageDataset) data).pixelScale());
    }
    data.copyFeatures(rows, from, n, x(), 0);
    return input.floats(x(), 0);
  }

  /** The pixels of an image dataset, read by the kernels in place of a float copy; else null. */
  static byte[] pixels(Dataset d) {
    return d instanceof ImageDataset images ? images.pixelBytes() : null;
  }

  /** Float features of the rows (data that is not pixels). */
  float[] x() {
    return rows.features().data();
  }

  /** The first {@code n} rows of the outputs as a matrix (created once per distinct n). */
  FloatMatrix outView(int n) {
    FloatMatrix v = outViews[n];
    if (v == null) {
      v = outViews[n] = FloatMatrix.wrap(net.output(), 0, n, outputs);
    }
    return v;
  }

  /** The first {@code n} rows of the output gradient, where the loss writes. */
  FloatMatrix gradView(int n) {
    FloatMatrix v = gradViews[n];
    if (v == null) {
      v = gradViews[n] = FloatMatrix.wrap(net.outputGradient(), 0, n, outputs);
    }
    return v;
  }
}
