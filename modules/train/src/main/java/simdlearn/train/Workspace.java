package simdlearn.train;

import simdlearn.data.Batch;
import simdlearn.kernel.FloatMatrix;

/**
 * Buffers of one shard, allocated once per run: its rows of the batch, outputs, loss gradients,
 * per-example losses, and its own weight and bias gradients (summed in shard order afterwards).
 */
final class Workspace {
  final Batch rows;
  final float[] out;
  final float[] grad;
  final float[] loss;
  final float[] dW;
  final float[] dB;
  final int[] predicted;
  private final FloatMatrix[] outViews;
  private final FloatMatrix[] gradViews;
  private final int outputs;
  double lossSum;
  int correct;

  Workspace(int capacity, int inputs, int outputs) {
    this.rows = new Batch(capacity, inputs);
    this.out = new float[capacity * outputs];
    this.grad = new float[capacity * outputs];
    this.loss = new float[capacity];
    this.dW = new float[outputs * inputs];
    this.dB = new float[outputs];
    this.predicted = new int[capacity];
    this.outViews = new FloatMatrix[capacity + 1];
    this.gradViews = new FloatMatrix[capacity + 1];
    this.outputs = outputs;
  }

  float[] x() {
    return rows.features().data();
  }

  /** The first {@code n} rows of the outputs as a matrix (created once per distinct n). */
  FloatMatrix outView(int n) {
    FloatMatrix v = outViews[n];
    if (v == null) {
      v = outViews[n] = FloatMatrix.wrap(out, 0, n, outputs);
    }
    return v;
  }

  FloatMatrix gradView(int n) {
    FloatMatrix v = gradViews[n];
    if (v == null) {
      v = gradViews[n] = FloatMatrix.wrap(grad, 0, n, outputs);
    }
    return v;
  }
}
