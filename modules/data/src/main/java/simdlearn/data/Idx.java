package simdlearn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.ZipException;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST: two zero bytes, an element-type byte, a
 * dimension count, big-endian int32 sizes, then the data. Gzip is detected from the content (the
 * 0x1f 0x8b magic), never the file name.
 *
 * <p>Strict by design: a wrong magic, an element type other than unsigned byte, a dimension count
 * other than the one expected, a zero or negative or overflowing size, more data than
 * {@code maxBytes}, corrupt gzip data, and truncated or trailing data (after the IDX data or after
 * the gzip stream, alike) are all {@link IdxFormatException}s naming the file. The declared size
 * is checked against the limit before anything is allocated; a raw file's size must match it
 * before its buffer is allocated, and a gzip stream's data is read into a buffer that grows with
 * what actually arrives (never more than twice that), so a 31-byte header that declares a
 * gigabyte costs kilobytes, not a gigabyte or an {@link OutOfMemoryError}.
 */
public final class Idx {
  /** IDX element type code of unsigned bytes, the only one the datasets use. */
  public static final int TYPE_UNSIGNED_BYTE = 0x08;
  /** Default cap on the data of one file: 1 GiB, twenty times Fashion-MNIST's largest file. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  /**
   * How much more a gzipped IDX file is assumed to hold than its size, for the first buffer:
   * Fashion-MNIST's files expand 1.8 to 3.3-fold, MNIST's up to 4.7-fold. DEFLATE could expand
   * 1032-fold, but reserving that for a claim cost 1.1 GB for a 1 MB file.
   */
  static final long LIKELY_GZIP_RATIO = 8;

  private Idx() {}

  /** An IDX array of unsigned bytes: its sizes, its data, and the SHA-256 of the file as stored. */
  public record UnsignedBytes(int[] dims, byte[] data, String sha256) {
    /** Product of the sizes after the first: 784 for 28 x 28 images, 1 for labels. */
    public int itemSize() {
      int s = 1;
      for (int i = 1; i < dims.length; i++) {
        s *= dims[i];
      }
      return s;
    }

    public int count() {
      return dims[0];
    }

    @Override
    public String toString() {
      return "IDX ubyte " + Arrays.toString(dims) + " sha256=" + sha256;
    }
  }

  /** Reads an unsigned-byte IDX file of {@code rank} dimensions, with the default size cap. */
  public static UnsignedBytes readUnsignedBytes(Path file, int rank) throws IOException {
    return readUnsignedBytes(file, rank, DEFAULT_MAX_BYTES);
  }

  /** Reads an unsigned-byte IDX file of {@code rank} dimensions and at most maxBytes of data. */
  public static UnsignedBytes readUnsignedBytes(Path file, int rank, long maxBytes)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IdxFormatException(file, "no such file");
    }
    MessageDigest sha = sha256();
    try (InputStream raw = new DigestInputStream(Files.newInputStream(file), sha);
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16)) {
      buffered.mark(2);
      boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
      buffered.reset();
      InputStream in = gzip ? new GzipStream(buffered) : buffered;
      long size = Files.size(file);
      long rawSize = gzip ? -1 : size;
      // A first buffer for the decompressed data: what the file is likely to expand to, as the
      // header's claim is only a claim (a 1 MB file may declare a gigabyte).
      long likely = gzip ? Math.max(1 << 20, size * LIKELY_GZIP_RATIO) : -1;
      Parsed parsed = read(file, new DataInputStream(in), rank, maxBytes, rawSize, likely);
      // Drain what the decoder left (the gzip trailer) so the digest covers the whole file.
      buffered.transferTo(OutputStream.nullOutputStream());
      return new UnsignedBytes(parsed.dims(), parsed.data(),
          HexFormat.of().formatHex(sha.digest()));
    } catch (ZipException e) {
      throw new IdxFormatException(file, "corrupt gzip data (" + e.getMessage() + ")");
    } catch (EOFException e) {
      throw new IdxFormatException(file, "truncated: the file ends inside the data or header");
    } catch (OutOfMemoryError e) {
      throw new IdxFormatException(file, "too large to load in this JVM's heap (raise -Xmx)");
    }
  }

  private record Parsed(int[] dims, byte[] data) {}

  private static Parsed read(Path file, DataInputStream in, int rank, long maxBytes,
      long rawSize, long likely) throws IOException {
    int magic = in.readInt();
    if ((magic >>> 16) != 0) {
      throw new IdxFormatException(file, String.format(
          "wrong magic number 0x%08X: an IDX file starts with two zero bytes", magic));
    }
    int type = (magic >>> 8) & 0xFF;
    int ndims = magic & 0xFF;
    if (type != TYPE_UNSIGNED_BYTE) {
      throw new IdxFormatException(file, String.format(
          "unsupported element type 0x%02X: only unsigned bytes (0x08) are supported", type));
    }
    if (ndims != rank) {
      throw new IdxFormatException(file,
          "has " + ndims + " dimensions where " + rank + " were expected");
    }
    int[] dims = new int[ndims];
    long total = 1;
    for (int i = 0; i < ndims; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) {
        throw new IdxFormatException(file, "dimension " + i + " has impossible size "
            + Integer.toUnsignedLong(dims[i]) + " (negative as a signed int32)");
      }
      if (dims[i] == 0) {
        throw new IdxFormatException(file, "dimension " + i + " has size 0: "
            + (i == 0 ? "the file holds no items" : "its items are empty"));
      }
      total *= dims[i];
      if (total > maxBytes) {
        throw new IdxFormatException(file, "declares sizes " + describe(dims, i + 1)
            + " = more than " + maxBytes + " bytes of data, beyond the limit; the header is"
            + " corrupt");
      }
    }
    long header = 4L + 4L * ndims;
    if (rawSize >= 0 && rawSize != header + total) {
      throw new IdxFormatException(file, (rawSize < header + total ? "truncated" : "trailing data")
          + ": sizes " + Arrays.toString(dims) + " need " + (header + total)
          + " bytes but the file has " + rawSize);
    }
    byte[] data = rawSize >= 0 ? new byte[(int) total] : null;
    int got = data != null ? in.readNBytes(data, 0, data.length) : 0;
    if (data == null) {
      // Compressed: the declared size is only a claim until the bytes arrive. Start with what
      // the file likely expands to (for an honest file the declared size: no growing and
      // copying) and double as the data actually arrives.
      data = new byte[(int) Math.min(total, likely)];
      while (true) {
        int n = in.readNBytes(data, got, data.length - got);
        got += n;
        if (got < data.length || got == total) {
          break;
        }
        data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
      }
    }
    if (got < total) {
      throw new IdxFormatException(file, "truncated: sizes " + Arrays.toString(dims)
          + " need " + total + " bytes of data but only " + got + " are present");
    }
    if (in.read() != -1) {
      throw new IdxFormatException(file,
          "trailing data after the " + total + " bytes that sizes " + Arrays.toString(dims)
              + " declare");
    }
    return new Parsed(dims, data);
  }

  private static String describe(int[] dims, int upTo) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < upTo; i++) {
      sb.append(i == 0 ? "" : " x ").append(dims[i]);
    }
    return sb.toString();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
