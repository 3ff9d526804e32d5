package simdlearn.fetch;

import java.util.Locale;
import java.util.Objects;

/**
 * One file of a dataset: its name, its size in bytes, and its published checksums (lower-case
 * hex). At least one of {@code sha256} and {@code md5} must be given; every one given is verified.
 *
 * <p>The size bounds every transfer: a server that sends or announces more is cut off at once, so
 * an endless body cannot fill the disk. {@link #UNKNOWN_SIZE} is allowed for files whose size is
 * not published; they are capped at {@link #MAX_UNKNOWN_SIZE}.
 */
public record RemoteFile(String name, long size, String sha256, String md5) {
  /** The size of a file whose size is not published. */
  public static final long UNKNOWN_SIZE = -1;
  /** The most a file of unknown size may grow to: 4 GiB. */
  public static final long MAX_UNKNOWN_SIZE = 4L << 30;

  public RemoteFile {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("not a plain file name: '" + name + "'");
    }
    if (size < 0 && size != UNKNOWN_SIZE) {
      throw new IllegalArgumentException(name + ": size must be >= 0 or UNKNOWN_SIZE, got " + size);
    }
    sha256 = normalise(sha256, 64, "SHA-256");
    md5 = normalise(md5, 32, "MD5");
    if (sha256 == null && md5 == null) {
      throw new IllegalArgumentException(name + ": a checksum (SHA-256 or MD5) is required");
    }
  }

  /** A file whose size is not published (capped at {@link #MAX_UNKNOWN_SIZE}). */
  public RemoteFile(String name, String sha256, String md5) {
    this(name, UNKNOWN_SIZE, sha256, md5);
  }

  /** The most bytes a transfer of this file may write: its size, or the cap when unknown. */
  public long maxBytes() {
    return size == UNKNOWN_SIZE ? MAX_UNKNOWN_SIZE : size;
  }

  private static String normalise(String hex, int length, String what) {
    if (hex == null || hex.isBlank()) {
      return null;
    }
    String h = hex.trim().toLowerCase(Locale.ROOT);
    if (h.length() != length || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("not a " + what + " checksum: '" + hex + "'");
    }
    return h;
  }
}
