package simdlearn.fetch.cli;

import java.io.PrintWriter;
import java.net.URI;
import me.tongfei.progressbar.ProgressBar;
import simdlearn.console.Bars;
import simdlearn.fetch.FetchListener;
import simdlearn.fetch.RemoteFile;

/** Progress bars on a terminal; one plain line per event in a pipe or CI log. */
final class FetchConsole implements FetchListener {
  private final PrintWriter out;
  private final boolean bars;
  private ProgressBar bar;

  FetchConsole(PrintWriter out, boolean bars) {
    this.out = out;
    this.bars = bars;
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
      bar = Bars.bytes(file.name(), total, System.out);
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
