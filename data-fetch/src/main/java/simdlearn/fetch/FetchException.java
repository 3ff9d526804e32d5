package simdlearn.fetch;

import java.io.IOException;

/** A file could not be fetched from any mirror; the message says what each mirror answered. */
public final class FetchException extends IOException {
  private static final long serialVersionUID = 1L;

  public FetchException(String message) {
    super(message);
  }
}
