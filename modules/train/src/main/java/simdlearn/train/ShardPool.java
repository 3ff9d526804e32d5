package simdlearn.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the shards of a minibatch on virtual threads, reusing the same threads for every batch so
 * that a batch allocates nothing.
 *
 * <p>{@link #run} gives task {@code i} to worker {@code i mod parallelism}: the caller is worker 0
 * and {@code parallelism - 1} long-lived virtual threads are the others. Which worker runs a shard
 * never changes its result (each shard writes only its own buffers), so the outcome does not depend
 * on the parallelism. Hand-offs spin briefly before parking: a batch takes only tens of
 * microseconds, comparable to a park/unpark round trip.
 */
final class ShardPool implements AutoCloseable {
  /** A unit of work: task index and the worker running it. */
  interface Task {
    void run(int task, int worker);
  }

  private static final int SPINS = 20_000;

  private final int parallelism;
  private final Thread[] workers;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile int generation;
  private volatile Task task;
  private volatile int tasks;
  private volatile Thread caller;
  private volatile boolean closed;
  private volatile Throwable failure;

  ShardPool(int parallelism) {
    if (parallelism <= 0) {
      throw new IllegalArgumentException("parallelism must be > 0, got " + parallelism);
    }
    this.parallelism = parallelism;
    this.workers = new Thread[parallelism - 1];
    for (int w = 1; w < parallelism; w++) {
      final int index = w;
      workers[w - 1] = Thread.ofVirtual().name("simdlearn-shard-" + w).start(() -> loop(index));
    }
  }

  int parallelism() {
    return parallelism;
  }

  /** Runs tasks {@code 0 .. n-1} and returns when all are done; rethrows the first failure. */
  void run(int n, Task t) {
    if (parallelism == 1 || n == 1) {
      for (int i = 0; i < n; i++) {
        t.run(i, 0);
      }
      return;
    }
    task = t;
    tasks = n;
    failure = null;
    caller = Thread.currentThread();
    pending.set(workers.length);
    generation++; // publishes task and tasks to the workers
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    share(0);
    for (int spin = 0; pending.get() > 0; spin++) {
      if (spin < SPINS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
    Throwable f = failure;
    if (f != null) {
      if (f instanceof RuntimeException r) {
        throw r;
      }
      if (f instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(f);
    }
  }

  private void share(int worker) {
    Task t = task;
    int n = tasks;
    for (int i = worker; i < n; i += parallelism) {
      t.run(i, worker);
    }
  }

  private void loop(int worker) {
    int seen = 0;
    while (true) {
      for (int spin = 0; generation == seen && !closed; spin++) {
        if (spin < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = generation;
      try {
        share(worker);
      } catch (Throwable e) {
        failure = e;
      }
      if (pending.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
