package simdlearn.app.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import simdlearn.data.ImageDataset;
import simdlearn.train.io.AtomicFiles;

/**
 * A grid of grayscale images with one or two lines of title each, as d2l's {@code show_images}
 * and {@code predict_ch3} draw them, written as PNG.
 */
public final class ImageGrid {
  private static final int SCALE = 3;
  private static final int PAD = 8;
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private ImageGrid() {}

  /**
   * Draws images {@code indices} of {@code data} in rows of {@code cols}, each under its title
   * ({@code "\n"} separates lines; a line starting with {@code "!"} is drawn in red, for wrong
   * predictions).
   */
  public static BufferedImage draw(ImageDataset data, int[] indices, List<String> titles, int cols) {
    int h = data.height() * SCALE;
    int w = data.width() * SCALE;
    int lines = 1;
    for (String t : titles) {
      lines = Math.max(lines, t.split("\n").length);
    }
    int titleHeight = lines * 15 + 4;
    int cellW = Math.max(w, 96) + PAD;
    int cellH = h + titleHeight + PAD;
    int rows = (indices.length + cols - 1) / cols;
    BufferedImage img = new BufferedImage(cols * cellW + PAD, rows * cellH + PAD,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(FONT);
    FontMetrics fm = g.getFontMetrics();
    for (int n = 0; n < indices.length; n++) {
      int x0 = PAD + (n % cols) * cellW;
      int y0 = PAD + (n / cols) * cellH;
      String[] parts = titles.get(n).split("\n");
      for (int l = 0; l < parts.length; l++) {
        String line = parts[l];
        boolean wrong = line.startsWith("!");
        g.setColor(wrong ? new Color(0xC62828) : Color.BLACK);
        String text = wrong ? line.substring(1) : line;
        g.drawString(text, x0 + (cellW - PAD - fm.stringWidth(text)) / 2, y0 + 13 + l * 15);
      }
      int ix = x0 + (cellW - PAD - w) / 2;
      int iy = y0 + titleHeight;
      for (int r = 0; r < data.height(); r++) {
        for (int c = 0; c < data.width(); c++) {
          int v = data.pixel(indices[n], r, c);
          // Fashion-MNIST is light on dark; drawn dark on light as d2l's plots show it.
          int shade = 255 - v;
          g.setColor(new Color(shade, shade, shade));
          g.fillRect(ix + c * SCALE, iy + r * SCALE, SCALE, SCALE);
        }
      }
    }
    g.dispose();
    return img;
  }

  public static void write(ImageDataset data, int[] indices, List<String> titles, int cols,
      Path png) throws IOException {
    BufferedImage img = draw(data, indices, titles, cols);
    AtomicFiles.write(png, out -> {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    });
  }
}
