package simdlearn.train.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import simdlearn.train.TrainingListener;
import simdlearn.train.report.EpochLine;
import simdlearn.train.report.RunLine;
import simdlearn.train.report.SummaryLine;

/**
 * The trainer on a console: a progress bar per epoch with the running loss on a terminal, one
 * plain line per epoch in a pipe or CI log.
 */
final class ConsoleProgress implements TrainingListener {
  private final PrintWriter out;
  private final boolean bars;
  private final int epochs;
  private ProgressBar bar;

  ConsoleProgress(PrintWriter out, boolean bars, int epochs) {
    this.out = out;
    this.bars = bars;
    this.epochs = epochs;
  }

  /**
   * Bar width from $COLUMNS (default 100). Giving it explicitly keeps the library from opening a
   * jline terminal per bar, which spawns stty and cost over a second per run here.
   */
  static int width() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").trim()));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  static boolean isTerminal() {
    var console = System.console();
    return console != null && console.isTerminal();
  }

  @Override
  public void runStarted(RunLine run) {
    RunLine.Settings s = run.settings();
    RunLine.Dataset d = run.dataset();
    out.printf(Locale.ROOT, "simdlearn: %s %s on %s (%d train%s), %s, %d threads, batch %d, lr %s,"
        + " %s, %d epochs%n", run.model(), run.architecture(), d.name(), d.trainSize(),
        d.testSize() > 0 ? " / " + d.testSize() + " test" : "", run.environment().kernels(),
        s.threads(), s.batchSize(), s.lr(), s.optimizer(), s.epochs());
    out.flush();
  }

  @Override
  public void batchDone(int epoch, int batch, int batches, double meanLoss) {
    if (!bars) {
      return;
    }
    if (bar == null) {
      bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch,
          epochs)).setInitialMax(batches).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.out, width())).setUpdateIntervalMillis(200)
          .build();
    }
    bar.stepTo(batch + 1);
    if ((batch & 7) == 0) {
      bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", meanLoss));
    }
  }

  @Override
  public void epochDone(EpochLine e) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %2d/%d  train loss %.4f",
        e.epoch(), epochs, e.trainLoss()));
    if (e.trainAcc() != null) {
      line.append(String.format(Locale.ROOT, "  train acc %.4f  test acc %.4f", e.trainAcc(),
          e.testAcc()));
    }
    if (e.testLoss() != null) {
      line.append(String.format(Locale.ROOT, "  test loss %.4f", e.testLoss()));
    }
    line.append(String.format(Locale.ROOT, "  %.3f s  %,.0f examples/s", e.seconds(),
        e.examplesPerSecond()));
    out.println(line);
    out.flush();
  }

  @Override
  public void runEnded(SummaryLine s) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    if (!"completed".equals(s.status())) {
      return; // the command reports the failure
    }
    if (s.finalTestAcc() != null) {
      out.printf(Locale.ROOT, "done: test acc %.4f (best %.4f at epoch %d), train loss %.4f, %.2f s"
          + " of training, %.2f s since the JVM started%n", s.finalTestAcc(), s.bestTestAcc(),
          s.bestEpoch(), s.finalTrainLoss(), s.totalSeconds(), sinceJvmStart());
    } else if (s.learned() != null) {
      out.printf(Locale.ROOT, "done: w = %s, b = %.4f (closed form w = %s, b = %.4f)%n",
          fmt(s.learned().w()), s.learned().b(), fmt(s.closedForm().w()), s.closedForm().b());
      if (s.learnedError() != null) {
        out.printf(Locale.ROOT, "error in w: %s, error in b: %.5f%n", fmt(s.learnedError().w()),
            s.learnedError().b());
      }
    } else {
      out.printf(Locale.ROOT, "done: train loss %.6g%s%n", s.finalTrainLoss(),
          s.finalTestLoss() == null ? "" : String.format(Locale.ROOT, ", test loss %.6g",
              s.finalTestLoss()));
      if (s.weights() != null) {
        out.printf(Locale.ROOT, "learned weights %s%ntrue weights    %s%n", fmt(s.weights()),
            fmt(s.trueWeights()));
      }
      if (s.weightNorm() != null) {
        out.printf(Locale.ROOT, "L2 norm of w: %.4f%n", s.weightNorm());
      }
    }
    out.flush();
  }

  /** Seconds since this JVM was started, as the OS reports it. */
  static double sinceJvmStart() {
    return ProcessHandle.current().info().startInstant()
        .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis() / 1000.0)
        .orElse(Double.NaN);
  }

  static String fmt(java.util.List<Double> v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.5f", v.get(i)));
    }
    return sb.append(']').toString();
  }
}
