/**
 * The {@code simdlearn} command line on the training library: {@code train}, {@code predict},
 * {@code report}, {@code export} and {@code show}, their run directories, console output and
 * pictures, and the JIT warm-up the launcher's short runs need.
 */
module simdlearn.app {
  requires simdlearn.train;
  requires simdlearn.onnx;
  requires simdlearn.fetch;
  requires simdlearn.console;
  requires info.picocli;
  requires org.jfree.jfreechart;
  requires org.jfree.svg;
  requires java.desktop;
  requires java.management; // the JVM's start time, for the summary line

  uses simdlearn.train.EngineProvider;

  opens simdlearn.app to info.picocli;
}
