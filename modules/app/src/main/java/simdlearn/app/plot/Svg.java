package simdlearn.app.plot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** An SVG document on a stream (JFreeSVG's own writer wants a file name, which it reopens). */
final class Svg {
  private Svg() {}

  static void write(String svgElement, OutputStream out) throws IOException {
    out.write("<?xml version=\"1.0\"?>\n".getBytes(StandardCharsets.UTF_8));
    out.write(svgElement.getBytes(StandardCharsets.UTF_8));
  }
}
