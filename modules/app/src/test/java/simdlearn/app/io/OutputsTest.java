package simdlearn.app.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.train.io.AtomicFiles;

class OutputsTest {
  @Test
  void everyJobRunsAndTheFirstFailureIsRethrownAfterAllEnd(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("b.txt");
    var e = assertThrows(IOException.class, () -> Outputs.writeAll(List.of(
        () -> AtomicFiles.write(a, out -> out.write('a')),
        () -> {
          throw new IOException("disk full");
        },
        () -> {
          java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
          AtomicFiles.write(b, out -> out.write('b'));
        })));
    assertEquals("disk full", e.getMessage());
    assertTrue(Files.exists(a) && Files.exists(b), "the other files are still written");
    Outputs.writeAll(List.of());
  }

  @Test
  void aFailedAtomicWriteNamesItsFileAndLeavesNoTemporary(@TempDir Path dir) throws IOException {
    // Hostile campaign 10: "I/O error writing PNG file!" and "No space left on device" named
    // no file.
    Path picture = dir.resolve("training-curves.png");
    var e = assertThrows(IOException.class, () -> AtomicFiles.write(picture, out -> {
      out.write(1);
      throw new IOException("No space left on device");
    }));
    assertEquals(picture + ": No space left on device", e.getMessage());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "no temporary left");
    }
  }
}
