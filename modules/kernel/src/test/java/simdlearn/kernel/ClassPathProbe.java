package simdlearn.kernel;

/** Run in a child JVM on the class path by {@link VectorAvailabilityTest}: what a user sees. */
public final class ClassPathProbe {
  private ClassPathProbe() {}

  public static void main(String[] args) {
    try {
      System.out.println("vector: " + Kernels.vector().backend());
    } catch (UnsupportedOperationException e) {
      System.out.println("vector failed: " + e.getMessage());
    }
    System.out.println("available: " + Kernels.vectorAvailable());
    System.out.println("best: " + Kernels.bestAvailable().backend());
    System.out.println("best again: " + Kernels.bestAvailable().backend());
    try {
      System.out.println("default: " + Kernels.defaultKernels().backend());
    } catch (UnsupportedOperationException e) {
      System.out.println("default failed: " + e.getMessage());
    }
  }
}
