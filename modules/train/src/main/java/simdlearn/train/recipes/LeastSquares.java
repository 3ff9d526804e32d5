package simdlearn.train.recipes;

import simdlearn.data.RegressionDataset;

/**
 * The closed-form least-squares fit of a linear regression, for comparison with what SGD learns:
 * solves the normal equations {@code (A^T A) theta = A^T y} with {@code A = [X, 1]} in double
 * precision by Gaussian elimination with partial pivoting.
 */
public final class LeastSquares {
  private LeastSquares() {}

  /** Returns {@code [w_1 .. w_d, b]}. */
  public static double[] solve(RegressionDataset data) {
    int d = data.features() + 1;
    double[][] m = new double[d][d + 1];
    for (int i = 0; i < data.size(); i++) {
      double[] a = new double[d];
      for (int j = 0; j < d - 1; j++) {
        a[j] = data.feature(i, j);
      }
      a[d - 1] = 1;
      double y = data.target(i);
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          m[r][c] += a[r] * a[c];
        }
        m[r][d] += a[r] * y;
      }
    }
    for (int col = 0; col < d; col++) {
      int pivot = col;
      for (int r = col + 1; r < d; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      if (Math.abs(m[col][col]) < 1e-12) {
        throw new IllegalArgumentException("the features are collinear: no unique least-squares fit");
      }
      for (int r = 0; r < d; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int c = col; c <= d; c++) {
            m[r][c] -= f * m[col][c];
          }
        }
      }
    }
    double[] theta = new double[d];
    for (int r = 0; r < d; r++) {
      theta[r] = m[r][d] / m[r][r];
    }
    return theta;
  }
}
