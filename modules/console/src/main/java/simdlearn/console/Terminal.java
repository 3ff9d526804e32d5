package simdlearn.console;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Whether standard output is a terminal, and how many columns it has. */
public final class Terminal {
  /** The width assumed when it cannot be found out: the classic terminal's. */
  public static final int DEFAULT_WIDTH = 80;

  private static volatile int width;

  private Terminal() {}

  /** True when the console is an interactive terminal (not a pipe, file or CI log). */
  public static boolean isTerminal() {
    var console = System.console();
    return console != null && console.isTerminal();
  }

  /**
   * The terminal's columns: {@code $COLUMNS} when set (shells set it but rarely export it), else
   * {@code stty size} on {@code /dev/tty} (once, a few milliseconds), else 80. Asked once per
   * process, rather than per bar as the progress-bar library's own terminal detection does.
   */
  public static int width() {
    int w = width;
    if (w == 0) {
      w = parseColumns(System.getenv("COLUMNS"));
      if (w == 0 && isTerminal()) {
        w = stty();
      }
      width = w = w > 0 ? w : DEFAULT_WIDTH;
    }
    return w;
  }

  /** {@code $COLUMNS}'s value if it is a plausible width, else 0. */
  static int parseColumns(String columns) {
    try {
      int c = columns == null ? 0 : Integer.parseInt(columns.trim());
      return c >= 20 && c <= 1000 ? c : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The columns {@code stty size} reports for the controlling terminal, or 0. */
  private static int stty() {
    File tty = new File("/dev/tty");
    if (!tty.canRead()) {
      return 0;
    }
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(1, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return 0;
      }
      String[] parts = out.split("\\s+");
      return parts.length == 2 ? parseColumns(parts[1]) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
