package simdlearn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import simdlearn.report.EpochLine;

/** The console's epoch lines fit an 80-column terminal whatever the run. */
class TrainingConsoleTest {
  @Test
  void classifierEpochLineFitsEightyColumns() {
    EpochLine e = new EpochLine(1, 0.78503, 0.75061, 0.77462, null, 0.1, 0.148, 0.01, 2_599_602);
    String line = TrainingConsole.epochLine(e, 10);
    assertEquals("epoch  1/10  loss 0.7850  train acc 0.7506  test acc 0.7746  148 ms  2.60M ex/s",
        line);
    assertTrue(line.length() < 80, line);
  }

  @Test
  void widestLinesDropTheThroughputRatherThanWrap() {
    EpochLine slow = new EpochLine(1234, 12.3456, 0.1, 0.1, null, 0.1, 12.345, 1, 950);
    String line = TrainingConsole.epochLine(slow, 1500);
    assertTrue(line.length() < 80 && line.endsWith("12.35 s"), line);
    EpochLine regression = new EpochLine(1500, 1.5e7, null, null, 3.2e9, 0.01, 0.004, 0, 250_000);
    String fit = TrainingConsole.epochLine(regression, 1500);
    assertEquals("epoch 1500/1500  loss 1.500e+07  test loss 3.200e+09  4 ms  250k ex/s", fit);
  }

  @Test
  void ratesCarryThreeFigures() {
    assertEquals("950", TrainingConsole.rate(950));
    assertEquals("404k", TrainingConsole.rate(404_182));
    assertEquals("2.60M", TrainingConsole.rate(2_599_602));
  }

  @Test
  void manyEpochsAreSampledWithTheFirstAndTheLast() {
    for (int epochs : new int[] {1, 10, 25, 30, 100, 400, 1500, 1_000_000}) {
      long lines = java.util.stream.IntStream.rangeClosed(1, epochs)
          .filter(e -> TrainingConsole.shown(e, epochs)).count();
      assertTrue(lines <= TrainingConsole.MAX_EPOCH_LINES, epochs + ": " + lines);
      assertTrue(TrainingConsole.shown(1, epochs) && TrainingConsole.shown(epochs, epochs));
    }
    assertEquals(1, TrainingConsole.every(25));
    assertEquals(20, TrainingConsole.every(400));
    assertEquals(100, TrainingConsole.every(1500));
  }

  @Test
  void theTimeLeftForTheWholeRunIsEstimatedFromItsShareDone() {
    assertEquals("", TrainingConsole.left(0.5, 0.1), "too early to say");
    assertEquals(", run ~27 s left", TrainingConsole.left(3, 0.1));
    assertEquals(", run ~4.5 min left", TrainingConsole.left(30, 0.1));
    assertEquals(", run ~2.0 h left", TrainingConsole.left(3600, 1.0 / 3));
  }
}
