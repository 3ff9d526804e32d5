package simdlearn.app.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import simdlearn.report.EpochLine;
import simdlearn.report.RunLine;
import simdlearn.train.io.AtomicFiles;

/**
 * Training curves by epoch, as d2l's Animator draws them: train loss (solid), train accuracy
 * (dashed) and test accuracy (dash-dot) for classifiers; the loss for regression, and when there
 * is a test loss (d2l 4.4, 4.5) train and test loss on a logarithmic axis, as d2l's
 * {@code yscale='log'}. Drawn by JFreeChart and written as PNG and, through JFreeSVG, as SVG.
 */
public final class Curves {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 450;

  /** Up to this many epochs each point gets a marker; beyond, markers would merge into a band. */
  static final int MAX_MARKED_EPOCHS = 50;

  private Curves() {}

  /**
   * The chart's title: the model and its data (a polynomial's data name has its degree), and the
   * settings that tell one run of it from another (hidden layers, dropout, activation, weight
   * decay), e.g. {@code mlp, hidden 256,256, dropout 0.2,0.5 on fashion-mnist}.
   */
  public static String title(RunLine run) {
    RunLine.Settings s = run.settings();
    StringJoiner t = new StringJoiner(", ");
    t.add(run.model());
    if (s.hidden() != null && !s.hidden().isEmpty()) {
      t.add("hidden " + join(s.hidden()));
    }
    if (s.dropout() != null && !s.dropout().isEmpty()) {
      t.add("dropout " + join(s.dropout()));
    }
    if (s.activation() != null && !s.activation().equals("relu")) {
      t.add(s.activation());
    }
    if (s.weightDecay() > 0) {
      t.add("\u03bb = " + s.weightDecay());
    }
    return t + " on " + run.dataset().name();
  }

  private static String join(List<?> values) {
    StringJoiner j = new StringJoiner(",");
    values.forEach(v -> j.add(String.valueOf(v)));
    return j.toString();
  }

  public static JFreeChart chart(String title, List<EpochLine> epochs) {
    XYSeries loss = new XYSeries("train loss");
    XYSeries trainAcc = new XYSeries("train acc");
    XYSeries testAcc = new XYSeries("test acc");
    XYSeries testLoss = new XYSeries("test loss");
    for (EpochLine e : epochs) {
      loss.add(e.epoch(), e.trainLoss());
      if (e.trainAcc() != null) {
        trainAcc.add(e.epoch(), e.trainAcc());
      }
      if (e.testAcc() != null) {
        testAcc.add(e.epoch(), e.testAcc());
      }
      if (e.testLoss() != null) {
        testLoss.add(e.epoch(), e.testLoss());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection(loss);
    if (trainAcc.getItemCount() > 0) {
      data.addSeries(trainAcc);
      data.addSeries(testAcc);
    }
    boolean logLoss = testLoss.getItemCount() > 0 && positive(loss) && positive(testLoss);
    if (testLoss.getItemCount() > 0) {
      data.addSeries(testLoss);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", logLoss ? "loss" : null,
        data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    Font ticks = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    plot.getDomainAxis().setTickLabelFont(ticks);
    if (logLoss) {
      // Ticks at whole powers of ten, written as numbers (0.01, 1, 100), not as 10^1.6.
      LogAxis y = new LogAxis("loss (log scale)");
      y.setSmallestValue(1e-12);
      y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      y.setNumberFormatOverride(new DecimalFormat("0.##########",
          DecimalFormatSymbols.getInstance(Locale.ROOT)));
      y.setTickLabelFont(ticks);
      plot.setRangeAxis(y);
    } else {
      ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
      plot.getRangeAxis().setTickLabelFont(ticks);
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true,
        epochs.size() <= MAX_MARKED_EPOCHS);
    Color[] colors = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
    float[][] dashes = {null, {6f, 4f}, {8f, 3f, 2f, 3f}};
    for (int s = 0; s < 3; s++) {
      r.setSeriesPaint(s, colors[s]);
      r.setSeriesStroke(s, dashes[s] == null ? new BasicStroke(2f)
          : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dashes[s], 0f));
    }
    plot.setRenderer(r);
    return chart;
  }

  private static boolean positive(XYSeries s) {
    for (int i = 0; i < s.getItemCount(); i++) {
      if (!(s.getY(i).doubleValue() > 0)) {
        return false;
      }
    }
    return true;
  }

  /** Writes the chart as {@code svg} and {@code png} (either may be null), one after the other. */
  public static void write(String title, List<EpochLine> epochs, Path svg, Path png)
      throws IOException {
    if (png != null) {
      writePng(title, epochs, png);
    }
    if (svg != null) {
      writeSvg(title, epochs, svg);
    }
  }

  /** The chart as PNG. Each call draws its own chart, so PNG and SVG can be drawn at once. */
  public static void writePng(String title, List<EpochLine> epochs, Path png) throws IOException {
    JFreeChart chart = chart(title, epochs);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }

  /** The chart as SVG (JFreeSVG). */
  public static void writeSvg(String title, List<EpochLine> epochs, Path svg) throws IOException {
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    chart(title, epochs).draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
    String element = g2.getSVGElement();
    AtomicFiles.write(svg, out -> Svg.write(element, out));
  }
}
