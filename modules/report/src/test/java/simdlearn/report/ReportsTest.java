package simdlearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
  @TempDir
  Path dir;

  static RunLine run() {
    return new RunLine(1, "softmax-regression", "784-10 (linear(784->10))",
        new RunLine.Dataset("fashion-mnist", 60000, 10000, 784, 10, List.of("a"), Map.of()),
        new RunLine.Settings(null, 2, 256, 0.1, "sgd", 0, 0, "constant(lr=0.1)", 42, 2, 128,
            "normal", 0.01, null, null, null, true, "vector", "softmax-cross-entropy", null, null),
        new RunLine.Environment("25", "v", "vm", "Linux", "amd64", 2, "S", 512, "vector", "0.1"),
        "2026-11-24T00:00:00Z");
  }

  static EpochLine epoch(int e, double loss) {
    return new EpochLine(e, loss, 0.8, 0.79, null, 0.1, 0.02, 0.001, 3e6);
  }

  static SummaryLine summary(int epochs) {
    return SummaryLine.classification("completed", null, epochs, 0.5, 0.8, 0.79, 0.79, 1, 0.5,
        Map.of("a", 0.9), List.of(List.of(1)));
  }

  Path write(ReportLine... lines) throws IOException {
    Path file = dir.resolve("r" + System.nanoTime() + ".jsonl");
    try (ReportWriter w = new ReportWriter(file)) {
      for (ReportLine l : lines) {
        w.write(l);
      }
    }
    return file;
  }

  @Test
  void linesRoundTrip() throws IOException {
    Path file = write(run(), epoch(1, 0.7), epoch(2, 0.6), summary(2));
    Reports.Report r = Reports.read(file);
    assertEquals(run(), r.run());
    assertEquals(List.of(epoch(1, 0.7), epoch(2, 0.6)), r.epochs());
    assertEquals(summary(2), r.summary().orElseThrow());
    assertTrue(!r.truncatedLastLine());
  }

  @Test
  void nonFiniteFiguresAreNeverWritten() throws IOException {
    Path file = dir.resolve("nan.jsonl");
    try (ReportWriter w = new ReportWriter(file)) {
      w.write(run());
      var e = assertThrows(IllegalStateException.class, () -> w.write(epoch(1, Double.NaN)));
      assertTrue(e.getMessage().contains("non-finite train_loss (NaN)"), e.getMessage());
    }
    assertEquals(1, Files.readAllLines(file).size(), "the bad line was not written");
  }

  @Test
  void aLastLineCutMidWriteIsSkippedAndSaid() throws IOException {
    Path file = write(run(), epoch(1, 0.7), epoch(2, 0.6));
    String text = Files.readString(file);
    Files.writeString(file, text.substring(0, text.length() - 15));
    Reports.Report r = Reports.read(file);
    assertTrue(r.truncatedLastLine());
    assertEquals(1, r.epochs().size());
  }

  @Test
  void inconsistentReportsAreRefusedWithTheLine() throws IOException {
    assertProblem("line 2 is epoch 2 where epoch 1 was due", run(), epoch(2, 0.5));
    assertProblem("line 3 summarises 5 epochs but the report has 1", run(), epoch(1, 0.5),
        summary(5));
    assertProblem("line 1 comes before the run line", epoch(1, 0.5));
    assertProblem("line 2 is a second run line", run(), run());
    assertProblem("line 4 comes after the summary line", run(), epoch(1, 0.5), summary(1),
        epoch(2, 0.4));
    Path garbled = write(run(), epoch(1, 0.5), epoch(2, 0.4));
    List<String> lines = Files.readAllLines(garbled);
    Files.writeString(garbled, lines.get(0) + "\n{not json\n" + lines.get(2) + "\n");
    assertTrue(assertThrows(IOException.class, () -> Reports.read(garbled)).getMessage()
        .contains("line 2 is not a report line"));
    Path nan = dir.resolve("nan-read.jsonl");
    Files.writeString(nan, Reports.toJson(run()) + "\n" + Reports.toJson(epoch(1, 0.5))
        .replace("\"train_loss\":0.5", "\"train_loss\":\"NaN\"") + "\n");
    assertTrue(assertThrows(IOException.class, () -> Reports.read(nan)).getMessage()
        .contains("non-finite train_loss"));
    Path binary = dir.resolve("binary.jsonl");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertTrue(assertThrows(IOException.class, () -> Reports.read(binary)).getMessage()
        .contains("not a UTF-8 text file"));
  }

  void assertProblem(String expected, ReportLine... lines) throws IOException {
    Path file = dir.resolve("p" + System.nanoTime() + ".jsonl");
    StringBuilder sb = new StringBuilder();
    for (ReportLine l : lines) {
      sb.append(Reports.toJson(l)).append('\n');
    }
    Files.writeString(file, sb);
    var e = assertThrows(IOException.class, () -> Reports.read(file));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aWriterNeverOverwritesNorFollowsALink() throws IOException {
    Path existing = Files.writeString(dir.resolve("existing.jsonl"), "keep");
    assertThrows(FileAlreadyExistsException.class, () -> new ReportWriter(existing));
    Path link = dir.resolve("link.jsonl");
    Files.createSymbolicLink(link, dir.resolve("elsewhere.jsonl"));
    assertThrows(FileAlreadyExistsException.class, () -> new ReportWriter(link));
    assertTrue(!Files.exists(dir.resolve("elsewhere.jsonl")));
    // A resumed run's report replaces the old one in one rename, then keeps appending.
    Path report = write(run(), epoch(1, 0.7), summary(1));
    try (ReportWriter w = ReportWriter.replacing(report, List.of(run(), epoch(1, 0.7)))) {
      w.write(epoch(2, 0.6));
      w.write(summary(2));
    }
    assertEquals(2, Reports.read(report).epochs().size());
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(600)
  void onlyBoundedRegularFilesAreRead() throws Exception {
    // A FIFO blocked the read for ever, a link to /dev/zero filled the heap (hostile campaign 4).
    Path fifo = dir.resolve("fifo.jsonl");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    IOException e = assertThrows(IOException.class, () -> Reports.read(fifo));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    Path zero = Files.createSymbolicLink(dir.resolve("zero.jsonl"), Path.of("/dev/zero"));
    e = assertThrows(IOException.class, () -> Reports.read(zero));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    Path huge = dir.resolve("huge.jsonl");
    try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(Reports.MAX_REPORT_BYTES + 1); // sparse: no disk used
    }
    e = assertThrows(IOException.class, () -> Reports.read(huge));
    assertTrue(e.getMessage().contains("larger than 64 MiB"), e.getMessage());
  }

  @Test
  void aReportWhoseFirstLineCannotBeWrittenIsRemovedAndNamed() throws Exception {
    // Hostile campaign 10: with no space left, "No space left on device" named no file and a
    // 0-byte report.jsonl stayed.
    Path report = Files.createFile(dir.resolve("full.jsonl"));
    var full = java.nio.channels.FileChannel.open(Path.of("/dev/full"),
        java.nio.file.StandardOpenOption.WRITE);
    ReportWriter w = new ReportWriter(full, report);
    var e = assertThrows(java.io.UncheckedIOException.class, () -> w.write(run()));
    assertTrue(e.getMessage().contains(report + ": "), e.getMessage());
    assertTrue(!Files.exists(report), "no empty report left");
  }
}
