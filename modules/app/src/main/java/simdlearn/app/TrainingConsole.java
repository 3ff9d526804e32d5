package simdlearn.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import simdlearn.console.Bars;
import simdlearn.train.TrainingListener;
import simdlearn.report.EpochLine;
import simdlearn.report.RunLine;
import simdlearn.report.SummaryLine;

/**
 * The trainer on a console: a progress bar per epoch with the running loss on a terminal, one
 * plain line per epoch in a pipe or CI log.
 */
final class TrainingConsole implements TrainingListener {
  private final PrintWriter out;
  private final boolean bars;
  private final int epochs;
  private ProgressBar bar;
  /** The running loss, read when the bar redraws (not formatted on every minibatch). */
  private volatile double runningLoss = Double.NaN;
  /** The share of this process's epochs done, for the estimate of the time left. */
  private volatile double runShare;
  /** When this process's first minibatch ended, and the epoch it was in (a resume's first). */
  private long startNanos;
  private int firstEpoch;
  /** Whether the note about sampled epoch lines was printed. */
  private boolean sampledNote;

  TrainingConsole(PrintWriter out, boolean bars, int epochs) {
    this.out = out;
    this.bars = bars;
    this.epochs = epochs;
  }

  @Override
  public void runResumed(RunLine run, List<EpochLine> done) {
    runStarted(run);
    out.printf(Locale.ROOT, "resumed after epoch %d%n", done.size());
    out.flush();
  }

  @Override
  public void runStarted(RunLine run) {
    for (String line : runLines(run)) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * The run in short lines that fit {@link #LINE} columns: model, shape and data; the layers
   * (wrapped at commas); the kernels and settings. The report has every detail.
   */
  static List<String> runLines(RunLine run) {
    RunLine.Settings s = run.settings();
    RunLine.Dataset d = run.dataset();
    String arch = run.architecture();
    int open = arch.indexOf(" (");
    String shape = open < 0 ? arch : arch.substring(0, open);
    List<String> lines = new ArrayList<>();
    String head = "simdlearn: " + run.model() + " " + shape;
    String data = String.format(Locale.ROOT, "on %s, %d train%s", d.name(), d.trainSize(),
        d.testSize() > 0 ? " / " + d.testSize() + " test" : "");
    if (head.length() + 1 + data.length() <= LINE) {
      lines.add(head + " " + data);
    } else {
      lines.add(head);
      lines.add("  " + data);
    }
    if (open >= 0 && arch.endsWith(")") && arch.contains(", ")) { // one layer: the shape says it
      wrap("  layers: ", arch.substring(open + 2, arch.length() - 1), lines);
    }
    RunLine.Environment env = run.environment();
    String kernels = env.kernels().startsWith("vector") ? "vector " + env.vectorBits() + "-bit"
        : env.kernels().split(" ", 2)[0];
    lines.add(String.format(Locale.ROOT, "  %s, %s, batch %d, lr %s, %s, %d epoch%s",
        kernels, where(run), s.batchSize(), s.lr(), s.optimizer(), s.epochs(),
        s.epochs() == 1 ? "" : "s"));
    return lines;
  }

  /**
   * Where the shards run: {@code 2 threads}; {@code 2 threads, 4 partitions} (--shards);
   * {@code spark local[2], 4 partitions}.
   */
  static String where(RunLine run) {
    int threads = run.settings().threads();
    String local = threads + " thread" + (threads == 1 ? "" : "s");
    RunLine.Engine e = run.engine();
    if (e == null) {
      return local;
    }
    String partitions = e.partitions() + " partition" + (e.partitions() == 1 ? "" : "s");
    return ("local".equals(e.name()) ? local : Printable.of(e.name() + " " + e.master())) + ", "
        + partitions;
  }

  /** Adds {@code items} (comma-separated) after {@code head}, breaking lines at commas. */
  private static void wrap(String head, String items, List<String> lines) {
    StringBuilder line = new StringBuilder(head);
    String indent = " ".repeat(head.length());
    String[] parts = items.split(", ");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i] + (i + 1 < parts.length ? "," : "");
      if (line.length() > indent.length() && line.length() + 1 + part.length() > LINE) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
      }
      line.append(line.length() > indent.length() ? " " : "").append(part);
    }
    lines.add(line.toString());
  }

  @Override
  public void batchDone(int epoch, int batch, int batches, double meanLoss) {
    if (!bars) {
      return;
    }
    runningLoss = meanLoss;
    if (firstEpoch == 0) {
      firstEpoch = epoch;
      startNanos = System.nanoTime();
    }
    runShare = ((epoch - firstEpoch) + (batch + 1.0) / batches) / (epochs - firstEpoch + 1);
    if (bar == null) {
      bar = Bars.steps(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), batches,
          () -> String.format(Locale.ROOT, "loss %.4f", runningLoss)
              + left((System.nanoTime() - startNanos) / 1e9, runShare), System.out);
    }
    bar.stepTo(batch + 1);
  }

  @Override
  public void epochDone(EpochLine e) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    if (shown(e.epoch(), epochs)) {
      out.println(epochLine(e, epochs));
      if (!sampledNote && shown(e.epoch(), epochs) && every(epochs) > 1) {
        sampledNote = true;
        out.printf(Locale.ROOT, "  (every %d%s epoch shown; report.jsonl has all %d)%n",
            every(epochs), ordinal(every(epochs)), epochs);
      }
      out.flush();
    }
  }

  /** Most epoch lines a run prints: more are sampled (the report keeps every epoch). */
  static final int MAX_EPOCH_LINES = 25;

  /** Epoch lines shown: 1 in this many (a round number) once a run has many epochs. */
  static int every(int epochs) {
    if (epochs <= MAX_EPOCH_LINES) {
      return 1;
    }
    int need = (epochs + MAX_EPOCH_LINES - 3) / (MAX_EPOCH_LINES - 2);
    for (int scale = 1; ; scale *= 10) {
      for (int step : new int[] {1, 2, 5}) {
        if (step * scale >= need) {
          return step * scale;
        }
      }
    }
  }

  /** Whether epoch {@code epoch}'s line is printed: the first, the last and every Nth. */
  static boolean shown(int epoch, int epochs) {
    return epoch == 1 || epoch == epochs || epoch % every(epochs) == 0;
  }

  private static String ordinal(int n) {
    return n % 100 >= 11 && n % 100 <= 13 ? "th"
        : switch (n % 10) {
          case 1 -> "st";
          case 2 -> "nd";
          case 3 -> "rd";
          default -> "th";
        };
  }

  /**
   * The estimate of the run's time left, from the time taken so far and the share of the run
   * done: {@code ", run ~1.5 min left"}; empty until there is enough to go on.
   */
  static String left(double elapsedSeconds, double share) {
    if (share <= 0 || share >= 1 || elapsedSeconds < 1) {
      return "";
    }
    double left = elapsedSeconds * (1 - share) / share;
    return ", run ~" + (left < 90 ? String.format(Locale.ROOT, "%.0f s", left)
        : left < 5400 ? String.format(Locale.ROOT, "%.1f min", left / 60)
        : String.format(Locale.ROOT, "%.1f h", left / 3600)) + " left";
  }

  /** Columns an epoch line may take: one fewer than a classic terminal, so it never wraps. */
  static final int LINE = 79;

  /**
   * d2l's epoch figures on one line: loss, train and test accuracy (or test loss), time and
   * throughput; the throughput is left out where it would push the line past {@link #LINE}.
   */
  static String epochLine(EpochLine e, int epochs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %2d/%d  loss %s",
        e.epoch(), epochs, figure(e.trainLoss())));
    if (e.trainAcc() != null) {
      line.append(String.format(Locale.ROOT, "  train acc %.4f  test acc %.4f", e.trainAcc(),
          e.testAcc()));
    }
    if (e.testLoss() != null) {
      line.append("  test loss ").append(figure(e.testLoss()));
    }
    line.append("  ").append(duration(e.seconds()));
    String rate = "  " + rate(e.examplesPerSecond()) + " ex/s";
    if (line.length() + rate.length() <= LINE) {
      line.append(rate);
    }
    return line.toString();
  }

  /** Four decimals while they fit; large losses (early polynomial fits) in four figures. */
  static String figure(double x) {
    return Math.abs(x) < 1000 ? String.format(Locale.ROOT, "%.4f", x)
        : String.format(Locale.ROOT, "%.4g", x);
  }

  /** 23 ms, 148 ms, 1.23 s. */
  static String duration(double seconds) {
    return seconds < 1 ? String.format(Locale.ROOT, "%.0f ms", seconds * 1e3)
        : String.format(Locale.ROOT, "%.2f s", seconds);
  }

  /** 950, 404k, 2.60M: three significant figures are all a noisy timing carries. */
  static String rate(double perSecond) {
    if (perSecond < 1e4) {
      return String.format(Locale.ROOT, "%.0f", perSecond);
    }
    if (perSecond < 1e6) {
      return String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
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
    if (s.epochsCompleted() == 0) {
      out.println("done: no epoch to train; the model is the initial one");
    } else if (s.finalTestAcc() != null) {
      out.printf(Locale.ROOT, "done: test acc %.4f (best %.4f at epoch %d), train loss %s%n",
          s.finalTestAcc(), s.bestTestAcc(), s.bestEpoch(), figure(s.finalTrainLoss()));
      out.printf(Locale.ROOT, "time: %.2f s of training, %.2f s since the JVM started%n",
          s.totalSeconds(), sinceJvmStart());
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

  /**
   * Seconds since this JVM started: the VM's own start time (RuntimeMXBean, to the millisecond),
   * not the process start time the OS reports, which Linux derives from a boot time in whole
   * seconds (it read 0.5-0.9 s high here). Start-up before the VM is not included; time the
   * whole command from outside ({@code /usr/bin/time}) for that.
   */
  static double sinceJvmStart() {
    return (System.currentTimeMillis()
        - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
  }

  static String fmt(java.util.List<Double> v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.5f", v.get(i)));
    }
    return sb.append(']').toString();
  }
}
