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
 */
public record Checkpoint(RunLine run, List<EpochLine> epochs, List<float[]> parameters,
    OptimizerState optimizer) {
  public Checkpoint {
    epochs = List.copyOf(epochs);
    parameters = parameters.stream().map(float[]::clone).toList();
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

  /** Receives a checkpoint after each completed epoch (the command line writes it to a file). */
  public interface Sink {
    void save(Checkpoint c) throws java.io.IOException;

    Sink NONE = c -> { };
  }
}
