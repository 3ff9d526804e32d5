package simdlearn.fetch;

import java.net.URI;
import java.util.List;

/** A dataset the fetcher knows: its files and the mirrors that serve them, in order of preference. */
public record DatasetEntry(String name, String description, List<RemoteFile> files,
    List<URI> mirrors) {
  public DatasetEntry {
    files = List.copyOf(files);
    mirrors = List.copyOf(mirrors);
  }
}
