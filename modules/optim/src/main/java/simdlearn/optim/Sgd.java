package simdlearn.optim;

import java.util.List;
import simdlearn.kernel.Kernels;

/**
 * Minibatch stochastic gradient descent, optionally with (Nesterov) momentum, as
 * {@code torch.optim.SGD} with dampening 0: {@code v = momentum * v + g; p -= lr * v}, or with
 * Nesterov {@code p -= lr * (g + momentum * v)}; plain SGD is {@code p -= lr * g}, d2l's
 * {@code sgd} when {@code g = grad / batch_size}.
 */
public final class Sgd extends AbstractOptimizer {
  private final float momentum;
  private final boolean nesterov;

  /** Plain SGD. */
  public Sgd(Kernels kernels) {
    this(kernels, 0f, false, 0f);
  }

  public Sgd(Kernels kernels, float momentum, boolean nesterov, float weightDecay) {
    super(kernels, weightDecay);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (nesterov && momentum == 0f) {
      throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  public String name() {
    return momentum == 0f ? "sgd" : nesterov ? "nesterov" : "momentum";
  }

  @Override
  List<String> bufferNames() {
    return momentum == 0f ? List.of() : List.of("momentum");
  }

  @Override
  void update(int index, Parameter p, int from, int n, float lr, float gradScale) {
    float[] w = p.value().data();
    int wo = p.value().offset() + from;
    float[] g = p.grad().data();
    int go = p.grad().offset() + from;
    if (momentum == 0f) {
      kernels.axpy(n, -lr * gradScale, g, go, w, wo);
      return;
    }
    float[] v = buffer(index, 0);
    kernels.axpby(n, gradScale, g, go, momentum, v, from);
    if (nesterov) {
      kernels.axpy(n, -lr * gradScale, g, go, w, wo);
      kernels.axpy(n, -lr * momentum, v, from, w, wo);
    } else {
      kernels.axpy(n, -lr, v, from, w, wo);
    }
  }

  @Override
  public Optimizer copy() {
    return new Sgd(kernels, momentum, nesterov, weightDecay);
  }

  @Override
  public String toString() {
    return name() + "(momentum=" + momentum + ", nesterov=" + nesterov + ", weightDecay="
        + weightDecay + ")";
  }
}
