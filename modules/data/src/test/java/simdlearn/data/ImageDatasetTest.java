package simdlearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDatasetTest {
  @TempDir
  Path dir;

  final DatasetSpec spec = DatasetSpec.FASHION_MNIST;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void loadsBothSplits(boolean gzip) throws Exception {
    IdxFiles.writeDataset(dir, spec.trainImages(), spec.trainLabels(), 25, 4, 3, 10, gzip);
    IdxFiles.writeDataset(dir, spec.testImages(), spec.testLabels(), 7, 4, 3, 10, gzip);
    ImageDataset.Split s = ImageDataset.load(spec, dir);
    assertEquals(25, s.train().size());
    assertEquals(7, s.test().size());
    assertEquals(12, s.train().features());
    assertEquals(4, s.train().height());
    assertEquals("fashion-mnist/train", s.train().name());
    assertEquals(3, s.train().label(13));
    assertEquals((5 + 2 * 3 + 1) & 0xFF, s.train().pixel(5, 2, 1));
    assertEquals(2, s.train().sha256().size());

    float[] row = new float[2 * 12];
    s.train().copyFeatures(new int[] {5, 0}, 0, 2, row, 0);
    assertEquals(12f / 255f, row[7], 1e-7f); // image 5, pixel 7 = 12
    assertEquals(0f, row[12]);
  }

  @Test
  void labelsOutOfRangeAndCountMismatch() throws Exception {
    IdxFiles.writeDataset(dir, "imgs", "lbls", 12, 2, 2, 12, false); // labels up to 11
    var e = assertThrows(IdxFormatException.class, () -> ImageDataset.load(spec, "t",
        dir.resolve("imgs"), dir.resolve("lbls")));
    assertTrue(e.getMessage().contains("label 10 at index 10 is outside 0..9"),
        e.getMessage());

    IdxFiles.writeDataset(dir, "imgs2", "unused", 6, 2, 2, 10, false);
    IdxFiles.writeDataset(dir, "unused2", "lbls2", 5, 2, 2, 10, false);
    var m = assertThrows(IdxFormatException.class, () -> ImageDataset.load(spec, "t",
        dir.resolve("imgs2"), dir.resolve("lbls2")));
    assertTrue(m.getMessage().contains("has 5 labels but imgs2 has 6 images"), m.getMessage());
  }

  @Test
  void missingFilesAreNamed() {
    var e = assertThrows(NoSuchFileException.class, () -> ImageDataset.load(spec, dir));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
  }

  @Test
  void bilinearResize() throws Exception {
    // A 2x2 image [[0, 100], [200, 255]] doubled: corners stay, centres interpolate.
    byte[] px = {0, 100, (byte) 200, (byte) 255};
    ImageDataset d = new ImageDataset("t", spec, 1, 2, 2, px, new byte[] {0}, java.util.Map.of());
    ImageDataset r = d.resized(4);
    assertEquals(16, r.features());
    assertEquals(0, r.pixel(0, 0, 0));
    assertEquals(255, r.pixel(0, 3, 3));
    assertEquals(25, r.pixel(0, 0, 1)); // 0.75*0 + 0.25*100
    assertEquals(Math.round(0.75f * (0.75f * 0 + 0.25f * 100) + 0.25f * (0.75f * 200 + 0.25f * 255)),
        r.pixel(0, 1, 1));
    // A constant image stays constant at any size.
    byte[] flat = new byte[28 * 28];
    java.util.Arrays.fill(flat, (byte) 77);
    ImageDataset c = new ImageDataset("c", spec, 1, 28, 28, flat, new byte[] {1}, java.util.Map.of())
        .resized(20);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        assertEquals(77, c.pixel(0, y, x));
      }
    }
    assertEquals(1, c.label(0));
  }

  @Test
  void realFashionMnistWhenConfigured() throws Exception {
    var configured = DataDirectory.configured();
    if (configured.isEmpty()) {
      // CI must run this test for real; elsewhere it is optional.
      assertTrue(!"true".equals(System.getenv("CI")),
          "CI=true but no data directory: set " + DataDirectory.ENV + " or -D" + DataDirectory.PROPERTY);
      org.junit.jupiter.api.Assumptions.abort("no data directory configured ("
          + DataDirectory.ENV + ")");
    }
    Path data = configured.get();
    ImageDataset.Split s = ImageDataset.load(spec, data);
    assertEquals(60_000, s.train().size());
    assertEquals(10_000, s.test().size());
    assertEquals(28, s.train().height());
    assertEquals(28, s.train().width());
    int[] counts = new int[10];
    for (int i = 0; i < s.train().size(); i++) {
      counts[s.train().label(i)]++;
    }
    for (int c : counts) {
      assertEquals(6000, c, "Fashion-MNIST is balanced: 6000 training images per class");
    }
    assertEquals("ankle boot", s.train().classNames().get(9));
    assertEquals("短靴", spec.classNamesZh().get(9));
    Path sums = data.resolve("SHA256SUMS");
    if (Files.exists(sums)) {
      for (String line : Files.readAllLines(sums)) {
        String[] parts = line.trim().split("\\s+\\*?");
        String file = parts[parts.length - 1];
        String have = s.train().sha256().getOrDefault(file, s.test().sha256().get(file));
        if (have != null) {
          assertEquals(parts[0], have, "checksum of " + file);
        }
      }
    }
  }
}
