package simdlearn.app.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import simdlearn.train.io.AtomicFiles;

/**
 * The output directory of one training run, held exclusively while the run writes into it: an OS
 * lock on {@code .simdlearn-run.lock} (opened without following links), so a second run into the
 * same directory is refused instead of interleaving its report with this one's.
 */
public final class RunDirectory implements AutoCloseable {
  /** The files a run writes; {@code --overwrite} removes these, and only these. */
  public static final List<String> OUTPUTS = List.of("report.jsonl", "model.json",
      "checkpoint.json", "training-curves.svg", "training-curves.png", "predictions.png",
      "decision-boundary.svg", "decision-boundary.png");
  static final String LOCK = ".simdlearn-run.lock";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;
  /** Whether this run created the directory (then a run that wrote nothing removes it again). */
  private boolean created;

  /** The directory's and the lock file's identities (device and inode) when locked. */
  private final Object dirKey;
  private final Object lockKey;

  private RunDirectory(Path dir, FileChannel channel, FileLock lock) throws IOException {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
    this.dirKey = key(dir);
    this.lockKey = key(dir.resolve(LOCK));
  }

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /**
   * Checks that the directory is still the one this run locked: deleted (and perhaps made
   * again by someone) mid-run, it holds none of the run's files and no lock, and writing on
   * would recreate it unlocked and claim files that are gone.
   *
   * @throws IOException naming the directory when it was removed or replaced
   */
  public void checkIntact() throws IOException {
    boolean same;
    try {
      same = java.util.Objects.equals(dirKey, key(dir))
          && java.util.Objects.equals(lockKey, key(dir.resolve(LOCK)));
    } catch (IOException e) {
      same = false;
    }
    if (!same) {
      throw new IOException(dir + " was removed or replaced while this run wrote into it; the"
          + " run stops (its report and checkpoint went with the directory)");
    }
  }

  /**
   * A directory for a new run: created if missing; refused if it holds anything (but a stale lock
   * file) unless {@code overwrite}, which removes the files of an earlier run ({@link #OUTPUTS})
   * and keeps anything else.
   *
   * @throws IllegalArgumentException if it is not empty and {@code overwrite} is off
   * @throws IOException if another run holds it, or it cannot be created or locked
   */
  public static RunDirectory forNewRun(Path dir, boolean overwrite) throws IOException {
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
      throw new IOException("--out " + dir + " is a file, not a directory: give a new or empty"
          + " directory");
    }
    boolean existed = Files.isDirectory(dir);
    Files.createDirectories(dir);
    RunDirectory run = lock(dir);
    run.created = !existed;
    try {
      List<String> present = contents(dir);
      if (!present.isEmpty()) {
        if (!overwrite) {
          throw new IllegalArgumentException("--out " + dir + " is not empty (" + preview(present)
              + "); pass --overwrite to replace an earlier run's files, or choose another --out");
        }
        for (String name : OUTPUTS) {
          Files.deleteIfExists(dir.resolve(name)); // a link is deleted, not followed
        }
      }
      return run;
    } catch (IOException | RuntimeException e) {
      run.close();
      throw e;
    }
  }

  /** The directory of an earlier run, to resume it. */
  public static RunDirectory forResume(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("--resume " + dir + ": no such directory");
    }
    return lock(dir);
  }

  private static RunDirectory lock(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new IOException("cannot lock " + dir.resolve(LOCK) + " (" + e + ")", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw new IOException("cannot lock " + dir + ": another run in this JVM writes into it", e);
    }
    if (lock == null) {
      channel.close();
      throw new IOException("another run is writing into " + dir + "; choose another --out");
    }
    RunDirectory run = new RunDirectory(dir, channel, lock);
    try {
      removeStaleTemporaries(dir);
    } catch (IOException | RuntimeException e) {
      run.close();
      throw e;
    }
    return run;
  }

  /**
   * Deletes what a killed run left half-written (SIGKILL skips the cleanup): with the lock held
   * no other run can be writing them, and only a run output's temporary name is touched.
   */
  private static void removeStaleTemporaries(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String target = AtomicFiles.temporaryTarget(p.getFileName().toString());
        if (target != null && OUTPUTS.contains(target)
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static List<String> contents(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (!n.equals(LOCK)) {
          names.add(n);
        }
      }
    }
    names.sort(null);
    return names;
  }

  private static String preview(List<String> names) {
    return names.size() <= 3 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
  }

  public Path dir() {
    return dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  /**
   * Releases the lock. The lock file stays (deleting it would let two later runs lock two
   * files), unless this run created the directory and wrote nothing: then both go.
   */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
    if (created && contents(dir).isEmpty()) {
      Files.deleteIfExists(dir.resolve(LOCK));
      Files.deleteIfExists(dir);
    }
  }
}
