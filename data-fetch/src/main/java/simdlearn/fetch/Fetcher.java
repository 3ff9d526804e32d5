package simdlearn.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the files of a dataset into a directory, verified, against networks and file systems that
 * misbehave.
 *
 * <p>For each file: if it is already there with the right checksum it is left alone. Otherwise
 * each mirror is tried in order, and any failure of a mirror (an error status, a malformed or
 * lying header, a stall, a body longer than the file) is that mirror's failure: the next one is
 * tried. Network errors, stalls and 5xx answers are retried with exponential back-off; 4xx answers,
 * bad headers and checksum mismatches are not. Every transfer is bounded three ways: no more bytes
 * than the file has (the catalog knows its size), no longer than the idle timeout without data, and
 * no longer than the mirror deadline for the whole file. A full disk or another local write error
 * stops the fetch at once: no mirror can fix it.
 *
 * <p>Files: a transfer writes to a fresh, randomly named hidden file in the directory, created
 * with {@code CREATE_NEW} and opened without following symbolic links; only when every published
 * checksum matches is it renamed atomically to the final name (a rename replaces a symbolic link
 * planted there rather than writing through it). An interrupted transfer is kept as
 * {@code NAME.part}; the next attempt renames that to a fresh random name (again without following
 * links: a link planted there is deleted, never written through) and asks the server for the rest
 * with a {@code Range} request, checking the answer's {@code Content-Range}. If a resumed file
 * fails its checksum, the transfer restarts once from zero. The directory is locked for the
 * duration, so concurrent fetches into it take turns. A mirror may be an {@code http(s):} URL,
 * a {@code file:} URL or a local directory, which is how offline machines fetch.
 */
public final class Fetcher {
  private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW,
      StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.WRITE,
      StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> TRUNCATE = Set.of(StandardOpenOption.WRITE,
      StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
  private static final Pattern CONTENT_RANGE = Pattern.compile(
      "\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)\\s*", Pattern.CASE_INSENSITIVE);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final FetchOptions options;
  private final FetchListener listener;
  private final HttpClient http;

  public Fetcher(FetchOptions options, FetchListener listener) {
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    // HTTP/1.1: datasets are single large files, and no h2c upgrade dance with odd servers.
    // Redirect.NORMAL never follows https -> http or to file:, and stops after 5 hops.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(options.connectTimeout()).followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** {@link FetchOptions#defaults()}. */
  public static Fetcher withDefaults(FetchListener listener) {
    return new Fetcher(FetchOptions.defaults(), listener);
  }

  public FetchOptions options() {
    return options;
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
    try (DirectoryLock _ = DirectoryLock.acquire(dir, listener)) {
      for (RemoteFile f : entry.files()) {
        out.add(fetchLocked(f, dir, mirrors));
      }
    }
    return out;
  }

  /** Fetches one file into {@code dir} from the first mirror that delivers it intact. */
  public Path fetch(RemoteFile file, Path dir, List<URI> mirrors) throws IOException {
    Files.createDirectories(dir);
    try (DirectoryLock _ = DirectoryLock.acquire(dir, listener)) {
      return fetchLocked(file, dir, mirrors);
    }
  }

  private Path fetchLocked(RemoteFile file, Path dir, List<URI> mirrors) throws IOException {
    Path target = dir.resolve(file.name());
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && verify(file, target) == null) {
      listener.alreadyPresent(file);
      return target;
    }
    // A directory under the file's names is the user's: neither downloaded over nor moved.
    for (Path taken : List.of(target, partFile(dir, file))) {
      if (Files.isDirectory(taken, LinkOption.NOFOLLOW_LINKS)) {
        throw new FetchException(taken + " is a directory, where " + file.name()
            + (taken.equals(target) ? "" : "'s partial download") + " goes; move it away and"
            + " fetch again");
      }
    }
    List<String> failures = new ArrayList<>();
    for (URI mirror : mirrors) {
      URI source;
      try {
        source = resolve(mirror, file.name());
      } catch (IllegalArgumentException e) {
        failures.add(mirror + ": not a usable mirror (" + e.getMessage() + ")");
        continue;
      }
      Path good = fromMirror(file, source, dir, failures);
      if (good != null) {
        moveIntoPlace(good, target);
        listener.completed(file, source, Files.size(target));
        return target;
      }
    }
    throw new FetchException("could not fetch " + file.name() + " from any mirror ("
        + (failures.isEmpty() ? "no mirrors" : String.join("; ", failures)) + ")");
  }

  /**
   * Tries one mirror, with retries for network errors and 5xx, within the mirror deadline.
   * Returns the verified work file, or null after adding why to {@code failures}.
   */
  private Path fromMirror(RemoteFile file, URI source, Path dir, List<String> failures)
      throws IOException {
    long deadline = System.nanoTime() + options.mirrorDeadline().toNanos();
    boolean restarted = false;
    for (int attempt = 0; ; ) {
      Path work = claimWorkFile(file, dir);
      try {
        long resumedFrom = transfer(file, source, work, deadline);
        String mismatch = verify(file, work);
        if (mismatch == null) {
          return work;
        }
        Files.delete(work); // a wrong file is no base for resuming
        if (resumedFrom > 0 && !restarted) {
          // A stale .part (another version, another server's bytes): start over, once.
          restarted = true;
          listener.attemptFailed(file, source, mismatch + " after resuming at " + resumedFrom
              + " bytes; starting over from zero", true);
          continue;
        }
        listener.attemptFailed(file, source, mismatch, false);
        failures.add(source + ": " + mismatch);
        return null;
      } catch (LocalWriteException e) {
        deleteQuietly(work);
        throw new FetchException("cannot write " + file.name() + " into " + dir + ": "
            + e.getMessage() + " (is the disk full?)");
      } catch (MirrorFailure e) {
        keepOrDelete(work, dir, file, e.keepPartial);
        listener.attemptFailed(file, source, e.getMessage(), false);
        failures.add(source + ": " + e.getMessage());
        return null;
      } catch (IOException e) {
        keepOrDelete(work, dir, file, true);
        String reason = describe(e);
        long remaining = deadline - System.nanoTime();
        boolean retry = attempt < options.retries() && remaining > 0;
        listener.attemptFailed(file, source, reason, retry);
        if (!retry) {
          failures.add(source + ": " + reason + " (after " + (attempt + 1) + " attempt"
              + (attempt == 0 ? "" : "s") + (remaining > 0 ? "" : ", deadline reached") + ")");
          return null;
        }
        attempt++;
        long wait = options.backoff().multipliedBy(1L << Math.min(attempt - 1, 20)).toNanos();
        sleepNanos(Math.min(wait, remaining));
      } catch (RuntimeException e) {
        // The HTTP client rejected something the server sent that it could not parse.
        keepOrDelete(work, dir, file, true);
        String reason = "malformed answer (" + describe(e) + ")";
        listener.attemptFailed(file, source, reason, false);
        failures.add(source + ": " + reason);
        return null;
      }
    }
  }

  /**
   * Copies or downloads {@code file} into {@code work}, continuing after the bytes it already
   * holds when the source allows. Returns the offset the transfer continued from (0: from scratch).
   */
  private long transfer(RemoteFile file, URI source, Path work, long deadline) throws IOException {
    String scheme = source.getScheme() == null ? "file"
        : source.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      copyLocal(file, source, work, deadline);
      return 0;
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new MirrorFailure("unsupported mirror scheme '" + scheme + "'", true);
    }
    long have = Files.size(work);
    if (file.size() != RemoteFile.UNKNOWN_SIZE && have == file.size()) {
      return have; // complete already; the checksum decides
    }
    // The wait for the response's headers counts against the deadline too: a server that
    // accepts the connection and never answers must not hold the fetch past it.
    long left = Math.max(1_000_000L, deadline - System.nanoTime());
    HttpRequest.Builder request = HttpRequest.newBuilder(source)
        .timeout(java.time.Duration.ofNanos(Math.min(options.connectTimeout().toNanos(), left)))
        .GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofPublisher());
    } catch (ProtocolException e) {
      throw new MirrorFailure("malformed answer (" + describe(e) + ")", true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    BodyStream body = new BodyStream();
    response.body().subscribe(body); // even when unread: cancelling it releases the connection
    try {
      int status = response.statusCode();
      long start;
      if (status == 206 && have > 0) {
        checkContentRange(response, have, file);
        start = have;
      } else if (status == 200) {
        start = 0; // the whole file (a server that ignores Range sends this too): start over
      } else if (status == 416 && have > 0) {
        return have; // nothing left to send: the file may be complete; the checksum decides
      } else if (status >= 500 && status <= 599) {
        throw new IOException("HTTP " + status); // retried
      } else {
        throw new MirrorFailure("HTTP " + status + statusWords(status), true);
      }
      long length = contentLength(response);
      long expected = file.size();
      if (length >= 0 && expected != RemoteFile.UNKNOWN_SIZE && start + length != expected) {
        throw new MirrorFailure("announces " + (start + length) + " bytes (Content-Length "
            + length + (start > 0 ? " from byte " + start : "") + ") but " + file.name() + " has "
            + expected, true);
      }
      if (length >= 0 && start + length > file.maxBytes()) {
        throw new MirrorFailure("announces " + (start + length) + " bytes, over the limit of "
            + file.maxBytes(), true);
      }
      listener.started(file, source, expected != RemoteFile.UNKNOWN_SIZE ? expected
          : length < 0 ? -1 : start + length, start);
      long done;
      try (SeekableByteChannel out = openForWriting(work, start == 0 ? TRUNCATE : APPEND)) {
        done = receive(file, body, out, start, deadline);
      }
      if (length >= 0 && done < start + length) {
        throw new IOException("connection closed after " + done + " of " + (start + length)
            + " bytes");
      }
      return start;
    } finally {
      body.cancel();
    }
  }

  /** Writes the body into {@code out} until it ends; bounded by size, idle time and deadline. */
  private long receive(RemoteFile file, BodyStream body, SeekableByteChannel out, long start,
      long deadline) throws IOException {
    long done = start;
    long idle = options.idleTimeout().toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw deadlineReached(file, done);
      }
      List<ByteBuffer> chunk;
      try {
        chunk = body.next(Math.min(idle, left));
      } catch (BodyStream.IdleTimeoutException e) {
        if (deadline - System.nanoTime() <= 0) {
          throw deadlineReached(file, done);
        }
        throw new IOException("stalled: no data for " + millis(options.idleTimeout()) + " after "
            + done + " bytes", e);
      }
      if (chunk == null) {
        return done;
      }
      for (ByteBuffer b : chunk) {
        if (done + b.remaining() > file.maxBytes()) {
          // These bytes cannot all be the file: discard the partial, not only the excess.
          throw new MirrorFailure("sent more than the " + file.maxBytes() + " bytes of "
              + file.name() + "; stopped", false);
        }
        done += b.remaining();
        write(out, b);
      }
      listener.progress(file, done);
    }
  }

  private MirrorFailure deadlineReached(RemoteFile file, long done) {
    return new MirrorFailure("not done after the mirror deadline of "
        + millis(options.mirrorDeadline()) + " (" + done + " of "
        + (file.size() == RemoteFile.UNKNOWN_SIZE ? "?" : file.size()) + " bytes)", true);
  }

  /** A {@code file:} mirror: a bounded copy through the same checks as a download. */
  private void copyLocal(RemoteFile file, URI source, Path work, long deadline) throws IOException {
    Path src = Path.of(source);
    if (!Files.isRegularFile(src)) {
      throw new MirrorFailure("no such file " + src, true);
    }
    long size = Files.size(src);
    if (size > file.maxBytes()) {
      throw new MirrorFailure(src + " has " + size + " bytes, more than the " + file.maxBytes()
          + " bytes of " + file.name(), true);
    }
    listener.started(file, source, size, 0);
    try (InputStream in = Files.newInputStream(src);
        SeekableByteChannel out = openForWriting(work, TRUNCATE)) {
      byte[] buf = new byte[1 << 16];
      long done = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        if (done + n > file.maxBytes()) {
          throw new MirrorFailure(src + " grew past the " + file.maxBytes() + " bytes of "
              + file.name(), false);
        }
        if (System.nanoTime() - deadline > 0) {
          throw deadlineReached(file, done);
        }
        write(out, ByteBuffer.wrap(buf, 0, n));
        done += n;
        listener.progress(file, done);
      }
    }
  }

  /**
   * A fresh, randomly named hidden work file in {@code dir}: the previous partial download
   * ({@code NAME.part}) renamed, if it is a plain file, else a new empty one. Renaming moves a
   * symbolic link itself, and anything but a regular file is deleted, so no write ever follows a
   * link planted under a predictable name.
   */
  private static Path claimWorkFile(RemoteFile file, Path dir) throws IOException {
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    Path work = dir.resolve("." + file.name() + "." + HexFormat.of().formatHex(r) + ".tmp");
    adoptOrphans(file, dir);
    try {
      Files.move(partFile(dir, file), work, StandardCopyOption.ATOMIC_MOVE);
      BasicFileAttributes a = Files.readAttributes(work, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (a.isRegularFile() && a.size() <= file.maxBytes()) {
        return work;
      }
      Files.delete(work);
    } catch (NoSuchFileException e) {
      // no partial download: start a new one
    }
    try {
      Files.newByteChannel(work, CREATE_NEW).close();
    } catch (IOException e) {
      throw new LocalWriteException(e);
    }
    return work;
  }

  /**
   * Work files of a fetch that was killed (SIGTERM or SIGKILL end it before it keeps its bytes as
   * {@code NAME.part}): with the directory locked, every {@code .NAME.<16 hex>.tmp} is such an
   * orphan. The largest becomes {@code NAME.part} when there is none, so the next transfer
   * resumes from it; the others are deleted. Links and other non-files are deleted, not followed.
   */
  private static void adoptOrphans(RemoteFile file, Path dir) throws IOException {
    Pattern orphan = Pattern.compile(
        "\\." + Pattern.quote(file.name()) + "\\.[0-9a-f]{16}\\.tmp");
    Path best = null;
    long bestSize = -1;
    List<Path> found = new ArrayList<>();
    try (var entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (orphan.matcher(p.getFileName().toString()).matches()) {
          found.add(p);
        }
      }
    }
    for (Path p : found) {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (a.isRegularFile() && a.size() <= file.maxBytes() && a.size() > bestSize) {
        best = p;
        bestSize = a.size();
      }
    }
    boolean keep = best != null && bestSize > 0 && !Files.exists(partFile(dir, file),
        LinkOption.NOFOLLOW_LINKS);
    for (Path p : found) {
      if (keep && p.equals(best)) {
        Files.move(p, partFile(dir, file), StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Path partFile(Path dir, RemoteFile file) {
    return dir.resolve(file.name() + ".part");
  }

  /** Keeps what was downloaded as {@code NAME.part} for the next attempt, or deletes it. */
  private static void keepOrDelete(Path work, Path dir, RemoteFile file, boolean keep) {
    try {
      if (keep && Files.size(work) > 0) {
        Files.move(work, partFile(dir, file), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.deleteIfExists(work);
      }
    } catch (IOException e) {
      deleteQuietly(work);
    }
  }

  private static SeekableByteChannel openForWriting(Path work, Set<OpenOption> how)
      throws IOException {
    try {
      return Files.newByteChannel(work, how);
    } catch (IOException e) {
      throw new LocalWriteException(e);
    }
  }

  private static void write(SeekableByteChannel out, ByteBuffer b) throws IOException {
    try {
      while (b.hasRemaining()) {
        out.write(b);
      }
    } catch (IOException e) {
      throw new LocalWriteException(e);
    }
  }

  /** The Content-Length, -1 if absent; a malformed or ambiguous one fails the mirror. */
  private static long contentLength(HttpResponse<?> response) throws MirrorFailure {
    List<String> values = response.headers().allValues("Content-Length");
    if (values.isEmpty()) {
      return -1;
    }
    String v = values.get(0).trim();
    if (!v.matches("\\d{1,18}") || values.stream().anyMatch(o -> !o.trim().equals(v))) {
      throw new MirrorFailure("malformed Content-Length " + values, true);
    }
    return Long.parseLong(v);
  }

  /** A 206 must continue exactly where our partial file ends, for this file's size. */
  private static void checkContentRange(HttpResponse<?> response, long have, RemoteFile file)
      throws MirrorFailure {
    String range = response.headers().firstValue("Content-Range").orElse(null);
    Matcher m = range == null ? null : CONTENT_RANGE.matcher(range);
    if (m == null || !m.matches()) {
      throw new MirrorFailure("206 Partial Content without a valid Content-Range ("
          + range + ")", true);
    }
    long first = Long.parseLong(m.group(1));
    if (first != have) {
      throw new MirrorFailure("asked for bytes from " + have + ", got Content-Range " + range,
          true);
    }
    if (!m.group(3).equals("*") && file.size() != RemoteFile.UNKNOWN_SIZE
        && Long.parseLong(m.group(3)) != file.size()) {
      throw new MirrorFailure("Content-Range " + range + " is for a file of " + m.group(3)
          + " bytes, but " + file.name() + " has " + file.size(), true);
    }
  }

  private static String statusWords(int status) {
    return switch (status) {
      case 401 -> " unauthorized";
      case 403 -> " forbidden";
      case 404, 410 -> " not found";
      default -> "";
    };
  }

  /** Null if every published checksum of {@code file} matches {@code path}, else why not. */
  public static String verify(RemoteFile file, Path path) throws IOException {
    MessageDigest sha = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    long size = 0;
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        md5.update(buf, 0, n);
        size += n;
      }
    }
    if (file.size() != RemoteFile.UNKNOWN_SIZE && size != file.size()) {
      return "size mismatch: " + size + " bytes, expected " + file.size();
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

  /**
   * Turns a user's {@code --mirror} value (URL or directory path) into a mirror URI.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static URI mirror(String urlOrDirectory) {
    if (urlOrDirectory.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
        && !urlOrDirectory.matches("^[a-zA-Z]:\\\\.*")) {
      try {
        return URI.create(urlOrDirectory);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--mirror '" + urlOrDirectory + "' is not a valid URL ("
            + e.getMessage() + ")", e);
      }
    }
    return Path.of(urlOrDirectory).toAbsolutePath().normalize().toUri();
  }

  /** A readable reason: HttpClient's connect errors often carry their message on the cause. */
  private static String describe(Throwable e) {
    String msg = e.getMessage();
    for (Throwable c = e.getCause(); (msg == null || msg.isBlank()) && c != null;
        c = c.getCause()) {
      msg = c.getMessage();
    }
    String kind = e.getClass().getSimpleName();
    if (msg == null || msg.isBlank()) {
      return e instanceof java.net.ConnectException ? "cannot connect (" + kind + ")" : kind;
    }
    return (e instanceof java.net.ConnectException
        || e instanceof java.net.http.HttpTimeoutException
        || e instanceof RuntimeException) ? kind + ": " + msg : msg;
  }

  private static String millis(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void moveIntoPlace(Path work, Path target) throws IOException {
    try {
      // rename(2): replaces whatever entry has the final name (a planted link included) without
      // following it.
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(work, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: hidden random names never shadow a good file
    }
  }

  private static void sleepNanos(long nanos) throws IOException {
    try {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }

  /** This mirror cannot deliver the file: no point retrying it. */
  private static final class MirrorFailure extends IOException {
    private static final long serialVersionUID = 1L;
    /** Whether the partial file is still good to resume from (bytes already verified as sent). */
    final boolean keepPartial;

    MirrorFailure(String message, boolean keepPartial) {
      super(message);
      this.keepPartial = keepPartial;
    }
  }

  /** Writing into the target directory failed: no mirror can fix that. */
  private static final class LocalWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalWriteException(IOException cause) {
      super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
  }
}
