package simdlearn.train.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file under a fresh, randomly named hidden sibling and renames it into place: readers
 * never see half a file, the temporary file is created new (never through a link planted under a
 * guessable name), and the rename replaces whatever entry had the final name, a link included,
 * instead of writing through it.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** What fills the file: writes to the stream (which it may close). */
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} through a temporary sibling, which is created and written through one
   * descriptor (the file is never reopened by name, so nothing swapped in under its name in
   * between is written through).
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = tempSibling(target);
    try {
      try (OutputStream out = new BufferedOutputStream(Channels.newOutputStream(
          Files.newByteChannel(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))), 1 << 16)) {
        writer.writeTo(out);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // Errors speak of the temporary or of nothing ("I/O error writing PNG file!", "No space
      // left on device"): name the file the user expects.
      String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null
          ? f.getReason() : e.getMessage();
      throw new IOException(target + ": " + why, e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.[0-9a-f]{16}\\.tmp");

  /**
   * The file name a {@linkplain #tempSibling temporary} was made for, or null when
   * {@code fileName} is not one: what a killed writer left behind, for its next run to remove.
   *
   * @param fileName a file name, without directories
   * @return {@code NAME} for {@code .NAME.<16 hex digits>.tmp}, else null
   */
  public static String temporaryTarget(String fileName) {
    Matcher m = TEMPORARY.matcher(fileName);
    return m.matches() ? m.group(1) : null;
  }

  /** {@code .NAME.<16 random hex digits>.tmp} beside {@code target}. */
  public static Path tempSibling(Path target) {
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    return target.toAbsolutePath().resolveSibling("." + target.getFileName() + "."
        + HexFormat.of().formatHex(r) + ".tmp");
  }
}
