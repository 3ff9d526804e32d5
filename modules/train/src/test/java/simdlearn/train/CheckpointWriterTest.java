package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import simdlearn.testkit.TinyData;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.Backend;
import simdlearn.optim.OptimizerState;
import simdlearn.report.EpochLine;

class CheckpointWriterTest {
  /** Parameters enough for background saves. */
  private static final long LARGE = CheckpointWriter.BACKGROUND_MIN_FLOATS;

  /** A checkpoint after {@code epochs} epochs (only its epoch count matters here). */
  private static Checkpoint after(int epochs) {
    List<EpochLine> lines = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      lines.add(new EpochLine(e, 1.0, null, null, null, 0.1, 0.01, 0.0, 1.0));
    }
    return new Checkpoint(null, lines, List.of(new float[] {epochs}),
        new OptimizerState("sgd", epochs, Map.of()));
  }

  @Test
  void savesInOrderOneAtATimeAndAllAreDoneAtClose() {
    List<Integer> saved = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlapped = new AtomicInteger();
    Checkpoint.Sink slow = c -> {
      if (running.incrementAndGet() > 1) {
        overlapped.incrementAndGet();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      saved.add(c.epochsCompleted());
      running.decrementAndGet();
    };
    try (CheckpointWriter w = new CheckpointWriter(slow, LARGE)) {
      for (int e = 1; e <= 4; e++) {
        w.submit(after(e));
      }
    }
    assertEquals(List.of(1, 2, 3, 4), saved);
    assertEquals(0, overlapped.get());
  }

  @Test
  void theCallerGoesOnWhileACheckpointIsSaved() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Checkpoint.Sink blocked = c -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    CheckpointWriter w = new CheckpointWriter(blocked, LARGE);
    w.submit(after(1)); // returns although the save cannot finish yet
    started.await();
    release.countDown();
    w.close();
  }

  @Test
  void aFailedSaveFailsTheNextSubmitWithTheCause() {
    Checkpoint.Sink full = c -> {
      if (c.epochsCompleted() == 1) {
        throw new IOException("No space left on device");
      }
    };
    CheckpointWriter w = new CheckpointWriter(full, LARGE);
    w.submit(after(1));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> w.submit(after(2)));
    assertEquals("cannot write the checkpoint: No space left on device", e.getMessage());
    w.close(); // the failure was reported once; the second save went through
  }

  @Test
  void aFailedLastSaveFailsClose() {
    CheckpointWriter w = new CheckpointWriter(c -> {
      throw new IOException("Read-only file system");
    }, LARGE);
    w.submit(after(1));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, w::close);
    assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
  }

  @Test
  void aSmallCheckpointIsSavedBeforeSubmitReturnsAndFailsIt() {
    List<Integer> saved = new ArrayList<>();
    CheckpointWriter w = new CheckpointWriter(c -> {
      if (c.epochsCompleted() == 2) {
        throw new IOException("Permission denied");
      }
      saved.add(c.epochsCompleted());
    }, LARGE - 1);
    w.submit(after(1));
    assertEquals(List.of(1), saved);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> w.submit(after(2)));
    assertEquals("cannot write the checkpoint: Permission denied", e.getMessage());
    w.close();
  }

  @Test
  void trainingReturnsOnlyOnceItsLastCheckpointIsSaved() {
    // 36 pixels -> 2048 -> 3 classes: 81,923 parameters, saved in the background.
    TrainingConfig mlp = TrainerTest.tiny(2, Backend.VECTOR).toBuilder().lr(0.1f).build();
    ModelOptions wide = Runs.with().hidden(List.of(2048)).build();
    ImageDataset train = TinyData.images("train", 300, 1);
    ImageDataset test = TinyData.images("test", 60, 2);
    List<Integer> saved = Collections.synchronizedList(new ArrayList<>());
    TrainingResult r = new Trainer(mlp, TrainingListener.NONE)
        .checkpointingTo(c -> {
          try {
            Thread.sleep(30); // slower than an epoch of this model
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          saved.add(c.epochsCompleted());
        })
        .train(Runs.experiment(mlp, "mlp", wide, train, test));
    assertEquals(List.of(1, 2, 3, 4), saved);
    assertEquals(4, r.epochs().size());
    long floats = 0;
    for (var p : r.model().network().parameters()) {
      floats += p.value().size();
    }
    assertTrue(floats >= LARGE, floats + " parameters: saved in line, not in the background");
  }

  @Test
  void aVeryLargeCheckpointIsSavedInLineAgain() {
    List<Integer> saved = new ArrayList<>();
    CheckpointWriter big = new CheckpointWriter(c -> saved.add(c.epochsCompleted()),
        CheckpointWriter.BACKGROUND_MAX_FLOATS + 1);
    assertFalse(big.inBackground());
    big.submit(after(1));
    assertEquals(List.of(1), saved, "saved before submit returned");
    big.close();
    assertTrue(new CheckpointWriter(c -> { }, CheckpointWriter.BACKGROUND_MAX_FLOATS)
        .inBackground());
  }

  /**
   * The trainer lends its snapshot arrays to the sink: saved in the background, consecutive
   * epochs' checkpoints use two sets in turn (a save still reads its set while the next epoch
   * trains and ends; the writer waits for it before the set comes round again), and a sink that
   * keeps copies keeps every epoch's values.
   */
  @Test
  void backgroundSavesReadTwoSetsOfArraysInTurn() {
    TrainingConfig mlp = TrainerTest.tiny(2, Backend.VECTOR).toBuilder().lr(0.1f).build();
    ModelOptions wide = Runs.with().hidden(List.of(2048)).build();
    List<float[]> lent = Collections.synchronizedList(new ArrayList<>());
    List<Checkpoint> kept = Collections.synchronizedList(new ArrayList<>());
    TrainingResult r = new Trainer(mlp, TrainingListener.NONE)
        .checkpointingTo(c -> {
          lent.add(c.parameters().get(0));
          kept.add(c.copy());
        })
        .train(Runs.experiment(mlp, "mlp", wide, TinyData.images("train", 300, 1),
            TinyData.images("test", 60, 2)));
    assertEquals(4, kept.size());
    for (int e = 1; e < 4; e++) {
      assertNotSame(lent.get(e - 1), lent.get(e), "epochs " + e + " and " + (e + 1));
      assertFalse(Arrays.equals(kept.get(e - 1).parameters().get(0),
          kept.get(e).parameters().get(0)), "epochs " + e + " and " + (e + 1));
    }
    assertSame(lent.get(0), lent.get(2), "two sets, not one per epoch");
    assertArrayEquals(r.model().network().state().get(0).value().toArray(),
        kept.get(3).parameters().get(0), 0f, "the last checkpoint holds the final model");
  }
}
