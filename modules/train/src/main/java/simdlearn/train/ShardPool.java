package simdlearn.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the shards of a minibatch on virtual threads, reusing the same threads for every batch so
 * that a batch allocates nothing.
 *
 * <p>Tasks are claimed, not assigned: the caller and {@code parallelism - 1} long-lived workers
 * take the next unclaimed task index until none is left, so a worker that the OS has descheduled
 * (a core busy with something else) delays only the task it holds, not half the batch; the
 * others take up its share. The caller waits only for tasks that were claimed, never for a worker
 * that has not woken. Which thread runs a task never changes its result: training shards write
 * only their own buffers, and evaluation sums per-worker counts that do not depend on the split.
 *
 * <p>Waiting spins for a few microseconds (a batch's hand-off is shorter than a park and unpark),
 * then parks, so idle workers give their core back instead of burning it.
 */
final class ShardPool implements AutoCloseable {
  /** A unit of work: task index and the worker running it. */
  interface Task {
    void run(int task, int worker);
  }

  /**
   * How long a waiting thread spins before it parks. Measured (2 vCPUs, default run): 20, 100
   * and 500 us give the same quiet steady epoch; with a core busy elsewhere, longer spins lose
   * (44, 50 and 66 ms) because the spinner takes the CPU the descheduled thread needs.
   */
  private static final long SPIN_NANOS = 20_000;

  private final int parallelism;
  private final Thread[] workers;
  /** The batch's generation (high 32 bits) and the next unclaimed task (low 32 bits). */
  private final AtomicLong claim = new AtomicLong();
  private final AtomicInteger completed = new AtomicInteger();
  private volatile Task task;
  private volatile int tasks;
  private volatile Thread caller;
  private volatile boolean closed;
  private volatile Throwable failure;
  /** Workers 1 .. active-1 take part; the others sit out (see {@link #limit}). */
  private volatile int active;
  private int generation;

  ShardPool(int parallelism) {
    if (parallelism <= 0) {
      throw new IllegalArgumentException("parallelism must be > 0, got " + parallelism);
    }
    this.parallelism = parallelism;
    this.active = parallelism;
    this.workers = new Thread[parallelism - 1];
    for (int w = 1; w < parallelism; w++) {
      final int index = w;
      workers[w - 1] = Thread.ofVirtual().name("simdlearn-shard-" + w).start(() -> loop(index));
    }
  }

  int parallelism() {
    return parallelism;
  }

  /**
   * Lets only the caller and the first {@code threads - 1} workers claim tasks from the next
   * batch on. Results do not change (see the class comment); only the cores used do.
   */
  void limit(int threads) {
    active = Math.max(1, Math.min(parallelism, threads));
  }

  int active() {
    return active;
  }

  /** Runs tasks {@code 0 .. n-1} and returns when all are done; rethrows the first failure. */
  void run(int n, Task t) {
    if (active == 1 || n == 1) {
      for (int i = 0; i < n; i++) {
        t.run(i, 0);
      }
      return;
    }
    task = t;
    tasks = n;
    failure = null;
    caller = Thread.currentThread();
    completed.set(0);
    generation++;
    claim.set((long) generation << 32); // publishes task and tasks with the new generation
    for (int w = 0; w < active - 1; w++) {
      LockSupport.unpark(workers[w]);
    }
    work(generation, t, n, 0);
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (completed.get() < n) {
      if (System.nanoTime() < spinUntil) {
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

  /** Claims and runs tasks of generation {@code gen} until none is left. */
  private void work(int gen, Task t, int n, int worker) {
    while (true) {
      long c = claim.get();
      int i = (int) c;
      if ((int) (c >>> 32) != gen || i >= n) {
        return;
      }
      if (!claim.compareAndSet(c, c + 1)) {
        continue;
      }
      try {
        t.run(i, worker);
      } catch (Throwable e) {
        failure = e;
      }
      if (completed.incrementAndGet() == n && worker != 0) {
        LockSupport.unpark(caller);
      }
    }
  }

  private void loop(int worker) {
    int seen = 0;
    while (true) {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      int gen;
      while ((gen = (int) (claim.get() >>> 32)) == seen && !closed) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = gen;
      if (worker >= active) {
        continue; // sitting out: the others claim this batch
      }
      // Read after the generation: a task claimed below belongs to it (the caller sets the next
      // batch's task only after every task of this one has completed, so none is claimable).
      work(gen, task, tasks, worker);
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
