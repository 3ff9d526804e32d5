/**
 * The training library of simdlearn: models and their recipes (softmax and linear regression,
 * multilayer perceptrons, the book's chapter 3 and 4 experiments) on the network engine of
 * {@code simdlearn.nn}, the sharded minibatch trainer on virtual threads, metrics, checkpoints,
 * model files and JSON Lines report lines. No command line, pictures or launcher: those are
 * {@code simdlearn.app}'s.
 */
module simdlearn.train {
  requires transitive simdlearn.nn;
  requires transitive simdlearn.data;
  requires transitive simdlearn.report;
  requires com.fasterxml.jackson.databind;

  exports simdlearn.train;
  exports simdlearn.train.recipes;
  exports simdlearn.train.io;

  uses simdlearn.train.EngineProvider;

  opens simdlearn.train to com.fasterxml.jackson.databind;
}
