import jdk.incubator.vector.*;
/**
 * The micro-kernel experiment behind PackedGemm (docs/benchmarks.md): one 6 x 2-vector FMA kernel
 * with its A operand read four ways, against one packed 32-wide B panel that stays in L1, over
 * the row panels of a 128-row shard. Prints GFLOP/s (best of three 0.6 s rounds) per layout.
 * Run: java --add-modules jdk.incubator.vector jmh/harness/MicroKernels.java [KC ...]
 */
public class MicroKernels {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  // A row-major in place: rows lda apart, p contiguous. B packed 32 wide.
  static void rowA(int kc, float[] a, int ao, int lda, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c00=FloatVector.zero(S),c01=c00,c10=c00,c11=c00,c20=c00,c21=c00,c30=c00,c31=c00,c40=c00,c41=c00,c50=c00,c51=c00;
    int a0=ao,a1=ao+lda,a2=ao+2*lda,a3=ao+3*lda,a4=ao+4*lda,a5=ao+5*lda;
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * 32;
      FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + 16);
      FloatVector x = FloatVector.broadcast(S, a[a0+p]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1+p]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2+p]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3+p]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4+p]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5+p]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
    }
    st(c,co,c00);st(c,co+16,c01);st(c,co+ldc,c10);st(c,co+ldc+16,c11);st(c,co+2*ldc,c20);st(c,co+2*ldc+16,c21);
    st(c,co+3*ldc,c30);st(c,co+3*ldc+16,c31);st(c,co+4*ldc,c40);st(c,co+4*ldc+16,c41);st(c,co+5*ldc,c50);st(c,co+5*ldc+16,c51);
  }
  // A transposed in place: element (r, p) at a[ao + p*lda + r]. B packed.
  static void transA(int kc, float[] a, int ao, int lda, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c00=FloatVector.zero(S),c01=c00,c10=c00,c11=c00,c20=c00,c21=c00,c30=c00,c31=c00,c40=c00,c41=c00,c50=c00,c51=c00;
    for (int p = 0, ap = ao; p < kc; p++, ap += lda) {
      int bi = bo + p * 32;
      FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + 16);
      FloatVector x = FloatVector.broadcast(S, a[ap]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap+1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap+2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap+3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap+4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap+5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
    }
    st(c,co,c00);st(c,co+16,c01);st(c,co+ldc,c10);st(c,co+ldc+16,c11);st(c,co+2*ldc,c20);st(c,co+2*ldc+16,c21);
    st(c,co+3*ldc,c30);st(c,co+3*ldc+16,c31);st(c,co+4*ldc,c40);st(c,co+4*ldc+16,c41);st(c,co+5*ldc,c50);st(c,co+5*ldc+16,c51);
  }
  // Both packed.
  static void packed(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
    FloatVector c00=FloatVector.zero(S),c01=c00,c10=c00,c11=c00,c20=c00,c21=c00,c30=c00,c31=c00,c40=c00,c41=c00,c50=c00,c51=c00;
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * 32; int ai = ao + p * 6;
      FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + 16);
      FloatVector x = FloatVector.broadcast(S, a[ai]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ai+1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ai+2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ai+3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ai+4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ai+5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
    }
    st(c,co,c00);st(c,co+16,c01);st(c,co+ldc,c10);st(c,co+ldc+16,c11);st(c,co+2*ldc,c20);st(c,co+2*ldc+16,c21);
    st(c,co+3*ldc,c30);st(c,co+3*ldc+16,c31);st(c,co+4*ldc,c40);st(c,co+4*ldc+16,c41);st(c,co+5*ldc,c50);st(c,co+5*ldc+16,c51);
  }
  // General 6x2: A element (r,p) at a[ao + r*rsA + p*csA]; B row p at b[bo + p*ldb]
  static void generic(int kc, float[] a, int ao, int rsA, int csA, float[] b, int bo, int ldb, float[] c, int co, int ldc) {
    FloatVector c00=FloatVector.zero(S),c01=c00,c10=c00,c11=c00,c20=c00,c21=c00,c30=c00,c31=c00,c40=c00,c41=c00,c50=c00,c51=c00;
    int a0=ao,a1=ao+rsA,a2=ao+2*rsA,a3=ao+3*rsA,a4=ao+4*rsA,a5=ao+5*rsA;
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * ldb; int ap = p * csA;
      FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + 16);
      FloatVector x = FloatVector.broadcast(S, a[a0+ap]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1+ap]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2+ap]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3+ap]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4+ap]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5+ap]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
    }
    st(c,co,c00);st(c,co+16,c01);st(c,co+ldc,c10);st(c,co+ldc+16,c11);st(c,co+2*ldc,c20);st(c,co+2*ldc+16,c21);
    st(c,co+3*ldc,c30);st(c,co+3*ldc+16,c31);st(c,co+4*ldc,c40);st(c,co+4*ldc+16,c41);st(c,co+5*ldc,c50);st(c,co+5*ldc+16,c51);
  }
  static void st(float[] c, int o, FloatVector v) { v.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); }

  public static void main(String[] args) {
    for (String arg : args.length == 0 ? new String[] {"128", "256", "784"} : args) {
      run(Integer.parseInt(arg));
    }
  }

  static void run(int kc) {
    int lda = 784;
    String[] names = {"packed A", "row-major A in place", "transposed A in place",
        "generic strides, packed B"};
    for (int round = 0; round < 3; round++) for (int v = 0; v < names.length; v++) {
      int panels = 21;  // 126 rows of a 128-row shard
      float[] a = new float[panels * 6 * lda + kc * lda + 64]; float[] b = new float[kc * 32]; float[] c = new float[panels * 6 * 32];
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < a.length; i++) a[i] = r.nextFloat(); for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
      long flops = 0; long t0 = System.nanoTime(); long end = t0 + 600_000_000L; long t;
      do {
        for (int q = 0; q < 100; q++) for (int pnl = 0; pnl < panels; pnl++) {
          switch (v) {
            case 0 -> packed(kc, a, pnl*kc*6, b, 0, c, pnl*192, 32);
            case 1 -> rowA(kc, a, pnl*6*lda, lda, b, 0, c, pnl*192, 32);
            case 2 -> transA(kc, a, pnl*6, lda, b, 0, c, pnl*192, 32);
            default -> generic(kc, a, pnl*6*lda, lda, 1, b, 0, 32, c, pnl*192, 32);
          }
        }
        flops += 100L * panels * 2L * 6 * 32 * kc; t = System.nanoTime(); } while (t < end);
      if (round == 2) System.out.printf("%-24s kc=%d  %.1f GFLOP/s%n", names[v], kc, flops / ((t - t0) / 1e9) / 1e9);
    }
  }
}
