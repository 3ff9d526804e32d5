package simdlearn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Hands each epoch's checkpoint to its {@link Checkpoint.Sink}: a large one on a virtual thread,
 * so that the trainer goes on with the next epoch while the file is encoded and written, a small
 * one in line.
 *
 * <p>Saving an MLP's megabyte of parameters in line left the other shard thread with nothing to
 * do; in the background the save overlaps the next epoch's first minibatches, which the caller
 * runs alone while the save holds the other carrier. A small model's save is mostly file-system
 * calls, and in the background it slowed the next epoch by as much as it saved, so checkpoints
 * under {@link #BACKGROUND_MIN_FLOATS} are saved in line (figures in docs/benchmarks.md).
 *
 * <p>One save at a time, in order: {@link #submit} first waits for the previous one, so the file
 * never goes back to an older epoch. A failed save is thrown by the next {@link #submit} or by
 * {@link #close}, which waits for the last one: when training returns, its checkpoint is written.
 * A checkpoint holds copies ({@link Checkpoint}'s of the trainer's snapshot, which it writes
 * again only after this save; {@link simdlearn.optim.OptimizerState}), so training can change the
 * parameters while one is saved.
 */
final class CheckpointWriter implements AutoCloseable {
  /** Parameters (floats) from which a checkpoint is saved in the background. */
  static final long BACKGROUND_MIN_FLOATS = 1 << 16;

  /**
   * Parameters (floats) above which a checkpoint is saved in line again: saving in the background
   * needs a second copy of the model while the next epoch trains (ResNet-18's 45 MB), and a model
   * this large spends minutes an epoch, next to which the save in line is a fraction of a
   * percent (docs/benchmarks.md).
   */
  static final long BACKGROUND_MAX_FLOATS = 1 << 22;

  private final Checkpoint.Sink sink;
  private final boolean background;
  private Thread pending;
  private volatile Throwable failure;

  /** Saves checkpoints of {@code floats} parameters through {@code sink}. */
  CheckpointWriter(Checkpoint.Sink sink, long floats) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.background = floats >= BACKGROUND_MIN_FLOATS && floats <= BACKGROUND_MAX_FLOATS
        && sink != Checkpoint.Sink.NONE;
  }

  /**
   * Whether saves run in the background: then a checkpoint's arrays are read until the next
   * {@link #submit} returns, so its caller alternates two sets of them.
   */
  boolean inBackground() {
    return background;
  }

  /** Saves {@code c}, or starts saving it once the previous save is done; throws its failure. */
  void submit(Checkpoint c) {
    awaitPending();
    if (!background) {
      try {
        sink.save(c);
      } catch (IOException e) {
        throw failed(e);
      }
      return;
    }
    pending = Thread.ofVirtual().name("simdlearn-checkpoint").start(() -> {
      try {
        sink.save(c);
      } catch (Throwable e) {
        failure = e;
      }
    });
  }

  /** Waits for the last save and throws its failure, if any. */
  @Override
  public void close() {
    awaitPending();
  }

  private void awaitPending() {
    Thread t = pending;
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the file must be whole before anyone reads it: finish waiting
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    pending = null;
    Throwable f = failure;
    failure = null;
    if (f instanceof IOException io) {
      throw failed(io);
    }
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
  }

  private static UncheckedIOException failed(IOException e) {
    return new UncheckedIOException("cannot write the checkpoint: " + e.getMessage(), e);
  }
}
