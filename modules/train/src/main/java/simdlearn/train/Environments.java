package simdlearn.train;

import simdlearn.kernel.Kernels;
import simdlearn.report.RunLine;

/** The run line's description of the JVM, OS and vector hardware. */
final class Environments {
  private Environments() {}

  static RunLine.Environment current(Kernels k) {
    Kernels vector = Kernels.bestAvailable();
    String version = Trainer.class.getModule().getDescriptor() == null ? "dev"
        : Trainer.class.getModule().getDescriptor().rawVersion().orElse("dev");
    String species = vector.description();
    return new RunLine.Environment(System.getProperty("java.version"),
        System.getProperty("java.vendor"), System.getProperty("java.vm.name"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        species.substring(species.indexOf('(') + 1, species.lastIndexOf(')') < 0 ? species.length()
            : species.lastIndexOf(')')),
        vector.lanes() * Float.SIZE, k.description(), version);
  }
}
