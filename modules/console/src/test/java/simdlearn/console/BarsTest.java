package simdlearn.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BarsTest {
  @Test
  void aBarLineFitsTheTerminalAndShowsTenthsOfSeconds() {
    Bars.Renderer r = new Bars.Renderer(() -> "loss 0.5123", 1, "");
    for (int width : new int[] {40, 77, 120}) {
      String line = r.render("epoch 3/10", 87, 235, Duration.ofMillis(1340), "loss 0.5123", width);
      assertTrue(line.length() <= width, width + ": " + line);
      assertTrue(line.contains("1.3 s"), line);
      if (width >= 77) {
        assertTrue(line.startsWith("epoch 3/10  37% [") && line.contains("87/235  loss 0.5123"),
            line);
      }
    }
    String done = r.render("epoch 3/10", 235, 235, Duration.ofMillis(20), null, 77);
    assertTrue(done.contains("100%") && done.contains("0.0 s"), done);
  }

  @Test
  void downloadsShowMebibytesAndSpeed() {
    Bars.Renderer r = new Bars.Renderer(null, 1 << 20, " MiB");
    String line = r.render("train-images.gz", 13 << 20, 26 << 20, Duration.ofSeconds(2), null, 100);
    assertTrue(line.contains("13.0/26.0 MiB") && line.contains("6.5 MiB/s"), line);
  }

  @Test
  void widthComesFromColumnsWhenPlausible() {
    assertEquals(132, Terminal.parseColumns("132"));
    assertEquals(0, Terminal.parseColumns("abc"));
    assertEquals(0, Terminal.parseColumns("5"));
    assertEquals(0, Terminal.parseColumns(null));
  }
}
