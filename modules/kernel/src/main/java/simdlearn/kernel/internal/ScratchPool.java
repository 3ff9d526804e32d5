package simdlearn.kernel.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few reusable scratch objects shared by every thread: {@link #borrow} takes a free one (or
 * makes a new one when all are out), {@link #release} puts it back. No allocation once warm, and
 * unlike a ThreadLocal it does not keep a large buffer per virtual thread.
 */
final class ScratchPool<T> {
  private final AtomicReferenceArray<T> slots = new AtomicReferenceArray<>(16);
  private final Supplier<T> factory;

  ScratchPool(Supplier<T> factory) {
    this.factory = factory;
  }

  T borrow() {
    for (int i = 0; i < slots.length(); i++) {
      T t = slots.getAndSet(i, null);
      if (t != null) {
        return t;
      }
    }
    return factory.get();
  }

  void release(T t) {
    for (int i = 0; i < slots.length(); i++) {
      if (slots.compareAndSet(i, null, t)) {
        return;
      }
    }
  }
}
