/**
 * Training for simdlearn: models (softmax and linear regression, multilayer perceptrons) on the
 * network engine of {@code simdlearn.nn}, the sharded minibatch trainer on virtual threads,
 * metrics, JSON Lines epoch reports, model files, plots and the {@code simdlearn} command line.
 */
module simdlearn.train {
  requires transitive simdlearn.nn;
  requires transitive simdlearn.data;
  requires transitive simdlearn.report;
  requires simdlearn.fetch;
  requires com.fasterxml.jackson.databind;
  requires info.picocli;
  requires simdlearn.console;
  requires org.jfree.jfreechart;
  requires org.jfree.svg;
  requires java.desktop;
  requires java.management; // the JVM's start time, for the summary line

  exports simdlearn.train;

  opens simdlearn.train to com.fasterxml.jackson.databind;
  opens simdlearn.train.cli to info.picocli;
}
