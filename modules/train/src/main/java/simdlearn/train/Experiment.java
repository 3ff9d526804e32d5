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
 */
public record Experiment(Model model, Dataset train, Dataset test, Objective objective,
    ModelOptions options, UnaryOperator<SummaryLine> finish) {

  public Experiment {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(finish, "finish");
  }

  /** An experiment whose summary adds nothing. */
  public Experiment(Model model, Dataset train, Dataset test, Objective objective,
      ModelOptions options) {
    this(model, train, test, objective, options, UnaryOperator.identity());
  }
}
