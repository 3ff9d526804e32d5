package simdlearn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.data.DataDirectory;

/**
 * Hostile campaign 6: uncompressed IDX files skipped the published-checksum check, so
 * {@code --dataset mnist} on gunzipped Fashion-MNIST trained silently as digits. Needs the real
 * Fashion-MNIST (mandatory in CI, as for RealDataTrainingTest).
 */
class RawDatasetTest {
  @TempDir
  Path raw;

  @Test
  void rawFilesAreCheckedAgainstTheGunzippedCanonicalFiles() throws Exception {
    var data = DataDirectory.configured();
    if (data.isEmpty()) {
      assertTrue(!"true".equals(System.getenv("CI")),
          "CI=true but no data directory: set " + DataDirectory.ENV);
      Assumptions.abort("no data directory configured (" + DataDirectory.ENV + ")");
    }
    for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(data.get().resolve(
          f + ".gz")))) {
        Files.copy(in, raw.resolve(f));
      }
    }
    PrintWriter out = new PrintWriter(new StringWriter());
    assertEquals(60000, Datasets.load("fashion-mnist", raw, out, true, false).train().size());
    IOException e = assertThrows(IOException.class,
        () -> Datasets.load("mnist", raw, out, true, false));
    assertTrue(e.getMessage().contains("is not mnist's train-images-idx3-ubyte"), e.getMessage());
    assertTrue(e.getMessage().contains(": it is fashion-mnist's"), e.getMessage());

    // One label changed: still a valid file, no longer the published one.
    Path labels = raw.resolve("t10k-labels-idx1-ubyte");
    byte[] b = Files.readAllBytes(labels);
    b[100] = (byte) ((b[100] + 1) % 10);
    Files.write(labels, b);
    e = assertThrows(IOException.class, () -> Datasets.load("fashion-mnist", raw, out, true,
        false));
    assertTrue(e.getMessage().contains("is not fashion-mnist's t10k-labels-idx1-ubyte (SHA-256"),
        e.getMessage());
    assertTrue(e.getMessage().contains("expected 0402a96d"), e.getMessage());
    assertEquals(10000, Datasets.load("fashion-mnist", raw, out, false, false).test().size(),
        "--unverified takes it");
  }
}
