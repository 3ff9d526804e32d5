package simdlearn.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.fetch.cli.FetchCli;

/** The fetcher against a real HTTP server on loopback serving small generated files. */
class FetcherTest {
  @TempDir
  Path dir;

  HttpServer server;
  byte[] content;
  RemoteFile file;
  final List<String> ranges = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    content = new byte[200_000];
    new Random(5).nextBytes(content);
    file = new RemoteFile("data.bin", content.length, hex("SHA-256", content), hex("MD5", content));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/good/", ex -> {
      count(ex);
      send(ex, 200, content);
    });
    server.createContext("/missing/", ex -> {
      count(ex);
      send(ex, 404, new byte[0]);
    });
    server.createContext("/broken/", ex -> {
      count(ex);
      send(ex, 500, new byte[0]);
    });
    server.createContext("/wrong/", ex -> {
      count(ex);
      byte[] bad = content.clone();
      bad[1234] ^= 1;
      send(ex, 200, bad);
    });
    // First request: declares the whole file, sends 60% of it, then drops the connection.
    // Later requests honour Range with 206 Partial Content.
    server.createContext("/flaky/", ex -> {
      int n = count(ex);
      String range = ex.getRequestHeaders().getFirst("Range");
      if (n == 1) {
        ex.sendResponseHeaders(200, content.length);
        OutputStream out = ex.getResponseBody();
        out.write(content, 0, content.length * 6 / 10);
        out.flush();
        ex.getHttpContext().getServer(); // keep the reference obvious
        ex.close(); // fewer bytes than declared: the client sees the connection cut
        return;
      }
      if (range != null) {
        ranges.add(range);
        int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        ex.getResponseHeaders().add("Content-Range",
            "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        byte[] rest = java.util.Arrays.copyOfRange(content, from, content.length);
        send(ex, 206, rest);
      } else {
        send(ex, 200, content);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  int count(HttpExchange ex) throws IOException {
    ex.getRequestBody().readAllBytes();
    return requests.incrementAndGet();
  }

  static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  Fetcher fetcher() {
    return new Fetcher(FetchOptions.defaults().withRetries(2).withBackoff(Duration.ofMillis(5))
        .withConnectTimeout(Duration.ofSeconds(10)), FetchListener.SILENT);
  }

  static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  @Test
  void goodFileIsFetchedVerifiedAndKept() throws Exception {
    Path p = fetcher().fetch(file, dir, List.of(url("/good/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertFalse(Files.exists(dir.resolve("data.bin.part")));
    int before = requests.get();
    fetcher().fetch(file, dir, List.of(url("/good/")));
    assertEquals(before, requests.get(), "a valid file already present is not downloaded again");
  }

  @Test
  void wrongBytesLeaveNothingBehind() {
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher().fetch(file, dir, List.of(url("/wrong/"))));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("data.bin")), "no bad file under the final name");
    assertFalse(Files.exists(dir.resolve("data.bin.part")), "no partial file either");
  }

  @Test
  void cutConnectionIsResumedWithRange() throws Exception {
    Path p = fetcher().fetch(file, dir, List.of(url("/flaky/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertEquals(1, ranges.size(), "the retry asked only for the rest");
    int from = Integer.parseInt(ranges.get(0).replaceAll("bytes=(\\d+)-", "$1"));
    assertTrue(from > 0 && from <= content.length * 6 / 10, "resumed at " + from);
  }

  @Test
  void notFoundOnFirstMirrorThenSecondServes() throws Exception {
    Path p = fetcher().fetch(file, dir, List.of(url("/missing/"), url("/good/")));
    assertArrayEquals(content, Files.readAllBytes(p));
    assertEquals(2, requests.get(), "a 404 is not retried on the same mirror");
  }

  @Test
  void allMirrorsDownIsOneClearError() {
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher().fetch(file, dir, List.of(url("/broken/"), url("/missing/"))));
    assertTrue(e.getMessage().startsWith("could not fetch data.bin from any mirror"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 500 (after 3 attempts)"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertEquals(3 + 1, requests.get(), "500 retried twice, 404 once");
    assertFalse(Files.exists(dir.resolve("data.bin")));
  }

  @Test
  void directoryAndFileUrlMirrors() throws Exception {
    Path mirror = Files.createDirectories(dir.resolve("mirror"));
    Files.write(mirror.resolve("data.bin"), content);
    Path out1 = Files.createDirectories(dir.resolve("out1"));
    fetcher().fetch(file, out1, List.of(Fetcher.mirror(mirror.toString())));
    assertArrayEquals(content, Files.readAllBytes(out1.resolve("data.bin")));
    Path out2 = Files.createDirectories(dir.resolve("out2"));
    fetcher().fetch(file, out2, List.of(Fetcher.mirror(mirror.toUri().toString())));
    assertArrayEquals(content, Files.readAllBytes(out2.resolve("data.bin")));
  }

  @Test
  void invalidFileIsReplaced() throws Exception {
    Files.write(dir.resolve("data.bin"), new byte[] {1, 2, 3});
    assertTrue(Fetcher.verify(file, dir.resolve("data.bin")) != null);
    fetcher().fetch(file, dir, List.of(url("/good/")));
    assertNull(Fetcher.verify(file, dir.resolve("data.bin")));
  }

  @Test
  void commandLineExitStatusAndMessages() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(2, FetchCli.run(new PrintWriter(out), new PrintWriter(err), "cifar"));
    assertTrue(err.toString().contains("unknown dataset 'cifar'"), err.toString());

    // Fashion-MNIST from a loopback mirror that does not have it: exit 1, one line on stderr.
    StringWriter err2 = new StringWriter();
    int status = FetchCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err2),
        "fashion-mnist", "--dir", dir.resolve("fm").toString(), "--mirror", url("/missing/").toString(),
        "--retries", "0", "--timeout", "1");
    assertEquals(1, status);
    assertEquals(1, err2.toString().strip().lines().count(), err2.toString());
    assertTrue(err2.toString().startsWith("simdlearn fetch: could not fetch train-images-idx3-ubyte.gz"),
        err2.toString());
    try (var files = Files.list(dir.resolve("fm"))) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".gz")),
          "nothing under a final name");
    }
  }

  @Test
  void realMirrorDirectoryWhenConfigured() throws Exception {
    String data = System.getProperty("simdlearn.data.dir", System.getenv("SIMDLEARN_DATA"));
    if (data == null || data.isBlank() || data.startsWith("${")) {
      org.junit.jupiter.api.Assumptions.abort("no data directory configured");
    }
    StringWriter out = new StringWriter();
    int status = FetchCli.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
        "fashion-mnist", "--dir", dir.toString(), "--mirror", data, "--retries", "0");
    assertEquals(0, status, out.toString());
    assertTrue(out.toString().contains("4 files verified"), out.toString());
  }
}
