package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The shard pool runs every task once, whoever is slow. */
class ShardPoolTest {
  @Test
  void spreadRoundsGiveTheCallerTheFrontAndAnOddWorkerTheBack() {
    try (ShardPool pool = new ShardPool(2)) {
      int[] by = new int[64];
      CountDownLatch bothStarted = new CountDownLatch(2);
      pool.runSpread(64, (task, worker) -> {
        by[task] = worker;
        bothStarted.countDown();
        try {
          // Keep each thread on its first task until the other has one too.
          bothStarted.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertEquals(0, by[0], "the caller starts at the front");
      assertEquals(1, by[63], "the worker starts at the back");
    }
  }

  @Test
  void everyTaskRunsExactlyOnceBatchAfterBatch() {
    try (ShardPool pool = new ShardPool(3)) {
      // Task counts that rise and fall from one batch to the next, claimed from the front or
      // from both ends: a worker must never pair one batch's count or mode with another's claims.
      for (int batch = 0; batch < 20_000; batch++) {
        int n = 1 + (batch * 7919) % 13;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        if (batch % 3 == 0) {
          pool.runSpread(n, (task, worker) -> runs.incrementAndGet(task));
        } else {
          pool.run(n, (task, worker) -> runs.incrementAndGet(task));
        }
        for (int i = 0; i < n; i++) {
          assertEquals(1, runs.get(i), "batch " + batch + " task " + i);
        }
      }
    }
  }

  @Test
  void aStalledThreadHoldsOnlyItsOwnTask() throws Exception {
    // One task blocks its thread; the batch's other 40 tasks are claimed by the others
    // meanwhile, instead of waiting for a fixed share assigned to the stalled thread.
    try (ShardPool pool = new ShardPool(2)) {
      CountDownLatch othersDone = new CountDownLatch(40);
      AtomicIntegerArray by = new AtomicIntegerArray(2);
      pool.run(41, (task, worker) -> {
        if (task == 0) {
          try {
            assertTrue(othersDone.await(10, TimeUnit.SECONDS), "the others ran meanwhile");
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        } else {
          by.incrementAndGet(worker);
          othersDone.countDown();
        }
      });
      assertEquals(40, by.get(0) + by.get(1));
    }
  }

  @Test
  void aFailureReachesTheCallerAndThePoolGoesOn() {
    try (ShardPool pool = new ShardPool(2)) {
      IllegalStateException boom = new IllegalStateException("boom");
      var thrown = assertThrows(IllegalStateException.class, () -> pool.run(10, (t, w) -> {
        if (t == 7) {
          throw boom;
        }
      }));
      assertSame(boom, thrown);
      AtomicIntegerArray runs = new AtomicIntegerArray(10);
      pool.run(10, (task, worker) -> runs.incrementAndGet(task));
      assertEquals(10, java.util.stream.IntStream.range(0, 10).map(runs::get).sum());
    }
  }
}
