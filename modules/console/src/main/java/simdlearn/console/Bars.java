package simdlearn.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress bars that fit the terminal and tell the truth about short tasks: one line, a few
 * columns narrower than the terminal (a full-width line wraps on some terminals), elapsed time with
 * tenths of a second (an epoch of 0.3 s is not "0:00:00"), and a caller's live figure (the running
 * loss) read when the line is redrawn rather than formatted on every step. The line is cleared
 * when the bar closes, so the caller's summary line takes its place.
 */
public final class Bars {
  private Bars() {}

  /**
   * A bar for {@code steps} steps of {@code task}; {@code extra} (may be null) is drawn after the
   * count at every redraw.
   */
  public static ProgressBar steps(String task, long steps, Supplier<String> extra,
      PrintStream out) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).clearDisplayOnFinish()
        .setRenderer(new Renderer(extra, 1, ""))
        .setConsumer(new ConsoleProgressBarConsumer(out, width())).build();
  }

  /**
   * Columns a bar may take: three fewer than the terminal, so that the terminal's echo of Ctrl-C
   * ("^C", drawn after the bar) does not wrap the line, which would leave the bar unclearable.
   */
  static int width() {
    return Terminal.width() - 3;
  }

  /** A bar for a download of {@code bytes} bytes, in MiB, with its speed. */
  public static ProgressBar bytes(String task, long bytes, PrintStream out) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(bytes, 0))
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).clearDisplayOnFinish()
        .setRenderer(new Renderer(null, 1 << 20, " MiB"))
        .setConsumer(new ConsoleProgressBarConsumer(out, width())).build();
  }

  /** {@code task  37% [=====>     ] 87/235  loss 0.5123  1.3 s}, cut to fit. */
  static final class Renderer implements ProgressBarRenderer {
    private final Supplier<String> extra;
    private final long unit;
    private final String unitName;

    Renderer(Supplier<String> extra, long unit, String unitName) {
      this.extra = extra;
      this.unit = unit;
      this.unitName = unitName;
    }

    @Override
    public String render(ProgressState s, int maxLength) {
      return render(s.getTaskName(), s.getCurrent(), s.getMax(),
          Duration.between(s.getStartInstant(), java.time.Instant.now()),
          extra == null ? null : extra.get(), maxLength);
    }

    String render(String task, long current, long max, Duration elapsed, String figure,
        int maxLength) {
      double fraction = max > 0 ? Math.min(1, (double) current / max) : 0;
      String count = unit == 1 ? current + "/" + max
          : String.format(Locale.ROOT, "%.1f/%.1f%s", (double) current / unit, (double) max / unit,
              unitName);
      double seconds = elapsed.toMillis() / 1000.0;
      String time = String.format(Locale.ROOT, "  %.1f s", seconds);
      if (unit != 1 && seconds > 0) {
        time += String.format(Locale.ROOT, "  %.1f%s/s", current / seconds / unit, unitName);
      }
      String head = task + String.format(Locale.ROOT, " %3d%% ", Math.round(fraction * 100));
      String tail = " " + count + (figure == null || figure.isEmpty() ? "" : "  " + figure) + time;
      if (head.length() + tail.length() > maxLength) {
        tail = " " + count + time; // too narrow: the figure goes first
      }
      int barWidth = maxLength - head.length() - tail.length() - 2;
      StringBuilder line = new StringBuilder(head);
      if (barWidth >= 5) {
        int full = (int) Math.round(fraction * barWidth);
        line.append('[').append("=".repeat(Math.max(0, full - 1))).append(full > 0 ? ">" : "")
            .append(" ".repeat(barWidth - full)).append(']');
      }
      line.append(tail);
      return line.length() <= maxLength ? line.toString() : line.substring(0, maxLength);
    }
  }
}
