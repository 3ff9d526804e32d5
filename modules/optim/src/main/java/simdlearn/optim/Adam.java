package simdlearn.optim;

import java.util.List;
import simdlearn.kernel.Kernels;

/**
 * Adam (Kingma and Ba, 2015, Algorithm 1) with decoupled weight decay (AdamW, Loshchilov and
 * Hutter, 2019): {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}, as {@code torch.optim.AdamW}
 * (and {@code Adam} when weight decay is 0).
 */
public final class Adam extends AbstractOptimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;

  /** The usual defaults: betas (0.9, 0.999), epsilon 1e-8, no weight decay. */
  public Adam(Kernels kernels) {
    this(kernels, 0.9f, 0.999f, 1e-8f, 0f);
  }

  public Adam(Kernels kernels, float beta1, float beta2, float epsilon, float weightDecay) {
    super(kernels, weightDecay);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam epsilon must be > 0, got " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  List<String> bufferNames() {
    return List.of("adam.m", "adam.v");
  }

  @Override
  void update(int index, Parameter p, int from, int n, float lr, float gradScale) {
    float[] w = p.value().data();
    int wo = p.value().offset() + from;
    float[] g = p.grad().data();
    int go = p.grad().offset() + from;
    float[] m = buffer(index, 0);
    float[] v = buffer(index, 1);
    kernels.axpby(n, (1 - beta1) * gradScale, g, go, beta1, m, from);
    double c1 = 1 - Math.pow(beta1, steps);
    double c2 = 1 - Math.pow(beta2, steps);
    float stepSize = (float) (lr / c1);
    float rootC2 = (float) Math.sqrt(c2);
    float b2 = beta2;
    float oneMinusB2 = (1 - beta2) * gradScale * gradScale;
    // Second moment and the update have no kernel op (square, sqrt, divide); this simple loop is
    // auto-vectorised by C2, and parameters are small next to the GEMMs that produce gradients.
    for (int i = 0; i < n; i++) {
      float gi = g[go + i];
      float vi = b2 * v[from + i] + oneMinusB2 * gi * gi;
      v[from + i] = vi;
      w[wo + i] -= stepSize * m[from + i] / ((float) Math.sqrt(vi) / rootC2 + epsilon);
    }
  }

  @Override
  public Optimizer copy() {
    return new Adam(kernels, beta1, beta2, epsilon, weightDecay);
  }

  @Override
  public String toString() {
    return "adam(beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", weightDecay="
        + weightDecay + ")";
  }
}
