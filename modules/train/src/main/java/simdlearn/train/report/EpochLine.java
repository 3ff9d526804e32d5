package simdlearn.train.report;

/**
 * Figures of one completed epoch (1-based). Accuracies are null for regression.
 * {@code trainLoss} and {@code trainAcc} are averaged over the epoch's minibatches as they were
 * trained (d2l's convention); {@code testAcc} is measured after the epoch. {@code seconds} is the
 * training time of the epoch, {@code evalSeconds} the test evaluation after it.
 */
public record EpochLine(int epoch, double trainLoss, Double trainAcc, Double testAcc, double lr,
    double seconds, double evalSeconds, double examplesPerSecond) implements ReportLine {}
