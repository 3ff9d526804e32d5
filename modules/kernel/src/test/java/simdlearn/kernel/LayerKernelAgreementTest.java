package simdlearn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.kernel.training.Windows;

/**
 * The layers' element-wise kernels (a convolution's rows copied, with or without their bias,
 * batch normalisation's passes, 2 x 2 average pooling) give the scalar reference's bits: their
 * vector versions only move the same operations into lanes, so a model trains to the same file
 * with either. Shapes below one vector, with tails, planes of one value (features), odd pool
 * sizes.
 */
class LayerKernelAgreementTest {
  static final TrainingKernels V = TrainingKernels.vector();
  static final TrainingKernels S = TrainingKernels.scalar();
  static final int L = FloatVector.SPECIES_PREFERRED.length();
  static final int[] PLANES = {1, 2, 3, L - 1, L, L + 1, 2 * L + 3, 64, 100, 576};

  static float[] random(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextFloat() * 4f - 2f;
    }
    return x;
  }

  @Test
  void copiedRowsWithTheirBiasAgree() {
    Random r = new Random(41);
    for (int trial = 0; trial < 60; trial++) {
      int rows = 1 + r.nextInt(6);
      int cols = PLANES[trial % PLANES.length];
      int lds = cols + r.nextInt(5);
      int ldd = cols + r.nextInt(3);
      float beta = r.nextFloat() - 0.5f;
      float[] src = random(r, 3 + rows * lds);
      float[] ds = random(r, 2 + rows * ldd);
      float[] dv = ds.clone();
      S.copyRowsAdding(rows, cols, src, 3, lds, beta, ds, 2, ldd);
      V.copyRowsAdding(rows, cols, src, 3, lds, beta, dv, 2, ldd);
      assertArrayEquals(ds, dv, rows + "x" + cols);
      // In place, as a convolution adds its bias to planes it has just transposed.
      float[] ps = src.clone();
      float[] pv = src.clone();
      S.copyRowsAdding(rows, cols, ps, 3, lds, beta, ps, 3, lds);
      V.copyRowsAdding(rows, cols, pv, 3, lds, beta, pv, 3, lds);
      assertArrayEquals(ps, pv, "in place " + rows + "x" + cols);
    }
  }

  @Test
  void copiedRowsKeepEveryBit() {
    // A pure copy: -0 and NaN payloads come through, and nothing between the rows is written.
    Random r = new Random(47);
    for (int trial = 0; trial < 60; trial++) {
      int rows = 1 + r.nextInt(6);
      int cols = trial % 3 == 0 ? 10 : PLANES[trial % PLANES.length];
      int lds = cols + r.nextInt(5);
      int ldd = cols + r.nextInt(5);
      float[] src = random(r, 3 + rows * lds);
      for (int i = 0; i < src.length; i += 3) {
        src[i] = i % 2 == 0 ? -0f : Float.intBitsToFloat(0x7fc00000 | i);
      }
      float[] ds = random(r, 2 + rows * ldd);
      float[] dv = ds.clone();
      S.copyRows(rows, cols, src, 3, lds, ds, 2, ldd);
      V.copyRows(rows, cols, src, 3, lds, dv, 2, ldd);
      String shape = rows + "x" + cols + " (" + lds + " -> " + ldd + ")";
      for (int i = 0; i < ds.length; i++) {
        assertEquals(Float.floatToRawIntBits(ds[i]), Float.floatToRawIntBits(dv[i]),
            shape + " at " + i);
      }
      for (int y = 0; y < rows; y++) {
        for (int c = 0; c < cols; c++) {
          assertEquals(Float.floatToRawIntBits(src[3 + y * lds + c]),
              Float.floatToRawIntBits(dv[2 + y * ldd + c]), shape + " row " + y);
        }
      }
    }
  }

  @Test
  void batchNormalisationPassesAgree() {
    Random r = new Random(43);
    for (int trial = 0; trial < 80; trial++) {
      int n = 1 + r.nextInt(11);
      int channels = 1 + r.nextInt(L + 3);
      int plane = PLANES[trial % PLANES.length];
      int size = n * channels * plane;
      float[] x = random(r, 2 + size);
      float[] dy = random(r, 1 + size);
      float[] scale = random(r, channels);
      float[] shift = random(r, channels);
      String shape = n + "x" + channels + "x" + plane;

      float[] os = new float[3 + size];
      float[] ov = new float[3 + size];
      S.channelAffine(n, channels, plane, x, 2, scale, shift, os, 3);
      V.channelAffine(n, channels, plane, x, 2, scale, shift, ov, 3);
      assertArrayEquals(os, ov, "channelAffine " + shape);

      double[] ss = new double[channels];
      double[] qs = new double[channels];
      double[] sv = new double[channels];
      double[] qv = new double[channels];
      for (int c = 0; c < channels; c++) {
        ss[c] = c * 0.25; // the sums are added into
        sv[c] = c * 0.25;
      }
      S.addChannelSums(n, channels, plane, x, 2, ss, qs);
      V.addChannelSums(n, channels, plane, x, 2, sv, qv);
      assertArrayEquals(ss, sv, "addChannelSums " + shape);
      assertArrayEquals(qs, qv, "addChannelSums' squares " + shape);

      float[] mean = random(r, channels);
      float[] invStd = random(r, channels);
      S.addBatchNormGradientSums(n, channels, plane, x, 2, dy, 1, mean, invStd, ss, qs);
      V.addBatchNormGradientSums(n, channels, plane, x, 2, dy, 1, mean, invStd, sv, qv);
      assertArrayEquals(ss, sv, "addBatchNormGradientSums " + shape);
      assertArrayEquals(qs, qv, "addBatchNormGradientSums' products " + shape);

      float[] stats = random(r, 5 * channels);
      float[] gs = new float[size];
      float[] gv = new float[size];
      S.batchNormInputGradient(n, channels, plane, x, 2, dy, 1, stats, gs, 0);
      V.batchNormInputGradient(n, channels, plane, x, 2, dy, 1, stats, gv, 0);
      assertArrayEquals(gs, gv, "batchNormInputGradient " + shape);
    }
  }

  /**
   * The statistics' sums follow their documented chains: eight interleaved chains from 0 folded
   * as ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7)), then the tail in order; a plane below eight is
   * one chain in order.
   */
  @Test
  void batchNormalisationSumsRunInEightChains() {
    Random r = new Random(53);
    for (int plane : new int[] {1, 5, 7, 8, 21, 64}) {
      float[] x = random(r, 3 * plane);
      float[] dy = random(r, 3 * plane);
      float mean = 0.3f;
      float invStd = 1.7f;
      double sum = 0;
      double square = 0;
      double grad = 0;
      double product = 0;
      for (int e = 0; e < 3; e++) {
        int at = e * plane;
        sum += chained(plane, i -> x[at + i]);
        square += chained(plane, i -> (double) x[at + i] * x[at + i]);
        grad += chained(plane, i -> dy[at + i]);
        product += chained(plane, i -> (double) dy[at + i] * ((x[at + i] - mean) * invStd));
      }
      for (TrainingKernels k : new TrainingKernels[] {S, V}) {
        double[] s = new double[1];
        double[] q = new double[1];
        k.addChannelSums(3, 1, plane, x, 0, s, q);
        assertEquals(sum, s[0], 0.0, "sums of " + plane);
        assertEquals(square, q[0], 0.0, "squares of " + plane);
        s[0] = 0;
        q[0] = 0;
        k.addBatchNormGradientSums(3, 1, plane, x, 0, dy, 0, new float[] {mean},
            new float[] {invStd}, s, q);
        assertEquals(grad, s[0], 0.0, "gradient sums of " + plane);
        assertEquals(product, q[0], 0.0, "gradient products of " + plane);
      }
    }
  }

  /** Terms 0 .. plane-1 summed in the eight chains (a term is exact in double). */
  private static double chained(int plane, java.util.function.IntToDoubleFunction term) {
    int whole = plane - plane % 8;
    double[] chain = new double[8];
    for (int i = 0; i < whole; i++) {
      chain[i % 8] += term.applyAsDouble(i);
    }
    double s = ((chain[0] + chain[4]) + (chain[2] + chain[6]))
        + ((chain[1] + chain[5]) + (chain[3] + chain[7]));
    for (int i = whole; i < plane; i++) {
      s += term.applyAsDouble(i);
    }
    return s;
  }

  @Test
  void averagePoolsOfTwoByTwoAgree() {
    Random r = new Random(47);
    int[] sizes = {2, 3, 5, 10, 2 * L - 1, 2 * L, 2 * L + 1, 28, 2 * (3 * L + 2) + 1};
    for (int trial = 0; trial < 81; trial++) {
      int planes = 1 + r.nextInt(5);
      int h = sizes[trial % sizes.length];
      int w = sizes[(trial / sizes.length) % sizes.length];
      int oh = h / 2;
      int ow = w / 2;
      float[] x = random(r, 3 + planes * h * w);
      float[] ms = new float[1 + planes * oh * ow];
      float[] mv = new float[ms.length];
      S.avgPool2x2(planes, h, w, x, 3, ms, 1);
      V.avgPool2x2(planes, h, w, x, 3, mv, 1);
      String shape = planes + "x" + h + "x" + w;
      assertArrayEquals(ms, mv, "avgPool2x2 " + shape);

      float[] dOut = random(r, 2 + planes * oh * ow);
      float[] ds = random(r, 1 + planes * h * w); // written over, the inputs in no window too
      float[] dv = random(r, ds.length);
      S.avgPool2x2Backward(planes, h, w, dOut, 2, ds, 1);
      V.avgPool2x2Backward(planes, h, w, dOut, 2, dv, 1);
      // What zeros and the windows' general backward pass give, plane by plane.
      float[] expect = new float[ds.length];
      Windows win = new Windows(1, h, w, 2, 2, 0, 0, 2, 2);
      for (int p = 0; p < planes; p++) {
        win.avgPoolBackwardAdd(dOut, 2 + p * oh * ow, expect, 1 + p * h * w);
      }
      expect[0] = ds[0];
      assertArrayEquals(expect, ds, "avgPool2x2Backward's reference " + shape);
      dv[0] = ds[0];
      assertArrayEquals(ds, dv, "avgPool2x2Backward " + shape);
    }
  }
}
