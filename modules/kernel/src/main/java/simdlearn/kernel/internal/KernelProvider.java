package simdlearn.kernel.internal;

import java.lang.System.Logger.Level;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Picks the implementations once, at class initialisation, so every call site sees
 * {@code static final} instances that the JIT can inline through.
 */
public final class KernelProvider {
  public static final TrainingKernels SCALAR = new ScalarKernels();
  public static final TrainingKernels VECTOR = loadVector();
  /** Why the {@value Backend#PROPERTY} property cannot be used, or null. */
  private static final String BAD_PROPERTY = badProperty();
  private static final TrainingKernels DEFAULT = chooseDefault();

  private KernelProvider() {}

  /**
   * The vector kernels, or the scalar ones when {@code jdk.incubator.vector} is not readable (a
   * caller on the class path that forgot {@code --add-modules jdk.incubator.vector}).
   */
  private static TrainingKernels loadVector() {
    try {
      return new VectorKernels();
    } catch (LinkageError e) {
      System.getLogger("simdlearn.kernel").log(Level.WARNING,
          "jdk.incubator.vector is not available (" + e
              + "); using scalar kernels. Run with --add-modules jdk.incubator.vector.");
      return SCALAR;
    }
  }

  /**
   * The process-wide default kernels.
   *
   * @throws IllegalArgumentException if the {@value Backend#PROPERTY} system property names no
   *     backend (thrown here, on use, rather than as an ExceptionInInitializerError)
   */
  public static TrainingKernels defaults() {
    if (BAD_PROPERTY != null) {
      throw new IllegalArgumentException(BAD_PROPERTY);
    }
    return DEFAULT;
  }

  private static String badProperty() {
    String prop = System.getProperty(Backend.PROPERTY);
    try {
      if (prop != null && !prop.isBlank()) {
        Backend.parse(prop);
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "-D" + Backend.PROPERTY + "=" + prop + ": " + e.getMessage();
    }
  }

  private static TrainingKernels chooseDefault() {
    String prop = System.getProperty(Backend.PROPERTY);
    if (BAD_PROPERTY != null || prop == null || prop.isBlank()) {
      return VECTOR;
    }
    return Backend.parse(prop) == Backend.SCALAR ? SCALAR : VECTOR;
  }
}
