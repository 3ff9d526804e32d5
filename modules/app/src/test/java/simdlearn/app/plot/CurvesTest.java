package simdlearn.app.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.report.EpochLine;
import simdlearn.report.RunLine;

/** The curves read as d2l's: plain numbers on a log axis, lines without a band of markers. */
class CurvesTest {
  @TempDir
  Path dir;

  static List<EpochLine> regression(int epochs) {
    List<EpochLine> lines = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      lines.add(new EpochLine(e, 30.0 / e, null, null, 60.0 / Math.sqrt(e), 0.01, 0.001, 0, 1e5));
    }
    return lines;
  }

  @Test
  void aLogAxisIsLabelledInPlainNumbersAtPowersOfTen() throws Exception {
    JFreeChart chart = Curves.chart("t", regression(1500));
    LogAxis y = (LogAxis) chart.getXYPlot().getRangeAxis();
    assertEquals("100", y.getNumberFormatOverride().format(100.0));
    assertEquals("0.01", y.getNumberFormatOverride().format(0.01));
    assertEquals(1.0, y.getStandardTickUnits().getCeilingTickUnit(0.3).getSize(),
        "ticks at whole powers of ten");
    Path svg = dir.resolve("c.svg");
    Curves.writeSvg("t", regression(1500), svg);
    assertTrue(Files.size(svg) > 0);
  }

  @Test
  void markersOnlyWhereThereAreFewEpochs() {
    XYLineAndShapeRenderer few = (XYLineAndShapeRenderer) Curves.chart("t", regression(10))
        .getXYPlot().getRenderer();
    XYLineAndShapeRenderer many = (XYLineAndShapeRenderer) Curves.chart("t", regression(1500))
        .getXYPlot().getRenderer();
    assertTrue(few.getDefaultShapesVisible());
    assertFalse(many.getDefaultShapesVisible(), "1500 markers would merge into a band");
  }

  @Test
  void theTitleSaysWhichRunItIs() {
    RunLine.Dataset data = new RunLine.Dataset("fashion-mnist", 60000, 10000, 784, 10, List.of(),
        Map.of());
    RunLine.Settings mlp = new RunLine.Settings(null, 10, 256, 0.5, "sgd", 0, 0, "constant", 42,
        2, 128, "normal", 0.01, List.of(256, 256), List.of(0.2, 0.5), "leaky-relu(slope=0.01)",
        true, "vector", "softmax-cross-entropy", null, null);
    assertEquals("mlp, hidden 256,256, dropout 0.2,0.5, leaky-relu(slope=0.01) on fashion-mnist",
        Curves.title(new RunLine(3, "mlp", "784-256-256-10", data, mlp, null, "now")));
    RunLine.Settings decay = new RunLine.Settings(null, 100, 5, 0.003, "sgd", 0, 3, "constant",
        42, 2, 128, "normal", 1.0, null, null, null, true, "vector", "mse", null, null);
    assertEquals("highdim-linear-regression, \u03bb = 3.0 on fashion-mnist",
        Curves.title(new RunLine(3, "highdim-linear-regression", "200-1", data, decay, null,
            "now")));
  }
}
