package simdlearn.train.report;

import java.util.List;
import java.util.Map;

/**
 * How a run ended. {@code status} is {@code completed} or {@code diverged} (then {@code message}
 * says where and why). For classification: final and best figures, per-class test accuracy and
 * the test confusion matrix ({@code confusionMatrix[true][predicted]}). For linear regression:
 * the learned parameters, the closed-form least-squares solution, the true ones when known, and
 * the errors of both against the truth.
 */
public record SummaryLine(String status, String message, int epochsCompleted,
    Double finalTrainLoss, Double finalTrainAcc, Double finalTestAcc, Double bestTestAcc,
    Integer bestEpoch, double totalSeconds, Map<String, Double> perClassAccuracy,
    List<List<Integer>> confusionMatrix, LinearFit learned, LinearFit closedForm, LinearFit truth,
    LinearFit learnedError, LinearFit closedFormError) implements ReportLine {

  /** Weights and bias of a linear regression (or their errors: learned minus true). */
  public record LinearFit(List<Double> w, double b) {}
}
