package simdlearn.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.fetch.cli.FetchCli;

/**
 * The fetcher against a loopback server that misbehaves on purpose. Every case must end within
 * seconds, with a one-line error or with success through the next mirror, and must never write a
 * byte outside the target directory. The limit bounds a hang (a case waiting on a silent server
 * for good), not a speed: each case takes under 5 s on a quiet machine.
 */
@Timeout(600)
class HostileMirrorTest {
  @TempDir
  Path root;

  Path dir;
  Path victim;
  byte[] victimBytes;
  byte[] content;
  RemoteFile file;
  RawHttpServer server;
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createDirectories(root.resolve("data"));
    victim = root.resolve("victim.txt");
    victimBytes = "precious, must not change\n".getBytes();
    Files.write(victim, victimBytes);
    content = new byte[300_000];
    new Random(11).nextBytes(content);
    file = new RemoteFile("data.bin", content.length,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), null);
    server = new RawHttpServer(this::answer);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    assertArrayEquals(victimBytes, Files.readAllBytes(victim), "nothing written outside --dir");
    try (Stream<Path> all = Files.list(root)) {
      assertEquals(List.of("data", "victim.txt"),
          all.map(p -> p.getFileName().toString()).sorted().toList(),
          "no file created beside the target directory");
    }
  }

  /** The Range header of each request /good/ answered ("whole" without one). */
  final List<String> ranges = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Paths name the misbehaviour; /good/ is a correct server that honours Range. */
  void answer(RawHttpServer.Request r, OutputStream out) throws IOException, InterruptedException {
    String mode = r.path().split("/")[1];
    switch (mode) {
      case "good" -> serveRange(r, out);
      case "stall" -> {
        RawHttpServer.head(out, 200); // no length, so any file name gets this far
        out.write(content, 0, 1000);
        out.flush();
        Thread.sleep(60_000);
      }
      case "silent" -> Thread.sleep(60_000); // the connection is accepted, no header comes
      case "drip" -> {
        RawHttpServer.head(out, 200, "Content-Length: " + content.length);
        for (int i = 0; i < content.length; i++) {
          out.write(content[i]);
          out.flush();
          Thread.sleep(20);
        }
      }
      case "endless" -> {
        RawHttpServer.head(out, 200); // no length: the body ends when the connection closes
        byte[] junk = new byte[64 * 1024];
        for (long sent = 0; sent < 1L << 34; sent += junk.length) {
          out.write(junk);
        }
      }
      case "malformed" -> {
        RawHttpServer.head(out, 200, "Content-Length: abc");
        out.write(content);
      }
      case "longer" -> {
        RawHttpServer.head(out, 200, "Content-Length: 26000000000");
        out.write(content);
      }
      case "shorter" -> {
        RawHttpServer.head(out, 200, "Content-Length: 10");
        out.write(content, 0, 10);
      }
      case "norange" -> {
        RawHttpServer.head(out, 200, "Content-Length: " + content.length);
        out.write(content);
      }
      case "badrange" -> {
        // Answers a Range request with a 206 that starts at 0.
        RawHttpServer.head(out, 206, "Content-Length: " + content.length,
            "Content-Range: bytes 0-" + (content.length - 1) + "/" + content.length);
        out.write(content);
      }
      case "slow" -> {
        RawHttpServer.head(out, 200, "Content-Length: " + content.length);
        for (int i = 0; i < content.length; i += 30_000) {
          out.write(content, i, Math.min(30_000, content.length - i));
          out.flush();
          Thread.sleep(30);
        }
      }
      default -> RawHttpServer.head(out, Integer.parseInt(mode), "Content-Length: 0");
    }
  }

  /** A correct server: the whole file, or the asked-for rest with a matching Content-Range. */
  void serveRange(RawHttpServer.Request r, OutputStream out) throws IOException {
    String range = r.header("Range");
    ranges.add(range == null ? "whole" : range);
    if (range == null) {
      RawHttpServer.head(out, 200, "Content-Length: " + content.length);
      out.write(content);
      return;
    }
    int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
    RawHttpServer.head(out, 206, "Content-Length: " + (content.length - from),
        "Content-Range: bytes " + from + "-" + (content.length - 1) + "/" + content.length);
    out.write(content, from, content.length - from);
  }

  Fetcher fetcher() {
    FetchOptions o = new FetchOptions(1, Duration.ofMillis(10), Duration.ofSeconds(2),
        Duration.ofMillis(400), Duration.ofMillis(1500));
    return new Fetcher(o, new FetchListener() {
      @Override
      public void attemptFailed(RemoteFile f, URI source, String reason, boolean willRetry) {
        events.add(source.getPath() + " " + reason + (willRetry ? " (retry)" : ""));
      }

      @Override
      public void waitingForLock(Path d) {
        events.add("waiting");
      }
    });
  }

  /** Fetches from {@code first}, then the good mirror; checks the result and the time taken. */
  void recoversThroughNextMirror(String first) throws Exception {
    long t0 = System.nanoTime();
    Path p = fetcher().fetch(file, dir, List.of(server.url("/" + first + "/"), server.url("/good/")));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertArrayEquals(content, Files.readAllBytes(p));
    assertTrue(seconds < 10, first + " took " + seconds + " s");
    assertTrue(events.stream().anyMatch(e -> e.startsWith("/" + first + "/")),
        "the bad mirror failed first: " + events);
    assertOnlyFinalFile();
  }

  void assertOnlyFinalFile() throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      List<String> names = all.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of(DirectoryLock.NAME, "data.bin"), names, "leftovers in " + dir);
    }
    assertTrue(Files.isRegularFile(dir.resolve("data.bin"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void stallAfterHeadersTimesOutAndTheNextMirrorServes() throws Exception {
    recoversThroughNextMirror("stall");
    assertTrue(events.stream().anyMatch(e -> e.contains("stalled: no data for 400 ms")), events.toString());
  }

  @Test
  void dripIsCutAtTheMirrorDeadline() throws Exception {
    recoversThroughNextMirror("drip");
    assertTrue(events.stream().anyMatch(e -> e.contains("mirror deadline")), events.toString());
  }

  @Test
  void endlessBodyStopsAtTheFileSize() throws Exception {
    recoversThroughNextMirror("endless");
    assertTrue(events.stream().anyMatch(e -> e.contains("sent more than the 300000 bytes")),
        events.toString());
    assertEquals(1, events.size(), "an oversized body is not retried: " + events);
  }

  @Test
  void malformedContentLengthIsThatMirrorsFailure() throws Exception {
    recoversThroughNextMirror("malformed");
    assertEquals(1, events.size(), "not retried: " + events);
    assertTrue(events.get(0).contains("malformed answer"), events.toString());
  }

  @Test
  void lyingContentLengthsAreRefusedBeforeTheBody() throws Exception {
    recoversThroughNextMirror("longer");
    events.clear();
    Files.delete(dir.resolve("data.bin"));
    recoversThroughNextMirror("shorter");
    assertTrue(events.get(0).contains("announces 10 bytes"), events.toString());
  }

  @Test
  void serverIgnoringRangeRestartsFromZero() throws Exception {
    Files.write(dir.resolve("data.bin.part"), Arrays.copyOf(content, 120_000));
    Path p = fetcher().fetch(file, dir, List.of(server.url("/norange/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertOnlyFinalFile();
  }

  @Test
  void partialContentFromTheWrongOffsetIsRefused() throws Exception {
    Files.write(dir.resolve("data.bin.part"), Arrays.copyOf(content, 120_000));
    recoversThroughNextMirror("badrange");
    assertTrue(events.get(0).contains("asked for bytes from 120000"), events.toString());
  }

  @Test
  void stalePartIsDiscardedAndTheSameRunSucceeds() throws Exception {
    byte[] stale = new byte[100_000];
    new Random(99).nextBytes(stale);
    Files.write(dir.resolve("data.bin.part"), stale);
    Path p = fetcher().fetch(file, dir, List.of(server.url("/good/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertTrue(events.get(0).contains("starting over from zero"), events.toString());
    assertOnlyFinalFile();
  }

  @Test
  void symlinkedPartIsNeverWrittenThrough() throws Exception {
    Files.createSymbolicLink(dir.resolve("data.bin.part"), victim);
    Path p = fetcher().fetch(file, dir, List.of(server.url("/good/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertOnlyFinalFile();
  }

  @Test
  void symlinkedPartIsNotWrittenThroughWhenTheTransferFailsEither() throws Exception {
    Files.createSymbolicLink(dir.resolve("data.bin.part"), victim);
    assertThrows(FetchException.class,
        () -> fetcher().fetch(file, dir, List.of(server.url("/stall/"))));
    // The failed transfer kept its bytes as a plain .part for the next run.
    assertTrue(Files.isRegularFile(dir.resolve("data.bin.part"), LinkOption.NOFOLLOW_LINKS));
    Files.delete(dir.resolve("data.bin.part"));
  }

  @Test
  void symlinkedFinalNameIsReplacedNotFollowed() throws Exception {
    Files.createSymbolicLink(dir.resolve("data.bin"), victim);
    Path p = fetcher().fetch(file, dir, List.of(server.url("/good/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertOnlyFinalFile();
  }

  @Test
  void symlinkedLockFileIsRefused() throws Exception {
    Files.createSymbolicLink(dir.resolve(DirectoryLock.NAME), victim);
    IOException e = assertThrows(IOException.class,
        () -> fetcher().fetch(file, dir, List.of(server.url("/good/"))));
    assertTrue(e.getMessage().contains("cannot lock"), e.getMessage());
    Files.delete(dir.resolve(DirectoryLock.NAME));
  }

  @Test
  void concurrentFetchesIntoOneDirectoryTakeTurns() throws Exception {
    List<Future<Path>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
      for (int i = 0; i < 3; i++) {
        results.add(pool.submit(() -> fetcher().fetch(file, dir, List.of(server.url("/slow/")))));
      }
      for (Future<Path> f : results) {
        assertArrayEquals(content, Files.readAllBytes(f.get()));
      }
    }
    assertEquals(1, server.requests(), "the others found the file present once it was their turn");
    assertTrue(events.contains("waiting"), events.toString());
    assertOnlyFinalFile();
  }

  @Test
  void anotherProcessHoldingTheDirectoryIsWaitedFor(@TempDir Path scratch) throws Exception {
    // A second JVM takes the directory's OS lock for a moment, as a concurrent fetch would.
    Path holder = scratch.resolve("LockHolder.java");
    Files.writeString(holder, """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        public class LockHolder {
          public static void main(String[] a) throws Exception {
            try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var lock = c.lock()) {
              System.out.println("locked");
              System.out.flush();
              Thread.sleep(Long.parseLong(a[1]));
            }
          }
        }
        """);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, holder.toString(),
        dir.resolve(DirectoryLock.NAME).toString(), "1500").redirectErrorStream(true).start();
    try {
      String first = new String(p.getInputStream().readNBytes(6));
      assertEquals("locked", first, "the child took the lock");
      long t0 = System.nanoTime();
      Path got = fetcher().fetch(file, dir, List.of(server.url("/good/")));
      assertArrayEquals(content, Files.readAllBytes(got));
      assertTrue(events.contains("waiting"), events.toString());
      assertTrue((System.nanoTime() - t0) / 1e9 > 0.5, "it waited for the other process");
    } finally {
      p.destroyForcibly().waitFor();
    }
    assertOnlyFinalFile();
  }

  @Test
  void clientErrorsMoveOnAtOnceServerErrorsAreRetried() throws Exception {
    for (String status : List.of("401", "403", "404")) {
      events.clear();
      FetchException e = assertThrows(FetchException.class,
          () -> fetcher().fetch(file, dir, List.of(server.url("/" + status + "/"))));
      assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
      assertEquals(1, events.size(), status + " is not retried: " + events);
    }
    events.clear();
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher().fetch(file, dir, List.of(server.url("/503/"))));
    assertTrue(e.getMessage().contains("HTTP 503 (after 2 attempts)"), e.getMessage());
    assertEquals(2, events.size(), "503 is retried: " + events);
    assertEquals(3 + 2, server.requests());
  }

  @Test
  void localMirrorLargerThanTheFileIsRefused() throws Exception {
    Path mirror = Files.createDirectories(dir.resolve("mirror"));
    Files.write(mirror.resolve("data.bin"), Arrays.copyOf(content, content.length + 1));
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher().fetch(file, dir, List.of(mirror.toUri())));
    assertTrue(e.getMessage().contains("more than the 300000 bytes"), e.getMessage());
    Files.delete(mirror.resolve("data.bin"));
    Files.delete(mirror);
  }

  @Test
  void aKilledFetchsWorkFileIsResumedAndNothingIsLeftBehind() throws Exception {
    // Hostile campaign 14: after SIGTERM a 25 MB partial download stayed as a hidden .tmp file,
    // not NAME.part: the next fetch restarted from byte 0 and the file stayed for good.
    Files.write(dir.resolve(".data.bin.0123456789abcdef.tmp"),
        java.util.Arrays.copyOf(content, 100_000));
    Files.write(dir.resolve(".data.bin.fedcba9876543210.tmp"),
        java.util.Arrays.copyOf(content, 500));
    Path p = fetcher().fetch(file, dir, List.of(server.url("/good/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertEquals(List.of("bytes=100000-"), ranges, "resumed from the larger orphan");
    assertOnlyFinalFile();
  }

  @Test
  void aDirectoryUnderTheFilesNamesIsRefusedAndLeftAlone() throws Exception {
    // Hostile campaign 19: a directory at the final name gave "X.tmp -> Y: Is a directory" and a
    // leftover .tmp; a non-empty directory at NAME.part was renamed to a hidden name.
    for (String name : List.of("data.bin", "data.bin.part")) {
      Path taken = dir.resolve(name);
      Files.createDirectories(taken.resolve("inside"));
      var e = org.junit.jupiter.api.Assertions.assertThrows(FetchException.class,
          () -> fetcher().fetch(file, dir, List.of(server.url("/good/"))));
      assertTrue(e.getMessage().contains(taken + " is a directory"), e.getMessage());
      assertTrue(Files.isDirectory(taken.resolve("inside")), "left as it was");
      try (Stream<Path> all = Files.list(dir)) {
        assertEquals(List.of(DirectoryLock.NAME, name),
            all.map(p -> p.getFileName().toString()).sorted().toList());
      }
      Files.delete(taken.resolve("inside"));
      Files.delete(taken);
    }
  }

  @Test
  void theDeadlineBoundsTheWaitForResponseHeaders() throws Exception {
    // Hostile campaign 13: --deadline 3 took 20.4 s against a server that never sends headers
    // (the request timeout was the connect timeout, outside the deadline).
    StringWriter err = new StringWriter();
    long t0 = System.nanoTime();
    int status = FetchCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "fashion-mnist", "--dir", dir.toString(), "--mirror", server.url("/silent/").toString(),
        "--retries", "0", "--deadline", "3");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(1, status);
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().contains("silent/train-images-idx3-ubyte.gz"), err.toString());
    // A bound on the hang, not a speed: the deadline's 3 s with room for a busy machine.
    assertTrue(seconds < 15, "took " + seconds + " s");
  }

  @Test
  void commandLineGivesOneLineWithinSecondsOnAStall() throws Exception {
    StringWriter err = new StringWriter();
    long t0 = System.nanoTime();
    int status = FetchCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "fashion-mnist", "--dir", dir.toString(), "--mirror", server.url("/stall/").toString(),
        "--retries", "0", "--idle-timeout", "1", "--deadline", "3");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(1, status);
    // The official mirrors are not reachable here; the first file's error names every mirror.
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().contains("stall/train-images-idx3-ubyte.gz: stalled"), err.toString());
    assertTrue(seconds < 25, "took " + seconds + " s");
    try (Stream<Path> all = Files.list(dir)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().endsWith(".gz")),
          "nothing under a final name");
    }
    try (Stream<Path> all = Files.list(dir)) {
      all.filter(p -> !p.getFileName().toString().equals(DirectoryLock.NAME))
          .forEach(p -> p.toFile().delete());
    }
  }
}
