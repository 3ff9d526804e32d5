package simdlearn.train;

/** The training loss became NaN or infinite; the message says where and what to change. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
