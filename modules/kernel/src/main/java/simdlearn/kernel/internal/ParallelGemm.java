package simdlearn.kernel.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * GEMM split over threads with the bits of one thread. C is cut into blocks of whole columns (at
 * multiples of a micro-panel) when it is wide enough for every part to pack its own columns of
 * B, else into blocks of whole rows (at multiples of the micro-kernel's rows); every element of C
 * is still the same FMA chain over k in the same order, since the kernels give an element bits
 * that do not depend on where it sits. The caller's thread computes the first part and helpers
 * from a shared pool of daemon threads the others; products too small to repay the hand-off
 * stay on the caller's thread.
 */
final class ParallelGemm {
  /**
   * Multiply-adds below which one thread is as fast (measured with 2 threads: 192^3 0.72x, 256^3
   * 1.12x, 512^3 1.74x; waking a parked helper costs tens of microseconds).
   */
  static final long MIN_WORK = 1L << 24;
  /** Multiply-adds each part should have, so mid-size products use fewer threads than asked. */
  static final long MIN_WORK_PER_PART = 1L << 23;

  private static final ExecutorService HELPERS = Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("simdlearn-gemm-", 1).factory());

  private ParallelGemm() {}

  /** One part of the product: rows [i0, i1) and columns [j0, j1) of C. */
  interface Block {
    void run(int i0, int i1, int j0, int j1);
  }

  /** How many parts {@code threads} threads should split an m x n x k product into. */
  static int parts(int threads, int m, int n, int k) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    long work = (long) m * n * k;
    if (threads == 1 || work < MIN_WORK) {
      return 1;
    }
    return (int) Math.min(threads, work / MIN_WORK_PER_PART);
  }

  /**
   * Runs {@code block} over {@code parts} parts of the m x n product: column blocks of whole
   * {@code colUnit}-wide groups when there are at least {@code minColUnits} of them per part,
   * else row blocks of whole {@code rowUnit}-row groups.
   */
  static void run(int parts, int m, int n, int rowUnit, int colUnit, int minColUnits,
      Block block) {
    int colUnits = (n + colUnit - 1) / colUnit;
    boolean byColumns = colUnits >= (long) parts * minColUnits;
    int units = byColumns ? colUnits : (m + rowUnit - 1) / rowUnit;
    parts = Math.min(parts, units);
    int extent = byColumns ? n : m;
    int unit = byColumns ? colUnit : rowUnit;
    CountDownLatch done = new CountDownLatch(parts - 1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int p = 1; p < parts; p++) {
      int from = Math.min(extent, (int) ((long) units * p / parts) * unit);
      int to = Math.min(extent, (int) ((long) units * (p + 1) / parts) * unit);
      HELPERS.execute(() -> {
        try {
          runPart(byColumns, m, n, from, to, block);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          done.countDown();
        }
      });
    }
    int firstEnd = Math.min(extent, (int) ((long) units / parts) * unit);
    Throwable own = null;
    try {
      runPart(byColumns, m, n, 0, firstEnd, block);
    } catch (Throwable t) {
      own = t;
    }
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the helpers write into C: wait for them whatever happens
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable first = own != null ? own : failure.get();
    if (first instanceof RuntimeException r) {
      throw r;
    }
    if (first instanceof Error e) {
      throw e;
    }
    if (first != null) {
      throw new IllegalStateException(first);
    }
  }

  private static void runPart(boolean byColumns, int m, int n, int from, int to, Block block) {
    if (from >= to) {
      return;
    }
    if (byColumns) {
      block.run(0, m, from, to);
    } else {
      block.run(from, to, 0, n);
    }
  }
}
