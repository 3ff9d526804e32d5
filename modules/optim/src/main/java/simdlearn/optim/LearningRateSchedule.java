package simdlearn.optim;

/**
 * Learning rate as a function of training progress, measured in epochs ({@code 2.5} = half-way
 * through the third epoch), so per-step and per-epoch schedules share one form.
 */
public sealed interface LearningRateSchedule {
  float lr(double epochs);

  /** The same rate throughout. */
  record Constant(float base) implements LearningRateSchedule {
    public Constant {
      checkRate(base);
    }

    @Override
    public float lr(double epochs) {
      return base;
    }

    @Override
    public String toString() {
      return "constant(lr=" + base + ")";
    }
  }

  /** {@code base * gamma^floor(epochs / every)}: drops by gamma every {@code every} epochs. */
  record Step(float base, int every, float gamma) implements LearningRateSchedule {
    public Step {
      checkRate(base);
      if (every <= 0 || !(gamma > 0 && gamma <= 1)) {
        throw new IllegalArgumentException(
            "step schedule needs every > 0 and gamma in (0, 1], got " + every + ", " + gamma);
      }
    }

    @Override
    public float lr(double epochs) {
      return (float) (base * Math.pow(gamma, Math.floor(epochs / every)));
    }

    @Override
    public String toString() {
      return "step(lr=" + base + ", every=" + every + ", gamma=" + gamma + ")";
    }
  }

  /** Cosine annealing from {@code base} to {@code min} over {@code epochs}, then {@code min}. */
  record Cosine(float base, float min, int epochs) implements LearningRateSchedule {
    public Cosine {
      checkRate(base);
      checkRate(min);
      if (epochs <= 0 || min > base) {
        throw new IllegalArgumentException(
            "cosine schedule needs epochs > 0 and min <= base, got " + epochs + ", " + min);
      }
    }

    @Override
    public float lr(double e) {
      double t = Math.min(1, Math.max(0, e / epochs));
      return (float) (min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * t)));
    }

    @Override
    public String toString() {
      return "cosine(lr=" + base + ", min=" + min + ", epochs=" + epochs + ")";
    }
  }

  private static void checkRate(float lr) {
    if (!(lr >= 0) || Float.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
  }
}
