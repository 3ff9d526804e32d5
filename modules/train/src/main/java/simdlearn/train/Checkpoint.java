package simdlearn.train;

import java.util.List;
import simdlearn.optim.OptimizerState;
import simdlearn.report.EpochLine;
import simdlearn.report.RunLine;

/**
 * Everything a run needs to continue after its last completed epoch: the run line and the epoch
 * lines so far, every parameter's values (in the network's order) and the optimizer's state.
 * Nothing else is needed: the shuffle order, the dropout masks and the learning-rate schedule are
 * functions of the seed and the epoch, so a resumed run gives the same figures as one that never
 * stopped.
 *
 * <p>The record holds the parameter arrays it is given, not copies: the trainer hands its sink
 * the arrays of its own snapshot, which it writes again after that save (see {@link Sink}).
 */
public record Checkpoint(RunLine run, List<EpochLine> epochs, List<float[]> parameters,
    OptimizerState optimizer) {
  public Checkpoint {
    epochs = List.copyOf(epochs);
    parameters = List.copyOf(parameters);
  }

  /** This checkpoint with copies of its parameter arrays, to keep past a {@link Sink#save}. */
  public Checkpoint copy() {
    return new Checkpoint(run, epochs, parameters.stream().map(float[]::clone).toList(),
        optimizer);
  }

  public int epochsCompleted() {
    return epochs.size();
  }

  /**
   * The checkpoint of a run continued on {@code threads} threads: its run line says so (the
   * figures do not depend on it).
   */
  public Checkpoint onThreads(int threads) {
    return new Checkpoint(run.withThreads(threads), epochs, parameters, optimizer);
  }

  /**
   * The checkpoint of a run continued on {@code engine} (null: the trainer's own shards): its
   * run line says so. A partitioned run gives the same figures on any engine.
   */
  public Checkpoint onEngine(RunLine.Engine engine) {
    return new Checkpoint(run.withEngine(engine), epochs, parameters, optimizer);
  }

  /**
   * Receives a checkpoint after each completed epoch (the command line writes it to a file).
   *
   * <p>The parameter arrays are lent for the save: the trainer copies the next epochs' values
   * into the same arrays once this save has returned (no new copy of the model every epoch: for
   * ResNet-18 that was 45 MB of old-generation garbage each time). A sink that keeps a
   * checkpoint past its save keeps {@link Checkpoint#copy()}.
   */
  public interface Sink {
    void save(Checkpoint c) throws java.io.IOException;

    Sink NONE = c -> { };
  }
}
