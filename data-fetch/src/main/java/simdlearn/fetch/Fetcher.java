package simdlearn.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Puts the files of a dataset into a directory, verified.
 *
 * <p>For each file: if it is already there with the right checksum it is left alone. Otherwise
 * each mirror is tried in order. A transfer writes {@code NAME.part} beside the target; only when
 * every published checksum matches is it renamed (atomically where the file system allows) to
 * {@code NAME}, so a failure never leaves a bad file under the final name. A transfer cut off
 * part-way keeps its {@code .part} and the next attempt asks the server for the rest with an HTTP
 * {@code Range} request (starting over if the server ignores it). Network errors and 5xx answers
 * are retried with exponential back-off; a 404, a checksum mismatch or exhausted retries move on
 * to the next mirror. A mirror may be an {@code http(s):} URL, a {@code file:} URL or a local
 * directory, which is how offline machines fetch.
 */
public final class Fetcher {
  private final int retries;
  private final Duration backoff;
  private final Duration timeout;
  private final FetchListener listener;
  private final HttpClient http;

  /**
   * @param retries attempts per mirror after the first (0 = one attempt)
   * @param backoff wait before the first retry; doubled before each further one
   * @param timeout connect and response-header timeout for HTTP
   */
  public Fetcher(int retries, Duration backoff, Duration timeout, FetchListener listener) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    this.retries = retries;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Three retries from 1 s back-off, 30 s timeout. */
  public static Fetcher withDefaults(FetchListener listener) {
    return new Fetcher(3, Duration.ofSeconds(1), Duration.ofSeconds(30), listener);
  }

  /**
   * Fetches every file of {@code entry} into {@code dir} (created if needed), trying
   * {@code extraMirrors} before the entry's own.
   *
   * @return the paths of the files, in the entry's order
   * @throws FetchException naming the file and what each mirror answered
   */
  public List<Path> fetch(DatasetEntry entry, Path dir, List<URI> extraMirrors) throws IOException {
    List<URI> mirrors = new ArrayList<>(extraMirrors);
    mirrors.addAll(entry.mirrors());
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (RemoteFile f : entry.files()) {
      out.add(fetch(f, dir, mirrors));
    }
    return out;
  }

  /** Fetches one file into {@code dir} from the first mirror that delivers it intact. */
  public Path fetch(RemoteFile file, Path dir, List<URI> mirrors) throws IOException {
    Path target = dir.resolve(file.name());
    if (Files.isRegularFile(target) && verify(file, target) == null) {
      listener.alreadyPresent(file);
      return target;
    }
    Path part = dir.resolve(file.name() + ".part");
    List<String> failures = new ArrayList<>();
    for (URI mirror : mirrors) {
      URI source = resolve(mirror, file.name());
      String failure = fetchFromMirror(file, source, part);
      if (failure == null) {
        moveIntoPlace(part, target);
        listener.completed(file, source, Files.size(target));
        return target;
      }
      failures.add(source + ": " + failure);
    }
    throw new FetchException("could not fetch " + file.name() + " from any mirror ("
        + String.join("; ", failures) + ")");
  }

  /** Tries one mirror with retries. Returns null on success, else why it failed. */
  private String fetchFromMirror(RemoteFile file, URI source, Path part) {
    String reason = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        sleep(backoff.multipliedBy(1L << Math.min(attempt - 1, 20)));
      }
      try {
        transfer(file, source, part);
        String mismatch = verify(file, part);
        if (mismatch == null) {
          return null;
        }
        deleteQuietly(part); // a wrong file is no base for resuming
        listener.attemptFailed(file, source, mismatch, false);
        return mismatch;
      } catch (NotFound e) {
        listener.attemptFailed(file, source, e.getMessage(), false);
        return e.getMessage();
      } catch (IOException e) {
        reason = describe(e);
        listener.attemptFailed(file, source, reason, attempt < retries);
      }
    }
    return reason + " (after " + (retries + 1) + " attempts)";
  }

  private void transfer(RemoteFile file, URI source, Path part) throws IOException {
    String scheme = source.getScheme() == null ? "file" : source.getScheme();
    if (scheme.equals("file")) {
      Path src = Path.of(source);
      if (!Files.isRegularFile(src)) {
        throw new NotFound("no such file " + src);
      }
      long size = Files.size(src);
      listener.started(file, source, size, 0);
      Files.copy(src, part, StandardCopyOption.REPLACE_EXISTING);
      listener.progress(file, size);
      return;
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new NotFound("unsupported mirror scheme '" + scheme + "'");
    }
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    HttpRequest.Builder request = HttpRequest.newBuilder(source).timeout(timeout).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      boolean append;
      if (status == 206 && have > 0) {
        append = true;
      } else if (status == 200) {
        append = false; // the server sent the whole file: start over
        have = 0;
      } else if (status == 416 && have > 0) {
        return; // nothing left to send: the .part may already be complete; verify decides
      } else if (status == 404 || status == 410) {
        throw new NotFound("HTTP " + status + " not found");
      } else {
        throw new IOException("HTTP " + status);
      }
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      listener.started(file, source, length < 0 ? -1 : have + length, have);
      try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buf = new byte[1 << 16];
        long done = have;
        for (int n; (n = body.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          done += n;
          listener.progress(file, done);
        }
        if (length >= 0 && done < have + length) {
          throw new IOException("connection closed after " + done + " of " + (have + length)
              + " bytes");
        }
      }
    }
  }

  /** Returns null if every published checksum of {@code file} matches {@code path}, else why not. */
  static String verify(RemoteFile file, Path path) throws IOException {
    MessageDigest sha = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        md5.update(buf, 0, n);
      }
    }
    HexFormat hex = HexFormat.of();
    String gotSha = hex.formatHex(sha.digest());
    String gotMd5 = hex.formatHex(md5.digest());
    if (file.sha256() != null && !file.sha256().equals(gotSha)) {
      return "checksum mismatch: SHA-256 " + gotSha + ", expected " + file.sha256();
    }
    if (file.md5() != null && !file.md5().equals(gotMd5)) {
      return "checksum mismatch: MD5 " + gotMd5 + ", expected " + file.md5();
    }
    return null;
  }

  /** {@code mirror + name}: a base URL gets a trailing slash, a plain path is a directory. */
  static URI resolve(URI mirror, String name) {
    if (mirror.getScheme() == null) {
      return Path.of(mirror.getPath()).toAbsolutePath().normalize().resolve(name).toUri();
    }
    String s = mirror.toString();
    return URI.create(s.endsWith("/") ? s + name : s + "/" + name);
  }

  /** Turns a user's {@code --mirror} value (URL or directory path) into a mirror URI. */
  public static URI mirror(String urlOrDirectory) {
    if (urlOrDirectory.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !urlOrDirectory.matches("^[a-zA-Z]:\\\\.*")) {
      return URI.create(urlOrDirectory);
    }
    return Path.of(urlOrDirectory).toAbsolutePath().normalize().toUri();
  }

  /** A readable reason: HttpClient's connect errors often carry their message on the cause. */
  private static String describe(Throwable e) {
    String msg = e.getMessage();
    for (Throwable c = e.getCause(); (msg == null || msg.isBlank()) && c != null; c = c.getCause()) {
      msg = c.getMessage();
    }
    String kind = e.getClass().getSimpleName();
    if (msg == null || msg.isBlank()) {
      return e instanceof java.net.ConnectException ? "cannot connect (" + kind + ")" : kind;
    }
    return (e instanceof java.net.ConnectException
        || e instanceof java.net.http.HttpTimeoutException) ? kind + ": " + msg : msg;
  }

  private static void moveIntoPlace(Path part, Path target) throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: the .part name never shadows a good file
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }

  /** The mirror does not have the file: no point retrying it. */
  private static final class NotFound extends IOException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }
}
