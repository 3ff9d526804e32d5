/**
 * Downloads datasets into a directory: known files and checksums, mirrors tried in order (HTTP,
 * a local directory or a {@code file:} URL), resume, retries with back-off, verification before an
 * atomic rename, and progress on a terminal.
 */
module simdlearn.fetch {
  requires java.net.http;
  requires info.picocli;
  requires simdlearn.console;

  exports simdlearn.fetch;

  opens simdlearn.fetch.cli to info.picocli;
}
