package simdlearn.train;

import java.io.Serializable;

/**
 * What one partition's shard of a minibatch gives back: its row count, its summed loss, its
 * correct predictions (classifiers) and its gradient of every parameter (in the network's
 * parameter order; null for a shard without rows). A distributed engine ships it from an
 * executor; the local engine reuses one per partition.
 */
public final class PartitionResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private int rows;
  private double lossSum;
  private int correct;
  private float[][] gradients;

  public PartitionResult(int rows, double lossSum, int correct, float[][] gradients) {
    set(rows, lossSum, correct, gradients);
  }

  void set(int rows, double lossSum, int correct, float[][] gradients) {
    if (rows < 0 || (rows > 0 && gradients == null)) {
      throw new IllegalArgumentException("a shard of " + rows + " rows needs its gradients");
    }
    this.rows = rows;
    this.lossSum = lossSum;
    this.correct = correct;
    this.gradients = gradients;
  }

  public int rows() {
    return rows;
  }

  public double lossSum() {
    return lossSum;
  }

  public int correct() {
    return correct;
  }

  /** Gradient of parameter {@code p}, summed over the shard's rows; null without rows. */
  public float[] gradient(int p) {
    return gradients == null ? null : gradients[p];
  }
}
