package simdlearn.report;

/**
 * Figures of one completed epoch (1-based). For classifiers, {@code trainLoss} and
 * {@code trainAcc} are averaged over the epoch's minibatches as they were trained (d2l's
 * convention) and {@code testAcc} is measured after the epoch. For regression, {@code trainLoss}
 * (and {@code testLoss} when there is a test set) is the mean loss over the whole set after the
 * epoch, as d2l's {@code evaluate_loss}. {@code seconds} is the training time of the epoch,
 * {@code evalSeconds} the evaluation after it. Absent figures are null.
 */
public record EpochLine(int epoch, double trainLoss, Double trainAcc, Double testAcc,
    Double testLoss, double lr, double seconds, double evalSeconds, double examplesPerSecond)
    implements ReportLine {}
