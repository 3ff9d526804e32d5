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
   * How long a waiting thread spins before it parks: longer spins gain nothing on a quiet
   * machine and lose with a core busy elsewhere, because the spinner takes the CPU the
   * descheduled thread needs (docs/benchmarks.md).
   */
  private static final long SPIN_NANOS = 20_000;

  /** Tasks one claim word can count; larger runs go in rounds of this many. */
  static final int MAX_TASKS = (1 << 20) - 1;

  private final int parallelism;
  private final Thread[] workers;
  /**
   * The current round in one word, so a thread never pairs one round's claims with another's:
   * generation (bits 40-63), the first task claimed from the back (bits 20-39; the task count
   * until one is), the next task from the front (0-19).
   */
  private final AtomicLong claim = new AtomicLong();
  private final AtomicInteger completed = new AtomicInteger();
  private volatile int tasks;
  /** Whether odd workers claim the current round's tasks from the back (see {@link #runSpread}). */
  private volatile boolean spread;
  private volatile Task task;
  /** Added to every task index of the current round (rounds of {@link #MAX_TASKS}). */
  private volatile int base;
  private volatile Thread caller;
  private volatile boolean closed;
  private volatile Throwable failure;
  private int generation;

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
    run(n, t, false);
  }

  /**
   * {@link #run}, with even workers (the caller first) claiming tasks from the front and odd ones
   * from the back. For tasks that touch the same data every time they run (a weight's column
   * blocks, minibatch after minibatch), each thread then tends to get the same ones, and their
   * data stays in its core's cache. Shards and
   * evaluation chunks keep claiming from the front: their data changes every round (claiming
   * them from both ends too slowed the default run).
   */
  void runSpread(int n, Task t) {
    run(n, t, true);
  }

  private void run(int n, Task t, boolean fromBothEnds) {
    if (parallelism == 1 || n == 1) {
      for (int i = 0; i < n; i++) {
        t.run(i, 0);
      }
      return;
    }
    for (int from = 0; from < n; from += MAX_TASKS) {
      round(from, Math.min(MAX_TASKS, n - from), t, fromBothEnds);
    }
  }

  private void round(int from, int n, Task t, boolean fromBothEnds) {
    task = t;
    base = from;
    tasks = n;
    spread = fromBothEnds;
    failure = null;
    caller = Thread.currentThread();
    completed.set(0);
    generation = (generation + 1) & 0xFFFFFF;
    claim.set(((long) generation << 40) | ((long) n << 20)); // publishes the fields above
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    work(generation, 0);
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

  private static int generationOf(long claim) {
    return (int) (claim >>> 40);
  }

  /**
   * Claims and runs tasks of round {@code gen} until none is left. The round's fields are read
   * before the claim's compare-and-set: if it succeeds, the round was not over when they were
   * read (a round's claims only grow), so they are that round's.
   */
  private void work(int gen, int worker) {
    while (true) {
      long c = claim.get();
      int back = (int) (c >>> 20) & MAX_TASKS;
      int front = (int) c & MAX_TASKS;
      if (generationOf(c) != gen || front >= back) {
        return;
      }
      Task t = task;
      int offset = base;
      int n = tasks;
      boolean fromBack = spread && (worker & 1) == 1;
      if (!claim.compareAndSet(c, fromBack ? c - (1L << 20) : c + 1)) {
        continue;
      }
      int i = fromBack ? back - 1 : front;
      try {
        t.run(offset + i, worker);
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
      while ((gen = generationOf(claim.get())) == seen && !closed) {
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
      work(gen, worker);
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
