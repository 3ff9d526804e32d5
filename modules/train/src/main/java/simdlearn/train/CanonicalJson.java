package simdlearn.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksummed form of model and checkpoint files: compact JSON, keys sorted, nulls left out
 * (the document's own checksum field is null while it is hashed), so the same content always
 * hashes the same whatever the pretty-printing or key order of the file on disk.
 */
final class CanonicalJson {
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
          JsonInclude.Include.USE_DEFAULTS))
      .build();

  private CanonicalJson() {}

  /**
   * Hex SHA-256 of {@code document}'s canonical form, streamed into the digest as UTF-8 (no
   * string or byte copy of a checkpoint's megabytes of base64).
   */
  static String sha256(Object document) throws IOException {
    MessageDigest md = digest();
    try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
      CANONICAL.writeValue(out, document);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
