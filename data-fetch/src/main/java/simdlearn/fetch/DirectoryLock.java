package simdlearn.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive use of a download directory, so two fetches into it (two processes, or two threads of
 * one) take turns instead of writing the same files: an OS file lock on {@code .simdlearn-fetch.lock}
 * for other processes, and a lock per directory for threads of this JVM (the OS lock is held per
 * process, and a second lock on it from the same JVM would fail rather than wait).
 */
final class DirectoryLock implements AutoCloseable {
  static final String NAME = ".simdlearn-fetch.lock";
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits until {@code dir} is free, telling {@code listener} if it has to wait. */
  static DirectoryLock acquire(Path dir, FetchListener listener) throws IOException {
    Path key = dir.toRealPath();
    ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
    if (!local.tryLock()) {
      listener.waitingForLock(dir);
      local.lock();
    }
    FileChannel channel = null;
    try {
      // NOFOLLOW_LINKS: a planted symlink must not make us create or lock a file elsewhere.
      channel = FileChannel.open(key.resolve(NAME), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        listener.waitingForLock(dir);
        lock = channel.lock();
      }
      return new DirectoryLock(local, channel, lock);
    } catch (IOException e) {
      release(channel, local);
      throw new IOException("cannot lock " + dir.resolve(NAME) + " (" + e + ")", e);
    } catch (RuntimeException e) {
      release(channel, local);
      throw e;
    }
  }

  private static void release(FileChannel channel, ReentrantLock local) throws IOException {
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      local.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      local.unlock();
    }
  }
}
