package simdlearn.app.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import simdlearn.data.PointDataset;
import simdlearn.train.io.AtomicFiles;

/**
 * Two classes of points in the plane and a linear classifier's decision line
 * {@code w0 x + w1 y + b = 0} (where sigmoid(z) = 1/2), as PNG and SVG.
 */
public final class DecisionBoundary {
  private static final int SIZE = 560;

  private DecisionBoundary() {}

  public static JFreeChart chart(String title, PointDataset points, float w0, float w1, float b) {
    XYSeries[] byClass = new XYSeries[points.classNames().size()];
    for (int c = 0; c < byClass.length; c++) {
      byClass[c] = new XYSeries(points.classNames().get(c));
    }
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < points.size(); i++) {
      double x = points.feature(i, 0);
      double y = points.feature(i, 1);
      byClass[points.label(i)].add(x, y);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (XYSeries s : byClass) {
      data.addSeries(s);
    }
    XYSeries line = new XYSeries("w.x + b = 0", false);
    if (w1 != 0) {
      line.add(minX, -(b + w0 * minX) / w1);
      line.add(maxX, -(b + w0 * maxX) / w1);
    } else if (w0 != 0) {
      line.add(-b / w0, minY);
      line.add(-b / w0, maxY);
    }
    data.addSeries(line);
    JFreeChart chart = ChartFactory.createXYLineChart(title, "x1", "x2", data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.getDomainAxis().setRange(minX - 0.2, maxX + 0.2);
    plot.getRangeAxis().setRange(minY - 0.2, maxY + 0.2);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e)};
    for (int c = 0; c < byClass.length; c++) {
      r.setSeriesLinesVisible(c, false);
      r.setSeriesShapesVisible(c, true);
      r.setSeriesShape(c, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      r.setSeriesPaint(c, colors[c % colors.length]);
    }
    r.setSeriesLinesVisible(byClass.length, true);
    r.setSeriesShapesVisible(byClass.length, false);
    r.setSeriesPaint(byClass.length, Color.BLACK);
    r.setSeriesStroke(byClass.length, new BasicStroke(2f));
    plot.setRenderer(r);
    return chart;
  }

  /** Writes the chart as {@code svg} and {@code png}. */
  public static void write(String title, PointDataset points, float w0, float w1, float b, Path svg,
      Path png) throws IOException {
    JFreeChart chart = chart(title, points, w0, w1, b);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, SIZE, SIZE));
    SVGGraphics2D g2 = new SVGGraphics2D(SIZE, SIZE);
    chart.draw(g2, new Rectangle(0, 0, SIZE, SIZE));
    String element = g2.getSVGElement();
    AtomicFiles.write(svg, out -> Svg.write(element, out));
  }
}
