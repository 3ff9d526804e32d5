package simdlearn.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body read chunk by chunk with a timeout on every wait, which
 * {@code HttpResponse.BodyHandlers.ofInputStream()} lacks (its reads block for as long as the
 * server stalls). It requests one chunk at a time, so at most one chunk is buffered, and
 * {@link #cancel} closes the connection.
 */
final class BodyStream implements Flow.Subscriber<List<ByteBuffer>> {
  /** The wait for the next chunk ran out. */
  static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException(String message) {
      super(message);
    }
  }

  private static final Object END = new Object();
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    queue.add(throwable);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  /**
   * The next chunk, or null at the end of the body.
   *
   * @throws IdleTimeoutException if nothing arrives within {@code timeoutNanos}
   * @throws IOException if the connection failed
   */
  @SuppressWarnings("unchecked")
  List<ByteBuffer> next(long timeoutNanos) throws IOException {
    Object o;
    try {
      o = queue.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (o == null) {
      throw new IdleTimeoutException("no data for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
          + " ms");
    }
    if (o == END) {
      return null;
    }
    if (o instanceof Throwable t) {
      throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
    }
    subscription.request(1);
    return (List<ByteBuffer>) o;
  }

  /** Stops the transfer and releases the connection. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
