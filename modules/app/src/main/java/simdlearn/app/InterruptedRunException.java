package simdlearn.app;

/** A signal stopped a command before it had anything to write; the exit status is the signal's. */
final class InterruptedRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InterruptedRunException(String message) {
    super(message);
  }
}
