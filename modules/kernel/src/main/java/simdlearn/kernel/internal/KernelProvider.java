package simdlearn.kernel.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;

/**
 * Picks the implementations once, at class initialisation, so every call site sees
 * {@code static final} instances that the JIT can inline through.
 */
public final class KernelProvider {
  public static final TrainingKernels SCALAR = new ScalarKernels();
  /** Why the vector kernels cannot load, or null when they can. */
  private static final String VECTOR_MISSING = vectorMissing();
  /** The vector kernels; null when {@code jdk.incubator.vector} is not readable. */
  private static final TrainingKernels VECTOR = VECTOR_MISSING == null ? new VectorKernels() : null;
  /** Why the {@value Backend#PROPERTY} property cannot be used, or null. */
  private static final String BAD_PROPERTY = badProperty();
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private KernelProvider() {}

  /**
   * Null when {@code jdk.incubator.vector} can be used, else what to do. On the module path,
   * {@code requires simdlearn.kernel} brings the module in; on the class path the JVM must be
   * told with {@code --add-modules jdk.incubator.vector}.
   */
  private static String vectorMissing() {
    try {
      return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() > 0 ? null
          : "the Vector API reports no float vectors on this CPU";
    } catch (LinkageError e) {
      return "the Vector API module jdk.incubator.vector is not in this JVM (" + e + "): run"
          + " java with --add-modules jdk.incubator.vector (on the module path, 'requires"
          + " simdlearn.kernel' brings it in), or use Kernels.bestAvailable() to fall back to"
          + " the scalar kernels";
    }
  }

  public static boolean vectorAvailable() {
    return VECTOR != null;
  }

  /**
   * The vector kernels.
   *
   * @throws UnsupportedOperationException saying what to add to the command line, when the
   *     Vector API is not available: never a silent fall-back to scalar code
   */
  public static TrainingKernels vector() {
    if (VECTOR == null) {
      throw new UnsupportedOperationException(VECTOR_MISSING);
    }
    return VECTOR;
  }

  /** The vector kernels, else the scalar ones, with one logged warning saying why. */
  public static TrainingKernels bestAvailable() {
    if (VECTOR != null) {
      return VECTOR;
    }
    if (WARNED.compareAndSet(false, true)) {
      System.getLogger("simdlearn.kernel").log(Level.WARNING, "using the scalar kernels, about"
          + " 10-40x slower: " + VECTOR_MISSING);
    }
    return SCALAR;
  }

  /**
   * The process-wide default kernels: the scalar ones if the {@value Backend#PROPERTY} property
   * says {@code scalar}, the vector ones if it says {@code vector} (failing if they cannot load),
   * else the best available.
   *
   * @throws IllegalArgumentException if the {@value Backend#PROPERTY} system property names no
   *     backend (thrown here, on use, rather than as an ExceptionInInitializerError)
   */
  public static TrainingKernels defaults() {
    if (BAD_PROPERTY != null) {
      throw new IllegalArgumentException(BAD_PROPERTY);
    }
    String prop = System.getProperty(Backend.PROPERTY);
    if (prop == null || prop.isBlank()) {
      return bestAvailable();
    }
    return Backend.parse(prop) == Backend.SCALAR ? SCALAR : vector();
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
}
