package simdlearn.app.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a run's closing files at once: the model file and each picture are single-threaded
 * work (JSON and checksums; Java2D and PNG, much of it still interpreted at the end of a short
 * run), and the trainer's cores are idle by then, so side by side they take about the time of the
 * longest one.
 */
public final class Outputs {
  private Outputs() {}

  /** One file (or pair of files) to write. */
  public interface Job {
    void write() throws IOException;
  }

  /** Runs every job, each on its own virtual thread; rethrows the first failure once all end. */
  public static void writeAll(List<Job> jobs) throws IOException {
    List<Future<?>> running = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Job j : jobs) {
        running.add(pool.submit(() -> {
          j.write();
          return null;
        }));
      }
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while writing the run's files", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }
}
