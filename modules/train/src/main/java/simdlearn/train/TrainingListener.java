package simdlearn.train;

import java.util.List;
import simdlearn.report.EpochLine;
import simdlearn.report.ReportWriter;
import simdlearn.report.RunLine;
import simdlearn.report.SummaryLine;

/** Follows a training run: the run line, each minibatch, each epoch, the summary. */
public interface TrainingListener {
  default void runStarted(RunLine run) {}

  /**
   * A run resumed from a checkpoint: its run line and the epochs it had completed. By default
   * the same as a start followed by those epochs; a report writer overrides it (the resumed
   * report is rewritten with them before training goes on).
   */
  default void runResumed(RunLine run, List<EpochLine> done) {
    runStarted(run);
    done.forEach(this::epochDone);
  }

  /**
   * Minibatch {@code batch} (0-based) of {@code batches} in epoch {@code epoch} (1-based) is done;
   * {@code meanLoss} is the running mean training loss of the epoch so far.
   */
  default void batchDone(int epoch, int batch, int batches, double meanLoss) {}

  default void epochDone(EpochLine epoch) {}

  default void runEnded(SummaryLine summary) {}

  TrainingListener NONE = new TrainingListener() {};

  /** A listener that appends the run, epoch and summary lines to {@code report}. */
  static TrainingListener writingTo(ReportWriter report) {
    return new TrainingListener() {
      @Override
      public void runStarted(RunLine run) {
        report.write(run);
      }

      @Override
      public void runResumed(RunLine run, List<EpochLine> done) {
        // Already in the report: ReportWriter.replacing wrote them.
      }

      @Override
      public void epochDone(EpochLine epoch) {
        report.write(epoch);
      }

      @Override
      public void runEnded(SummaryLine summary) {
        report.write(summary);
      }
    };
  }

  /** A listener that tells each of {@code listeners}, in order. */
  static TrainingListener all(TrainingListener... listeners) {
    List<TrainingListener> each = List.of(listeners);
    return new TrainingListener() {
      @Override
      public void runStarted(RunLine run) {
        each.forEach(l -> l.runStarted(run));
      }

      @Override
      public void runResumed(RunLine run, List<EpochLine> done) {
        each.forEach(l -> l.runResumed(run, done));
      }

      @Override
      public void batchDone(int epoch, int batch, int batches, double meanLoss) {
        for (TrainingListener l : each) {
          l.batchDone(epoch, batch, batches, meanLoss);
        }
      }

      @Override
      public void epochDone(EpochLine epoch) {
        each.forEach(l -> l.epochDone(epoch));
      }

      @Override
      public void runEnded(SummaryLine summary) {
        each.forEach(l -> l.runEnded(summary));
      }
    };
  }
}
