package simdlearn.app;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import simdlearn.data.Images;

/**
 * A user's image as the bytes a Fashion-MNIST model reads: grey values 0-255 on the dataset's
 * black background, resized to the model's size.
 *
 * <p>Pixels are read from the raster in the image's own colour model: a grey image's samples are
 * its grey values (going through {@code getRGB} would convert linear grey to sRGB and brighten
 * them), 16-bit samples are scaled to 8 bits, colour images become luminance. Transparency is
 * composited over the dataset's background, and images too large to be honest are refused from
 * their header, before a pixel is decoded.
 */
final class ImageFiles {
  /** The most pixels an input image may have: 16 megapixels (a 4096 x 4096 photo). */
  static final long MAX_PIXELS = 1L << 24;
  /** The largest image file read. */
  static final long MAX_FILE_BYTES = 64L << 20;
  /** The most bytes a decoded image may take: 16 megapixels of 16-bit RGBA. */
  static final long MAX_DECODED_BYTES = 128L << 20;

  private ImageFiles() {}

  /** Grey values (0-255, row-major) of an image, and its alpha (0-1). */
  record Pixels(int height, int width, float[] grey, float[] alpha) {}

  /**
   * The image at {@code file} as {@code h x w} dataset bytes; {@code invert} is {@code yes},
   * {@code no} or {@code auto} (invert when the image's background is light).
   */
  static byte[] read(Path file, int h, int w, String invert) throws IOException {
    Pixels px = decode(file);
    boolean flip = switch (invert) {
      case "yes" -> true;
      case "no" -> false;
      default -> lightBackground(px);
    };
    int n = px.height() * px.width();
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      float g = flip ? 255f - px.grey()[i] : px.grey()[i];
      // Where the image is transparent, the dataset's background (0) shows through.
      out[i] = (byte) Math.round(px.alpha()[i] * g);
    }
    if (px.height() == h && px.width() == w) {
      return out;
    }
    byte[] resized = new byte[h * w];
    Images.resizeBilinear(out, 0, px.height(), px.width(), resized, 0, h, w);
    return resized;
  }

  /**
   * Whether to invert: an opaque border (the usual case) decides by its mean grey; a mostly
   * transparent border (a cut-out subject) by the subject's: dark subjects are inverted, since
   * Fashion-MNIST's garments are light on black.
   */
  static boolean lightBackground(Pixels px) {
    int h = px.height();
    int w = px.width();
    double borderAlpha = 0;
    double borderGrey = 0;
    int borderCount = 0;
    double alpha = 0;
    double grey = 0;
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        int i = r * w + c;
        float a = px.alpha()[i];
        alpha += a;
        grey += a * px.grey()[i];
        if (r == 0 || c == 0 || r == h - 1 || c == w - 1) {
          borderAlpha += a;
          borderGrey += a * px.grey()[i];
          borderCount++;
        }
      }
    }
    if (borderAlpha >= 0.5 * borderCount) {
      return borderGrey / borderAlpha > 127.5;
    }
    return alpha > 0 && grey / alpha < 127.5;
  }

  /** Decodes {@code file} after checking its size and its declared dimensions. */
  static Pixels decode(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
    }
    BufferedImage img;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException(file + ": not an image this JDK can read (use PNG, JPEG, GIF or"
            + " BMP)");
      }
      ImageReader reader = readers.next();
      if ("png".equalsIgnoreCase(reader.getFormatName())) {
        checkPngChunks(file, in);
      }
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new IOException(file + ": " + reader.getWidth(0) + " x " + reader.getHeight(0)
              + " pixels, more than the " + (MAX_PIXELS >> 20) + " megapixels predict reads");
        }
        // Pixels are not the cost: a TIFF may declare 100 samples of 32 bits per pixel.
        long bits = bitsPerPixel(reader);
        long bytes = pixels * bits / 8;
        if (bytes > MAX_DECODED_BYTES) {
          throw new IOException(file + ": " + reader.getWidth(0) + " x " + reader.getHeight(0)
              + " pixels of " + bits + " bits decode to " + (bytes >> 20)
              + " MiB, more than the " + (MAX_DECODED_BYTES >> 20) + " MiB predict decodes");
        }
        img = reader.read(0);
      } catch (RuntimeException e) {
        throw new IOException(file + ": a damaged image (" + e.getMessage() + ")", e);
      } catch (OutOfMemoryError e) {
        // A format whose size the check above cannot see: still one line, naming the file.
        throw new IOException(file + ": too large to decode in this JVM's heap");
      } finally {
        reader.dispose();
      }
    }
    return pixels(img);
  }

  /**
   * Every chunk of a PNG whole, its CRC right, up to IEND: ImageIO decodes a file cut inside its
   * image data without a word, as a picture whose missing rows are black, which predict would
   * then label. Read through the reader's own stream, a buffer at a time, and rewound after.
   */
  static void checkPngChunks(Path file, ImageInputStream in) throws IOException {
    long start = in.getStreamPosition();
    byte[] buf = new byte[1 << 16];
    in.seek(start + 8); // the signature, which the reader recognised
    while (true) {
      long at = in.getStreamPosition() - start;
      String type = "?";
      try {
        long length = in.readInt() & 0xFFFFFFFFL;
        in.readFully(buf, 0, 4);
        type = new String(buf, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(buf, 0, 4);
        for (long left = length; left > 0; ) {
          int n = (int) Math.min(buf.length, left);
          in.readFully(buf, 0, n);
          crc.update(buf, 0, n);
          left -= n;
        }
        if ((int) crc.getValue() != in.readInt()) {
          throw new IOException(file + ": a damaged PNG (the CRC of its " + Printable.of(type)
              + " chunk at byte " + at + " does not match)");
        }
      } catch (java.io.EOFException e) {
        throw new IOException(file + ": a damaged PNG (" + (type.equals("?")
            ? "it ends at byte " + at + " before its IEND chunk: cut off?"
            : "its " + Printable.of(type) + " chunk at byte " + at + " is cut off") + ")");
      }
      if (type.equals("IEND")) {
        in.seek(start);
        return;
      }
    }
  }

  /**
   * The bits of one decoded pixel, all its samples, from the type the reader will decode to;
   * a reader that cannot say is given the most (4 samples of 32 bits) rather than trusted.
   */
  private static long bitsPerPixel(ImageReader reader) throws IOException {
    ImageTypeSpecifier type = reader.getRawImageType(0);
    if (type == null) {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      type = types.hasNext() ? types.next() : null;
    }
    if (type == null) {
      return 4 * 32;
    }
    long bits = 0;
    for (int size : type.getSampleModel().getSampleSize()) {
      bits += size;
    }
    return Math.max(bits, 1);
  }

  /** Grey and alpha per pixel, from the raster in the image's colour model. */
  static Pixels pixels(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    float[] grey = new float[h * w];
    float[] alpha = new float[h * w];
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    boolean greySpace = !(cm instanceof IndexColorModel)
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    if (greySpace) {
      float greyMax = (1 << cm.getComponentSize(0)) - 1;
      float alphaMax = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 1;
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          int i = r * w + c;
          grey[i] = raster.getSample(c, r, 0) * 255f / greyMax;
          alpha[i] = cm.hasAlpha() ? raster.getSample(c, r, 1) / alphaMax : 1f;
        }
      }
    } else {
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          int argb = img.getRGB(c, r); // sRGB, not premultiplied
          int i = r * w + c;
          grey[i] = 0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF)
              + 0.114f * (argb & 0xFF);
          alpha[i] = ((argb >>> 24) & 0xFF) / 255f;
        }
      }
    }
    return new Pixels(h, w, grey, alpha);
  }
}
