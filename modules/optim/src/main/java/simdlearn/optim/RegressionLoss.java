package simdlearn.optim;

import java.util.Locale;
import simdlearn.kernel.FloatMatrix;

/**
 * A loss on real-valued predictions and targets of the same shape, elementwise: per-element loss
 * {@code l(r)} of the residual {@code r = prediction - target}, and gradient {@code l'(r)} with
 * respect to the prediction. A row's loss is the sum over its columns.
 *
 * <p>{@link #lossAndGradient} writes each row's loss into {@code lossOut}, {@code gradScale * l'(r)}
 * into {@code grad} (may alias {@code prediction}) and returns the total. Stateless, thread-safe,
 * allocation-free.
 */
public abstract sealed class RegressionLoss
    permits RegressionLoss.Squared, RegressionLoss.MeanSquared, RegressionLoss.Absolute,
    RegressionLoss.Huber {

  RegressionLoss() {}

  /** Short name used on command lines and in reports. */
  public abstract String name();

  /** Loss of one residual. */
  abstract double value(double r);

  /** Derivative of the loss with respect to the prediction, at residual r. */
  abstract double derivative(double r);

  public final double lossAndGradient(FloatMatrix prediction, float[] target, int targetOff,
      float[] lossOut, FloatMatrix grad, float gradScale) {
    int rows = prediction.rows();
    int cols = prediction.cols();
    if (targetOff < 0 || targetOff + (long) rows * cols > target.length) {
      throw new IllegalArgumentException("targets: " + (target.length - targetOff)
          + " available for a " + rows + "x" + cols + " prediction");
    }
    if (lossOut.length < rows) {
      throw new IllegalArgumentException(
          "loss buffer has " + lossOut.length + " entries for " + rows + " rows");
    }
    if (grad.rows() != rows || grad.cols() != cols) {
      throw new IllegalArgumentException("gradient " + grad.rows() + "x" + grad.cols()
          + " does not match prediction " + rows + "x" + cols);
    }
    float[] p = prediction.data();
    int po = prediction.offset();
    float[] g = grad.data();
    int go = grad.offset();
    double total = 0;
    for (int i = 0; i < rows; i++) {
      double rowLoss = 0;
      for (int j = 0; j < cols; j++) {
        int k = i * cols + j;
        double r = (double) p[po + k] - target[targetOff + k];
        rowLoss += value(r);
        g[go + k] = (float) (gradScale * derivative(r));
      }
      lossOut[i] = (float) rowLoss;
      total += rowLoss;
    }
    return total;
  }

  /** Squared loss {@code 1/2 r^2}, as d2l 3.1 defines it; gradient r. */
  public static RegressionLoss squared() {
    return new Squared();
  }

  /**
   * {@code r^2}, PyTorch's {@code MSELoss} (no 1/2), which d2l 4.4 and 4.5 train with; gradient
   * {@code 2 r}.
   */
  public static RegressionLoss meanSquared() {
    return new MeanSquared();
  }

  /** L1 loss {@code |r|}; gradient sign(r) (0 at 0). */
  public static RegressionLoss absolute() {
    return new Absolute();
  }

  /**
   * Huber loss with threshold {@code delta} (PyTorch's {@code HuberLoss}): {@code r^2 / 2} for
   * {@code |r| <= delta}, else {@code delta (|r| - delta / 2)}; gradient r clipped to ±delta.
   */
  public static RegressionLoss huber(double delta) {
    return new Huber(delta);
  }

  /** {@code squared} (1/2 r^2), {@code mse} (r^2), {@code l1} or {@code huber} (delta 1). */
  public static RegressionLoss byName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "squared", "l2" -> squared();
      case "mse" -> meanSquared();
      case "l1", "absolute" -> absolute();
      case "huber" -> huber(1.0);
      default -> throw new IllegalArgumentException(
          "unknown regression loss '" + name + "': use squared, mse, l1 or huber");
    };
  }

  /** Squared loss. */
  public static final class Squared extends RegressionLoss {
    Squared() {}

    @Override
    public String name() {
      return "squared";
    }

    @Override
    double value(double r) {
      return 0.5 * r * r;
    }

    @Override
    double derivative(double r) {
      return r;
    }

    @Override
    public String toString() {
      return "SquaredLoss[1/2 r^2]";
    }
  }

  /** Squared loss without the half. */
  public static final class MeanSquared extends RegressionLoss {
    MeanSquared() {}

    @Override
    public String name() {
      return "mse";
    }

    @Override
    double value(double r) {
      return r * r;
    }

    @Override
    double derivative(double r) {
      return 2 * r;
    }

    @Override
    public String toString() {
      return "MeanSquaredLoss[r^2]";
    }
  }

  /** L1 loss. */
  public static final class Absolute extends RegressionLoss {
    Absolute() {}

    @Override
    public String name() {
      return "l1";
    }

    @Override
    double value(double r) {
      return Math.abs(r);
    }

    @Override
    double derivative(double r) {
      return Math.signum(r);
    }

    @Override
    public String toString() {
      return "L1Loss[|r|]";
    }
  }

  /** Huber loss. */
  public static final class Huber extends RegressionLoss {
    private final double delta;

    Huber(double delta) {
      if (!(delta > 0) || Double.isInfinite(delta)) {
        throw new IllegalArgumentException("Huber delta must be finite and > 0, got " + delta);
      }
      this.delta = delta;
    }

    public double delta() {
      return delta;
    }

    @Override
    public String name() {
      return "huber";
    }

    @Override
    double value(double r) {
      double a = Math.abs(r);
      return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
    }

    @Override
    double derivative(double r) {
      return Math.max(-delta, Math.min(delta, r));
    }

    @Override
    public String toString() {
      return "HuberLoss[delta=" + delta + "]";
    }
  }
}
