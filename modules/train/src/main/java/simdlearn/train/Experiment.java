package simdlearn.train;

import java.util.Objects;
import java.util.function.UnaryOperator;
import simdlearn.data.Dataset;
import simdlearn.report.SummaryLine;

/**
 * One training job: a model, its data, what it is trained to output, the model's options (for the
 * report) and what its summary adds (the learned weights of a polynomial, say). A
 * {@link Recipe} builds one; {@link Trainer#train(Experiment)} runs it.
 *
 * @param test evaluated after every epoch; null when the experiment has none
 * @param options the model's resolved options, recorded in the report's settings
 * @param finish adds the experiment's own figures to the summary of a completed run
 * @param initialWeights where the network's initial parameters came from (a model file), for
 *     the report; null when they were drawn from the seed
 */
public record Experiment(Model model, Dataset train, Dataset test, Objective objective,
    ModelOptions options, UnaryOperator<SummaryLine> finish, String initialWeights) {

  public Experiment {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(finish, "finish");
  }

  /** An experiment whose network was initialised from the seed. */
  public Experiment(Model model, Dataset train, Dataset test, Objective objective,
      ModelOptions options, UnaryOperator<SummaryLine> finish) {
    this(model, train, test, objective, options, finish, null);
  }

  /** This experiment, its network's parameters having been loaded from {@code source}. */
  public Experiment startingFrom(String source) {
    return new Experiment(model, train, test, objective, options, finish, source);
  }

  /** An experiment whose summary adds nothing. */
  public Experiment(Model model, Dataset train, Dataset test, Objective objective,
      ModelOptions options) {
    this(model, train, test, objective, options, UnaryOperator.identity());
  }
}
