package simdlearn.fetch;

import java.net.URI;
import java.nio.file.Path;

/** Observes a fetch: what is being downloaded from where, progress, retries and outcomes. */
public interface FetchListener {
  /** A file was present with the right checksum and was left alone. */
  default void alreadyPresent(RemoteFile file) {}

  /** Another fetch (process or thread) is writing into {@code dir}; this one waits for it. */
  default void waitingForLock(Path dir) {}

  /**
   * A transfer of {@code file} from {@code source} begins; {@code total} bytes in all (-1 when
   * unknown), the first {@code resumedFrom} of which were already on disk.
   */
  default void started(RemoteFile file, URI source, long total, long resumedFrom) {}

  /** {@code done} bytes of the file are now on disk. */
  default void progress(RemoteFile file, long done) {}

  /** An attempt failed; {@code willRetry} says whether the same mirror will be tried again. */
  default void attemptFailed(RemoteFile file, URI source, String reason, boolean willRetry) {}

  /** The file is verified and in place. */
  default void completed(RemoteFile file, URI source, long bytes) {}

  /** A listener that ignores everything. */
  FetchListener SILENT = new FetchListener() {};
}
