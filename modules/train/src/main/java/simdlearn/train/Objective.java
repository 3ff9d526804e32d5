package simdlearn.train;

import java.util.Objects;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.optim.BinaryLogisticLoss;
import simdlearn.optim.ClassificationLoss;
import simdlearn.optim.ProbabilityCrossEntropy;
import simdlearn.optim.RegressionLoss;
import simdlearn.optim.SigmoidSquaredLoss;
import simdlearn.optim.SoftmaxCrossEntropy;

/**
 * What a network's outputs are trained to be, and how a run scores them: a loss and, for
 * classifiers, which class is predicted. The trainer calls it per shard; it touches only the
 * shard's outputs, labels or targets, and output gradient.
 */
public abstract sealed class Objective
    permits Objective.Labelled, Objective.Values {
  Objective() {}

  /**
   * Classes from one logit per class (softmax regression, MLPs): the predicted class is the
   * largest logit.
   */
  public static Objective classification(ClassificationLoss loss) {
    return new Classes(loss);
  }

  /**
   * Two classes from one logit z (a sigmoid linear classifier): class 1 is predicted when
   * {@code z > 0}, i.e. {@code sigmoid(z) > 1/2}. The loss takes labels 0 and 1.
   */
  public static Objective binary(ClassificationLoss loss) {
    return new Binary(loss);
  }

  /** Real-valued targets, one output per example. */
  public static Objective regression(RegressionLoss loss) {
    return new Values(loss);
  }

  /**
   * This objective as a line that {@link #named} turns back into it, as it reaches another JVM
   * (a Spark executor): {@code classes:softmax-cross-entropy}, {@code binary:logistic},
   * {@code values:huber:1.0}...
   */
  public abstract String id();

  /**
   * The objective of {@link #id()}, its losses on {@code k}'s kernels (the run's).
   *
   * @throws IllegalArgumentException for a loss this library does not name (a program's own)
   */
  public static Objective named(String id, TrainingKernels k) {
    String[] part = id.split(":", 3);
    String kind = part[0];
    String loss = part.length > 1 ? part[1] : "";
    return switch (kind + ":" + loss) {
      case "classes:softmax-cross-entropy" -> classification(new SoftmaxCrossEntropy(k));
      case "classes:cross-entropy" -> classification(new ProbabilityCrossEntropy());
      case "binary:logistic" -> binary(new BinaryLogisticLoss());
      case "binary:squared" -> binary(new SigmoidSquaredLoss());
      case "values:huber" -> regression(RegressionLoss.huber(Double.parseDouble(part[2])));
      default -> {
        if (kind.equals("values")) {
          yield regression(RegressionLoss.byName(loss));
        }
        throw new IllegalArgumentException("no objective is named '" + id + "'");
      }
    };
  }

  /** The loss's name, as in reports. */
  public abstract String lossName();

  /** Whether runs report accuracy and a confusion matrix. */
  public abstract boolean classifies();

  /** Loss of the shard's first n rows, its gradient into the output gradient; sets correct. */
  abstract double lossAndGradient(TrainingKernels k, Shard s, int n);

  /**
   * Scores n evaluated rows: fills {@code s.predicted} (classifiers) and returns the loss sum
   * (values). The gradient buffer is scratch here.
   */
  abstract double evaluate(TrainingKernels k, Shard s, int n);

  /**
   * Labels from the network's outputs: a shard's loss comes from the classification loss, its
   * correct count from the predictions {@link #evaluate} makes.
   */
  abstract static sealed class Labelled extends Objective permits Classes, Binary {
    private final ClassificationLoss loss;

    Labelled(ClassificationLoss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
    }

    @Override
    public String lossName() {
      return loss.name();
    }

    @Override
    public String id() {
      return (this instanceof Binary ? "binary:" : "classes:") + loss.name();
    }

    @Override
    public boolean classifies() {
      return true;
    }

    @Override
    final double lossAndGradient(TrainingKernels k, Shard s, int n) {
      evaluate(k, s, n);
      int[] labels = s.rows.labels();
      int correct = 0;
      for (int i = 0; i < n; i++) {
        if (s.predicted[i] == labels[i]) {
          correct++;
        }
      }
      s.correct = correct;
      return loss.lossAndGradient(s.outView(n), labels, s.loss, s.gradView(n), 1f);
    }
  }

  /** Classes from logits: the largest one. */
  static final class Classes extends Labelled {
    Classes(ClassificationLoss loss) {
      super(loss);
    }

    @Override
    double evaluate(TrainingKernels k, Shard s, int n) {
      k.argmaxRows(n, s.outView(n).cols(), s.net.output(), 0, s.predicted, 0);
      return 0;
    }
  }

  /** Two classes from one logit: class 1 where it is positive. */
  static final class Binary extends Labelled {
    Binary(ClassificationLoss loss) {
      super(loss);
    }

    @Override
    double evaluate(TrainingKernels k, Shard s, int n) {
      float[] z = s.net.output();
      for (int i = 0; i < n; i++) {
        s.predicted[i] = z[i] > 0f ? 1 : 0;
      }
      return 0;
    }
  }

  /** Real values. */
  static final class Values extends Objective {
    private final RegressionLoss loss;

    Values(RegressionLoss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
    }

    @Override
    public String lossName() {
      return loss.name();
    }

    @Override
    public String id() {
      return "values:" + loss.name()
          + (loss instanceof RegressionLoss.Huber h ? ":" + h.delta() : "");
    }

    @Override
    public boolean classifies() {
      return false;
    }

    @Override
    double lossAndGradient(TrainingKernels k, Shard s, int n) {
      return loss.lossAndGradient(s.outView(n), s.rows.targets(), 0, s.loss, s.gradView(n), 1f);
    }

    @Override
    double evaluate(TrainingKernels k, Shard s, int n) {
      return lossAndGradient(k, s, n);
    }
  }
}
