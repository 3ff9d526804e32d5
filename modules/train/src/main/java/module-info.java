/**
 * Training for simdlearn: models (softmax and linear regression, multilayer perceptrons) on the
 * network engine of {@code simdlearn.nn}, the sharded minibatch trainer on virtual threads,
 * metrics, JSON Lines epoch reports, model files, plots and the {@code simdlearn} command line.
 */
module simdlearn.train {
  requires transitive simdlearn.nn;
  requires transitive simdlearn.data;
  requires simdlearn.fetch;
  requires com.fasterxml.jackson.databind;
  requires info.picocli;
  requires me.tongfei.progressbar;
  requires org.jfree.jfreechart;
  requires org.jfree.svg;
  requires java.desktop;

  exports simdlearn.train;
  exports simdlearn.train.report;

  opens simdlearn.train.report to com.fasterxml.jackson.databind;
  opens simdlearn.train to com.fasterxml.jackson.databind;
  opens simdlearn.train.cli to info.picocli;
}
