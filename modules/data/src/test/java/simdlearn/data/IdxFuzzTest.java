package simdlearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation corpus against the IDX reader: 10,000 damaged variants of small valid files,
 * raw and gzipped. Each read must either return or throw a one-line {@link IdxFormatException}
 * naming the file; nothing else, no hang, and no large allocation (measured per read, so a header
 * that claims a gigabyte cannot hide behind a generous heap).
 */
class IdxFuzzTest {
  static final int INPUTS = 10_000;
  /** Far above what any of these tiny files needs, far below what a lying header claims. */
  static final long MAX_ALLOCATION = 8L << 20;

  @TempDir
  Path dir;

  /** An unsigned-byte IDX file. */
  static byte[] idx(int[] dims, byte[] data) throws IOException {
    return IdxFiles.idx(0x08, dims, data);
  }

  static List<byte[]> seeds() throws IOException {
    Random r = new Random(0);
    byte[] pixels = new byte[5 * 4 * 3];
    r.nextBytes(pixels);
    byte[] images = idx(new int[] {5, 4, 3}, pixels);
    byte[] labels = idx(new int[] {5}, new byte[] {0, 1, 2, 3, 4});
    byte[] halfA = IdxFiles.gzip(Arrays.copyOf(images, 20));
    byte[] halfB = IdxFiles.gzip(Arrays.copyOfRange(images, 20, images.length));
    byte[] concatenated = Arrays.copyOf(halfA, halfA.length + halfB.length);
    System.arraycopy(halfB, 0, concatenated, halfA.length, halfB.length);
    return List.of(images, labels, IdxFiles.gzip(images), IdxFiles.gzip(labels), concatenated);
  }

  /** One to three random damages: flips, new bytes, cuts, garbage, headers with wild sizes. */
  static byte[] mutate(byte[] base, Random r) {
    byte[] b = base.clone();
    int n = 1 + r.nextInt(3);
    for (int m = 0; m < n; m++) {
      switch (r.nextInt(7)) {
        case 0 -> {
          if (b.length > 0) {
            int i = r.nextInt(b.length);
            b[i] ^= (byte) (1 << r.nextInt(8));
          }
        }
        case 1 -> {
          if (b.length > 0) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
        }
        case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
        case 3 -> {
          byte[] garbage = new byte[1 + r.nextInt(64)];
          r.nextBytes(garbage);
          byte[] c = Arrays.copyOf(b, b.length + garbage.length);
          System.arraycopy(garbage, 0, c, b.length, garbage.length);
          b = c;
        }
        case 4 -> {
          int at = r.nextInt(b.length + 1);
          byte[] ins = new byte[1 + r.nextInt(8)];
          r.nextBytes(ins);
          byte[] c = new byte[b.length + ins.length];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(ins, 0, c, at, ins.length);
          System.arraycopy(b, at, c, at + ins.length, b.length - at);
          b = c;
        }
        default -> {
          // A size in the (uncompressed) header: 0, negative, huge, or random.
          int[] wild = {0, -1, Integer.MAX_VALUE, 1 << 30, 1 << 20, 65_535, r.nextInt()};
          int at = 4 + 4 * r.nextInt(3);
          if (at + 4 <= b.length && (b[0] | b[1]) == 0) {
            int v = wild[r.nextInt(wild.length)];
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
          }
        }
      }
    }
    return b;
  }

  // Bounds a hang, not a speed: 4 s on a quiet 2-core machine, up to 6 min seen on a busy one.
  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void damagedFilesOnlyEverGiveOneLineFormatErrors() throws Exception {
    List<byte[]> seeds = seeds();
    Path file = dir.resolve("fuzz-idx-ubyte");
    int rejected = 0;
    for (int i = 0; i < INPUTS; i++) {
      Random r = new Random(i);
      int s = r.nextInt(seeds.size());
      byte[] input = mutate(seeds.get(s), r);
      Files.write(file, input);
      int rank = s % 2 == 1 ? 1 : 3;
      long before = allocated();
      try {
        Idx.readUnsignedBytes(file, rank);
      } catch (IdxFormatException e) {
        rejected++;
        assertEquals(1, e.getMessage().lines().count(), "one line, input " + i);
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
      } catch (Throwable e) {
        fail("input " + i + " (seed " + s + "): " + e, e);
      }
      long used = allocated() - before;
      assertTrue(used < MAX_ALLOCATION, "input " + i + " allocated " + used + " bytes");
    }
    assertTrue(rejected > INPUTS / 2, "most damage is caught: " + rejected + " of " + INPUTS);
  }

  @Test
  void aHeaderDeclaringAGigabyteCostsKilobytes() throws Exception {
    // 31 bytes: a gzip stream of an IDX header claiming 60,000 x 28 x 28... and 4 more images.
    byte[] claim = IdxFiles.gzip(idx(new int[] {1 << 20, 32, 32}, new byte[0]));
    assertTruncatedWithin(claim, MAX_ALLOCATION);
  }

  /** Reading {@code gz} fails as truncated having allocated less than {@code most} bytes. */
  void assertTruncatedWithin(byte[] gz, long most) throws Exception {
    Path file = dir.resolve("claim-idx3-ubyte.gz");
    Files.write(file, gz);
    long before = allocated();
    var e = org.junit.jupiter.api.Assertions.assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(file, 3));
    long used = allocated() - before;
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(used < most, "allocated " + used + " bytes for a " + gz.length + "-byte file");
  }

  @Test
  void aMegabyteClaimingAGigabyteCostsMegabytesAndIsTruncated() throws Exception {
    // Hostile campaign 5: 1 MB of gzip claiming 1 GiB reserved 1032 times the file (1.14 GB).
    byte[] images = new byte[1 << 20];
    new Random(5).nextBytes(images); // incompressible: the file is as large as its data
    byte[] claim = IdxFiles.gzip(idx(new int[] {1 << 20, 32, 32}, images));
    assertTruncatedWithin(claim, 16L * claim.length);
  }

  @Test
  void trailingBytesAreRefusedRawOrGzippedAlike() throws Exception {
    byte[] labels = idx(new int[] {3}, new byte[] {1, 2, 3});
    byte[] raw = Arrays.copyOf(labels, labels.length + 2);
    byte[] gz = IdxFiles.gzip(labels);
    byte[] gzTail = Arrays.copyOf(gz, gz.length + 7);
    Path a = Files.write(dir.resolve("raw-idx1-ubyte"), raw);
    Path b = Files.write(dir.resolve("gz-idx1-ubyte.gz"), gzTail);
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(a, 1)).getMessage().contains("trailing data"));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(b, 1)).getMessage().contains("trailing data"));
    Path empty = Files.write(dir.resolve("empty-idx1-ubyte"), idx(new int[] {0}, new byte[0]));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(empty, 1)).getMessage().contains("holds no items"));
    Path flat = Files.write(dir.resolve("flat-idx3-ubyte"), idx(new int[] {2, 0, 28}, new byte[0]));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IdxFormatException.class,
        () -> Idx.readUnsignedBytes(flat, 3)).getMessage().contains("items are empty"));
  }

  /** Bytes allocated by this thread so far (HotSpot's ThreadMXBean, through reflection). */
  static long allocated() throws ReflectiveOperationException {
    Object bean = Class.forName("java.lang.management.ManagementFactory")
        .getMethod("getThreadMXBean").invoke(null);
    Method m = Class.forName("com.sun.management.ThreadMXBean")
        .getMethod("getCurrentThreadAllocatedBytes");
    return (long) m.invoke(bean);
  }
}
