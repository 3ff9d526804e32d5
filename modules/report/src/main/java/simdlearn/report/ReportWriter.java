package simdlearn.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Appends report lines to a JSON Lines file and flushes after each, so a consumer can follow a
 * live run ({@code tail -f}, jq, pandas). The file is created new, never through a symbolic link
 * and never over an existing file.
 */
public final class ReportWriter implements AutoCloseable {
  private final Writer out;
  /** The file written, named in errors; removed if even the first line cannot be written. */
  private final Path file;
  private boolean empty = true;

  ReportWriter(FileChannel channel, Path file) {
    this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    this.file = file;
  }

  /**
   * A new report at {@code file}, which must not exist yet.
   *
   * @throws java.nio.file.FileAlreadyExistsException if it does (a link included)
   */
  public ReportWriter(Path file) throws IOException {
    this(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS), file);
  }

  /**
   * A report that replaces {@code file} (a resumed run): {@code lines} are written to a new file
   * with a random name beside it, which is then renamed over {@code file}; later lines are
   * appended to it.
   */
  public static ReportWriter replacing(Path file, List<? extends ReportLine> lines)
      throws IOException {
    byte[] r = new byte[8];
    new SecureRandom().nextBytes(r);
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + HexFormat.of().formatHex(r)
        + ".tmp");
    FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    ReportWriter w = new ReportWriter(channel, tmp);
    try {
      for (ReportLine line : lines) {
        w.write(line);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return w;
    } catch (IOException | RuntimeException e) {
      w.close();
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Writes one line and flushes it to the file. */
  public void write(ReportLine line) {
    try {
      out.write(Reports.toJson(line));
      out.write('\n');
      out.flush();
      empty = false;
    } catch (IOException e) {
      if (empty) {
        // Not even the run line made it (a full disk): leave no empty report behind.
        try {
          out.close();
        } catch (IOException ignored) {
          // the write's failure is the one to report
        }
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // as above
        }
      }
      throw new UncheckedIOException(new IOException(file + ": " + e.getMessage(), e));
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
