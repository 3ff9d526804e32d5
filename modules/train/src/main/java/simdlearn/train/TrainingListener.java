package simdlearn.train;

import simdlearn.train.report.EpochLine;
import simdlearn.train.report.RunLine;
import simdlearn.train.report.SummaryLine;

/** Follows a training run: the run line, each minibatch, each epoch, the summary. */
public interface TrainingListener {
  default void runStarted(RunLine run) {}

  /**
   * Minibatch {@code batch} (0-based) of {@code batches} in epoch {@code epoch} (1-based) is done;
   * {@code meanLoss} is the running mean training loss of the epoch so far.
   */
  default void batchDone(int epoch, int batch, int batches, double meanLoss) {}

  default void epochDone(EpochLine epoch) {}

  default void runEnded(SummaryLine summary) {}

  TrainingListener NONE = new TrainingListener() {};
}
