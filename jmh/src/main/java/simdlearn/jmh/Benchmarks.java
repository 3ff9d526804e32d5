package simdlearn.jmh;

import java.util.Random;

/** Helpers shared by the benchmarks. */
final class Benchmarks {
  private Benchmarks() {}

  static float[] randomArray(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2f - 1f;
    }
    return a;
  }
}
