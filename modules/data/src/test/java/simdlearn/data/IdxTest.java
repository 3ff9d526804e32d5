package simdlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
  @TempDir
  Path dir;

  static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 251, (byte) 252, (byte) 253,
      (byte) 254, (byte) 255};

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsRawAndGzipDetectedByContent(boolean gzip) throws Exception {
    byte[] raw = IdxFiles.idx(0x08, new int[] {3, 2, 2}, PIXELS);
    // A misleading name: gzip is recognised from the bytes, not the suffix.
    Path f = IdxFiles.write(dir, gzip ? "images.raw" : "images.gz", gzip ? IdxFiles.gzip(raw) : raw);
    Idx.UnsignedBytes a = Idx.readUnsignedBytes(f, 3);
    assertArrayEquals(new int[] {3, 2, 2}, a.dims());
    assertArrayEquals(PIXELS, a.data());
    assertEquals(4, a.itemSize());
    String expected = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    assertEquals(expected, a.sha256(), "checksum covers the whole stored file");
  }

  IdxFormatException failure(byte[] content, int rank) throws IOException {
    Path f = IdxFiles.write(dir, "bad-" + System.nanoTime(), content);
    IdxFormatException e = assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(f, rank, 1 << 20));
    assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
    return e;
  }

  void assertFails(byte[] content, int rank, String expectedWords) throws IOException {
    for (byte[] variant : new byte[][] {content, IdxFiles.gzip(content)}) {
      String msg = failure(variant, rank).getMessage();
      assertTrue(msg.contains(expectedWords), "'" + msg + "' should mention '" + expectedWords + "'");
    }
  }

  @Test
  void wrongMagic() throws IOException {
    byte[] f = IdxFiles.idx(0x08, new int[] {3, 2, 2}, PIXELS);
    f[0] = 0x12;
    assertFails(f, 3, "wrong magic number 0x12000803");
  }

  @Test
  void unsupportedElementType() throws IOException {
    assertFails(IdxFiles.idx(0x0D, new int[] {3, 2, 2}, PIXELS), 3,
        "unsupported element type 0x0D");
  }

  @Test
  void wrongDimensionCount() throws IOException {
    assertFails(IdxFiles.idx(0x08, new int[] {12}, PIXELS), 3, "has 1 dimensions where 3");
  }

  @Test
  void truncatedData() throws IOException {
    byte[] full = IdxFiles.idx(0x08, new int[] {3, 2, 2}, PIXELS);
    assertFails(Arrays.copyOf(full, full.length - 3), 3, "truncated");
    assertFails(Arrays.copyOf(full, 9), 3, "truncated"); // inside the header
  }

  @Test
  void truncatedGzipStream() throws IOException {
    byte[] gz = IdxFiles.gzip(IdxFiles.idx(0x08, new int[] {3, 2, 2}, PIXELS));
    String msg = failure(Arrays.copyOf(gz, gz.length - 10), 3).getMessage();
    assertTrue(msg.contains("truncated") || msg.contains("corrupt gzip"), msg);
  }

  @Test
  void corruptGzip() throws IOException {
    byte[] gz = IdxFiles.gzip(IdxFiles.idx(0x08, new int[] {3, 2, 2}, PIXELS));
    gz[12] ^= 0x5A;
    gz[13] ^= 0x5A;
    String msg = failure(gz, 3).getMessage();
    assertTrue(msg.contains("corrupt gzip") || msg.contains("truncated") || msg.contains("magic"),
        msg);
  }

  @Test
  void trailingData() throws IOException {
    byte[] full = IdxFiles.idx(0x08, new int[] {3, 2, 2}, PIXELS);
    assertFails(Arrays.copyOf(full, full.length + 5), 3, "trailing data");
  }

  @Test
  void overflowingAndAbsurdSizes() throws IOException {
    // 65536^3 overflows an int product; must be caught before any allocation.
    assertFails(IdxFiles.idx(0x08, new int[] {65536, 65536, 65536}, PIXELS), 3, "beyond the limit");
    // Plausible-looking but beyond the 1 MiB limit these tests pass.
    assertFails(IdxFiles.idx(0x08, new int[] {60000, 28, 28}, PIXELS), 3, "beyond the limit");
    assertFails(IdxFiles.idx(0x08, new int[] {-5, 28, 28}, PIXELS), 3, "impossible size");
  }

  @Test
  void missingFile() {
    var e = assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(dir.resolve("nope"), 1));
    assertTrue(e.getMessage().contains("no such file"));
  }

  @Test
  void gzipHeadersWithReservedFlagsOrAWrongCrcAreRefused() throws Exception {
    // Hostile campaign 16: gzip -t refuses both; the reader accepted them.
    byte[] gz = IdxFiles.gzip(IdxFiles.idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
    byte[] reserved = gz.clone();
    reserved[3] = 0x20;
    var e = assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(IdxFiles.write(dir, "reserved.gz", reserved), 1));
    assertTrue(e.getMessage().contains("reserved header flags set (0x20)"), e.getMessage());
    // FHCRC: the low 16 bits of the header's CRC-32 follow it.
    byte[] header = Arrays.copyOf(gz, 10);
    header[3] = 0x02;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(header);
    for (int wrong = 0; wrong < 2; wrong++) {
      int crc16 = (int) crc.getValue() + wrong;
      byte[] withCrc = new byte[gz.length + 2];
      System.arraycopy(header, 0, withCrc, 0, 10);
      withCrc[10] = (byte) crc16;
      withCrc[11] = (byte) (crc16 >>> 8);
      System.arraycopy(gz, 10, withCrc, 12, gz.length - 10);
      Path file = IdxFiles.write(dir, "fhcrc" + wrong + ".gz", withCrc);
      if (wrong == 0) {
        assertArrayEquals(new byte[] {1, 2, 3}, Idx.readUnsignedBytes(file, 1).data());
      } else {
        e = assertThrows(IdxFormatException.class, () -> Idx.readUnsignedBytes(file, 1));
        assertTrue(e.getMessage().contains("header CRC-16 mismatch"), e.getMessage());
      }
    }
  }
}
