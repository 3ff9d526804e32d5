package simdlearn.fetch;

import java.util.Locale;
import java.util.Objects;

/**
 * One file of a dataset and its published checksums (lower-case hex). At least one of
 * {@code sha256} and {@code md5} must be given; every one given is verified.
 */
public record RemoteFile(String name, String sha256, String md5) {
  public RemoteFile {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("not a plain file name: '" + name + "'");
    }
    sha256 = normalise(sha256, 64, "SHA-256");
    md5 = normalise(md5, 32, "MD5");
    if (sha256 == null && md5 == null) {
      throw new IllegalArgumentException(name + ": a checksum (SHA-256 or MD5) is required");
    }
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
