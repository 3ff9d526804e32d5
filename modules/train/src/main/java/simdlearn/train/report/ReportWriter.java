package simdlearn.train.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Appends report lines to a JSON Lines file and flushes after each, so a consumer can follow a
 * live run ({@code tail -f}, jq, pandas).
 */
public final class ReportWriter implements AutoCloseable {
  private final BufferedWriter out;

  public ReportWriter(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  public void write(ReportLine line) {
    try {
      out.write(Reports.toJson(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
