package simdlearn.report;

import java.util.List;
import java.util.Map;

/**
 * How a run ended. {@code status} is {@code completed}, {@code diverged} or {@code interrupted}
 * (then {@code message} says where and why). For classification: final and best figures,
 * per-class test accuracy and the test confusion matrix ({@code confusionMatrix[true][predicted]},
 * its rows and columns the classes of {@code confusionLabels}, in order).
 * For regression: the final losses; for d2l's linear regression the learned parameters, the
 * closed-form least-squares solution, the true ones when known, and the errors of both against
 * the truth; for polynomial fitting the learned {@code weights} beside the {@code trueWeights};
 * with weight decay the L2 norm of the weights ({@code weightNorm}). Absent figures are null.
 */
public record SummaryLine(String status, String message, int epochsCompleted,
    Double finalTrainLoss, Double finalTrainAcc, Double finalTestAcc, Double finalTestLoss,
    Double bestTestAcc, Integer bestEpoch, double totalSeconds,
    Map<String, Double> perClassAccuracy, List<List<Integer>> confusionMatrix,
    List<String> confusionLabels, LinearFit learned,
    LinearFit closedForm, LinearFit truth, LinearFit learnedError, LinearFit closedFormError,
    List<Double> weights, List<Double> trueWeights, Double weightNorm) implements ReportLine {

  /** Weights and bias of a linear regression (or their errors: learned minus true). */
  public record LinearFit(List<Double> w, double b) {}

  /** A classifier's summary. */
  public static SummaryLine classification(String status, String message, int epochs,
      Double trainLoss, Double trainAcc, Double testAcc, Double bestTestAcc, Integer bestEpoch,
      double seconds, Map<String, Double> perClass, List<List<Integer>> confusion) {
    return new SummaryLine(status, message, epochs, trainLoss, trainAcc, testAcc, null,
        bestTestAcc, bestEpoch, seconds, perClass, confusion,
        perClass == null ? null : List.copyOf(perClass.keySet()), null, null, null, null, null,
        null, null, null);
  }

  /** A regression's summary. */
  public static SummaryLine regression(String status, String message, int epochs,
      Double trainLoss, Double testLoss, double seconds) {
    return new SummaryLine(status, message, epochs, trainLoss, null, null, testLoss, null, null,
        seconds, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** This summary with a linear fit's figures. */
  public SummaryLine withLinearFit(LinearFit learned, LinearFit closedForm, LinearFit truth,
      LinearFit learnedError, LinearFit closedFormError) {
    return new SummaryLine(status, message, epochsCompleted, finalTrainLoss, finalTrainAcc,
        finalTestAcc, finalTestLoss, bestTestAcc, bestEpoch, totalSeconds, perClassAccuracy,
        confusionMatrix, confusionLabels, learned, closedForm, truth, learnedError,
        closedFormError, weights, trueWeights, weightNorm);
  }

  /** This summary with a polynomial's learned and true weights. */
  public SummaryLine withWeights(List<Double> learned, List<Double> truth) {
    return new SummaryLine(status, message, epochsCompleted, finalTrainLoss, finalTrainAcc,
        finalTestAcc, finalTestLoss, bestTestAcc, bestEpoch, totalSeconds, perClassAccuracy,
        confusionMatrix, confusionLabels, this.learned, closedForm, this.truth, learnedError,
        closedFormError, learned, truth, weightNorm);
  }

  /** This summary with the L2 norm of the weights. */
  public SummaryLine withWeightNorm(double norm) {
    return new SummaryLine(status, message, epochsCompleted, finalTrainLoss, finalTrainAcc,
        finalTestAcc, finalTestLoss, bestTestAcc, bestEpoch, totalSeconds, perClassAccuracy,
        confusionMatrix, confusionLabels, learned, closedForm, truth, learnedError,
        closedFormError, weights, trueWeights, norm);
  }
}
