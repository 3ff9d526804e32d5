package simdlearn.kernel.training;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few reusable scratch objects shared by every thread: {@link #borrow} takes a free one (or
 * makes a new one when all are out), {@link #release} puts it back. No allocation once warm, and
 * unlike a ThreadLocal it does not keep a large buffer per virtual thread (nor make one for each
 * new virtual thread, as a server predicting on a thread per request would). The kernels keep
 * their GEMM buffers in one; a layer can keep the buffers of a pass in another.
 *
 * @param <T> the scratch objects
 */
public final class ScratchPool<T> {
  private final AtomicReferenceArray<T> slots = new AtomicReferenceArray<>(16);
  private final Supplier<T> factory;

  /**
   * A pool that makes its objects with {@code factory}.
   *
   * @param factory makes a scratch object when none is free
   */
  public ScratchPool(Supplier<T> factory) {
    this.factory = factory;
  }

  /**
   * A free scratch object, or a new one when all are out; give it back with {@link #release}.
   *
   * @return an object no other thread holds
   */
  public T borrow() {
    for (int i = 0; i < slots.length(); i++) {
      T t = slots.getAndSet(i, null);
      if (t != null) {
        return t;
      }
    }
    return factory.get();
  }

  /**
   * Gives back an object from {@link #borrow}; kept for the next borrower unless the pool is full.
   *
   * @param t the object, which the caller no longer uses
   */
  public void release(T t) {
    for (int i = 0; i < slots.length(); i++) {
      if (slots.compareAndSet(i, null, t)) {
        return;
      }
    }
  }
}
