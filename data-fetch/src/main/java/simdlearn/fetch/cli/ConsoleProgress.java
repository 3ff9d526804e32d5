package simdlearn.fetch.cli;

import java.io.PrintWriter;
import java.net.URI;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import simdlearn.fetch.FetchListener;
import simdlearn.fetch.RemoteFile;

/** Progress bars on a terminal; one plain line per event in a pipe or CI log. */
final class ConsoleProgress implements FetchListener {
  private final PrintWriter out;
  private final boolean bars;
  private ProgressBar bar;

  ConsoleProgress(PrintWriter out, boolean bars) {
    this.out = out;
    this.bars = bars;
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
  public void alreadyPresent(RemoteFile file) {
    out.println("fetch: " + file.name() + " already present and verified");
    out.flush();
  }

  @Override
  public void waitingForLock(java.nio.file.Path dir) {
    out.println("fetch: another fetch is writing into " + dir + "; waiting for it to finish");
    out.flush();
  }

  @Override
  public void started(RemoteFile file, URI source, long total, long resumedFrom) {
    closeBar();
    String from = resumedFrom > 0 ? " (resuming at " + resumedFrom + " bytes)" : "";
    // Small files finish before a bar is worth drawing (and its closing render can race our line).
    if (bars && total >= 1 << 20) {
      bar = new ProgressBarBuilder().setTaskName(file.name()).setInitialMax(Math.max(total, 0))
          .setUnit("MiB", 1 << 20).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.out, width())).showSpeed().build();
      bar.stepTo(resumedFrom);
    } else {
      out.println("fetch: " + file.name() + " from " + source + from);
      out.flush();
    }
  }

  @Override
  public void progress(RemoteFile file, long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  @Override
  public void attemptFailed(RemoteFile file, URI source, String reason, boolean willRetry) {
    closeBar();
    out.println("fetch: " + file.name() + " from " + source + " failed: " + reason
        + (willRetry ? "; retrying" : ""));
    out.flush();
  }

  @Override
  public void completed(RemoteFile file, URI source, long bytes) {
    closeBar();
    out.println("fetch: " + file.name() + " verified (" + bytes + " bytes)");
    out.flush();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
