package com.example.consumer;

import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;
import simdlearn.kernel.MatrixOps;

/** Cosine similarity between every pair of rows, with the kernel doing the arithmetic. */
public final class Similarity {
  private static final MatrixOps OPS = MatrixOps.using(Kernels.vector());

  private Similarity() {}

  /**
   * The n x n matrix of cosine similarities of the n rows of {@code rows}.
   *
   * @param rows one vector per row
   * @return {@code s[i][j] = <r_i, r_j> / (|r_i| |r_j|)}
   */
  public static FloatMatrix cosine(FloatMatrix rows) {
    FloatMatrix unit = rows.copy();
    for (int i = 0; i < unit.rows(); i++) {
      FloatMatrix row = unit.row(i);
      OPS.scaleInPlace(1f / OPS.norm(row), row);
    }
    return OPS.multiply(false, unit, true, unit);
  }
}
