package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Partitions cut as Spark's parallelize slices, and minibatches sorted into their shards. */
class PartitionsTest {
  @Test
  void partitionsAreSparksSlices() {
    // ParallelCollectionRDD.slice: partition i holds [i * n / p, (i + 1) * n / p).
    Partitions cut = new Partitions(10, 4);
    assertEquals(4, cut.count());
    int[] starts = {0, 2, 5, 7, 10};
    for (int p = 0; p < 4; p++) {
      assertEquals(starts[p], cut.start(p));
      assertEquals(starts[p + 1], cut.end(p));
      for (int row = cut.start(p); row < cut.end(p); row++) {
        assertEquals(p, cut.of(row));
      }
    }
    Partitions big = new Partitions(60_000, 7);
    assertEquals(60_000 * 3 / 7, big.start(3), "no int overflow on large sets");
  }

  @Test
  void aMinibatchSplitsIntoShardsInItsOwnOrder() {
    Partitions cut = new Partitions(10, 4);
    int[] order = {9, 0, 4, 3, 8, 1, 2, 7, 6, 5};
    int[][] shards = new int[4][5];
    int[] counts = new int[4];
    int[] offsets = new int[4];
    cut.split(order, 1, 5, shards, counts, offsets); // rows 0, 4, 3, 8, 1
    assertArrayEquals(new int[] {2, 2, 0, 1}, counts);
    assertArrayEquals(new int[] {0, 2, 4, 4}, offsets);
    assertArrayEquals(new int[] {0, 1}, java.util.Arrays.copyOf(shards[0], 2));
    assertArrayEquals(new int[] {4, 3}, java.util.Arrays.copyOf(shards[1], 2));
    assertArrayEquals(new int[] {8}, java.util.Arrays.copyOf(shards[3], 1));
  }

  @Test
  void fewerRowsThanPartitionsIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Partitions(3, 4));
    assertEquals("the training set has 3 rows, fewer than the 4 partitions; use at most 3"
        + " partitions", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Partitions(3, 0));
  }

  @Test
  void aPartitionedRunIsTheSameBitsOnAnyThreadCount() {
    ModelOptions mlp = Runs.with().hidden(java.util.List.of(32)).dropout(java.util.List.of(0.3))
        .build();
    TrainingResult[] runs = new TrainingResult[3];
    int[] threads = {1, 2, 3};
    for (int i = 0; i < 3; i++) {
      TrainingConfig cfg = Runs.book("mlp", mlp).epochs(2).batchSize(64).shards(5)
          .threads(threads[i]).build();
      runs[i] = Runs.train(cfg, TrainingListener.NONE, "mlp", mlp,
          simdlearn.testkit.TinyData.images("tiny/train", 700, 7),
          simdlearn.testkit.TinyData.images("tiny/test", 100, 8));
    }
    for (int i = 1; i < 3; i++) {
      assertArrayEquals(TrainerTest.weights(runs[0]), TrainerTest.weights(runs[i]), 0f);
      assertEquals(TrainerTest.untimed(runs[0].epochs()),
          TrainerTest.untimed(runs[i].epochs()));
    }
    assertEquals(5, runs[0].run().settings().shards());
    assertEquals("local", runs[0].run().engine().name());
  }
}
