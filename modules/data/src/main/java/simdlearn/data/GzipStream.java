package simdlearn.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A strict gzip decoder (RFC 1952): each member's header, deflate data, CRC-32 and size are
 * checked, members may follow one another, and anything after the last member is an error, where
 * {@code java.util.zip.GZIPInputStream} silently ignores it (so a raw IDX file with trailing bytes
 * was refused while a gzipped one was not).
 */
final class GzipStream extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  /** Flag bits 5 to 7: reserved, must be zero (RFC 1952 2.3.1; {@code gzip -t} refuses them). */
  private static final int RESERVED = 0xE0;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  /** The CRC-32 of the header read so far, for its optional CRC-16 (FHCRC). */
  private final CRC32 headerCrc = new CRC32();
  private boolean eof;

  GzipStream(InputStream in) throws IOException {
    this.in = in;
    readHeader();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!eof) {
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw new ZipException("invalid deflate data: " + e.getMessage());
      }
      if (n > 0) {
        crc.update(b, off, n);
        return n;
      }
      if (inflater.finished()) {
        pos = limit - inflater.getRemaining();
        readTrailer();
        continue;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("deflate data needs a preset dictionary");
      }
      if (inflater.needsInput()) {
        fill();
        if (limit == 0) {
          throw new EOFException("the gzip stream ends inside a member");
        }
        inflater.setInput(buf, 0, limit);
        pos = limit;
      }
    }
    return -1;
  }

  private void fill() throws IOException {
    limit = Math.max(0, in.read(buf, 0, buf.length));
    pos = 0;
  }

  private int byteOrEof() throws IOException {
    if (pos >= limit) {
      fill();
      if (limit == 0) {
        return -1;
      }
    }
    return buf[pos++] & 0xFF;
  }

  private int nextByte() throws IOException {
    int b = byteOrEof();
    if (b < 0) {
      throw new EOFException("the gzip stream ends inside a header or trailer");
    }
    headerCrc.update(b);
    return b;
  }

  private int nextShort() throws IOException {
    return nextByte() | nextByte() << 8;
  }

  private long nextInt() throws IOException {
    return (nextShort() | (long) nextShort() << 16) & 0xFFFFFFFFL;
  }

  private void readHeader() throws IOException {
    headerCrc.reset();
    if (nextByte() != 0x1f || nextByte() != 0x8b) {
      throw new ZipException("not in gzip format");
    }
    if (nextByte() != 8) {
      throw new ZipException("unsupported compression method");
    }
    int flags = nextByte();
    if ((flags & RESERVED) != 0) {
      throw new ZipException(String.format("reserved header flags set (0x%02X)", flags));
    }
    for (int i = 0; i < 6; i++) {
      nextByte(); // MTIME, XFL, OS
    }
    if ((flags & FEXTRA) != 0) {
      int n = nextShort();
      for (int i = 0; i < n; i++) {
        nextByte();
      }
    }
    if ((flags & FNAME) != 0) {
      while (nextByte() != 0) {
        // skip the zero-terminated file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (nextByte() != 0) {
        // skip the zero-terminated comment
      }
    }
    if ((flags & FHCRC) != 0) {
      int expected = (int) (headerCrc.getValue() & 0xFFFF);
      if (nextShort() != expected) {
        throw new ZipException("header CRC-16 mismatch: the header is corrupt");
      }
    }
    inflater.reset();
    crc.reset();
    if (pos < limit) {
      inflater.setInput(buf, pos, limit - pos);
      pos = limit;
    }
  }

  /** Checks a member's CRC-32 and size, then reads the next member or ends the stream. */
  private void readTrailer() throws IOException {
    long expectedCrc = nextInt();
    long expectedSize = nextInt();
    if (expectedCrc != crc.getValue()) {
      throw new ZipException("CRC-32 mismatch: the data is corrupt");
    }
    if (expectedSize != (inflater.getBytesWritten() & 0xFFFFFFFFL)) {
      throw new ZipException("size mismatch: the data is corrupt");
    }
    int b = byteOrEof();
    if (b < 0) {
      eof = true;
      return;
    }
    pos--; // the next member's first byte, or garbage
    if ((buf[pos] & 0xFF) != 0x1f) {
      throw new ZipException("trailing data after the gzip stream");
    }
    readHeader();
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
