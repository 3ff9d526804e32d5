package simdlearn.train.recipes;

import java.util.ArrayList;
import java.util.List;
import simdlearn.data.RegressionDataset;
import simdlearn.kernel.FloatMatrix;
import simdlearn.report.SummaryLine;

/**
 * The summary of d2l 3.2's linear regression: the learned weights and bias beside the closed-form
 * least-squares solution and, when known, the generating ones, with the errors of both.
 */
final class LinearFits {
  private LinearFits() {}

  static SummaryLine addTo(SummaryLine summary, FloatMatrix weight, FloatMatrix bias,
      RegressionDataset data, float[] trueW, Float trueB) {
    SummaryLine.LinearFit learned = fit(weight.toArray(), bias.get(0, 0));
    double[] ls = LeastSquares.solve(data);
    float[] lsW = new float[ls.length - 1];
    for (int i = 0; i < lsW.length; i++) {
      lsW[i] = (float) ls[i];
    }
    SummaryLine.LinearFit closed = fit(lsW, (float) ls[ls.length - 1]);
    if (trueW == null) {
      return summary.withLinearFit(learned, closed, null, null, null);
    }
    SummaryLine.LinearFit truth = fit(trueW, trueB == null ? 0f : trueB);
    return summary.withLinearFit(learned, closed, truth, error(learned, truth),
        error(closed, truth));
  }

  private static SummaryLine.LinearFit fit(float[] w, float b) {
    List<Double> ws = new ArrayList<>();
    for (float v : w) {
      ws.add(Images.decimal(v));
    }
    return new SummaryLine.LinearFit(ws, Images.decimal(b));
  }

  /** Learned minus true, per parameter. */
  private static SummaryLine.LinearFit error(SummaryLine.LinearFit got,
      SummaryLine.LinearFit truth) {
    List<Double> w = new ArrayList<>();
    for (int i = 0; i < got.w().size(); i++) {
      w.add(got.w().get(i) - truth.w().get(i));
    }
    return new SummaryLine.LinearFit(w, got.b() - truth.b());
  }
}
