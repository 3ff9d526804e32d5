package simdlearn.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simdlearn.app.CliTest.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.testkit.TinyData;

/** {@code predict} on users' images and on model files that were tampered with. */
class PredictInputTest {
  @TempDir
  static Path dir;
  static Path model;

  @BeforeAll
  static void trainAModel() throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path data = dir.resolve("fm");
    TinyData.writeFashionMnist(data, 600, 100);
    Path out = dir.resolve("run");
    assertEquals(0, run("train", "--data", data.toString(), "--epochs", "3", "--out",
        out.toString(), "--unverified", "--no-plots").status());
    model = out.resolve("model.json");
  }

  /** A 28x28 grey picture: a light garment band on black, with some texture. */
  static int[] picture() {
    Random r = new Random(4);
    int[] g = new int[28 * 28];
    for (int i = 0; i < g.length; i++) {
      int row = i / 28;
      g[i] = row >= 8 && row < 18 ? 150 + r.nextInt(100) : r.nextInt(40);
    }
    return g;
  }

  static Path png(String name, BufferedImage img) throws Exception {
    Path p = dir.resolve(name);
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  @Test
  void greyImagesReadTheirOwnValuesWhateverTheirEncoding() throws Exception {
    int[] g = picture();
    BufferedImage grey8 = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage grey16 = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < g.length; i++) {
      grey8.getRaster().setSample(i % 28, i / 28, 0, g[i]);
      grey16.getRaster().setSample(i % 28, i / 28, 0, g[i] * 257);
      rgb.setRGB(i % 28, i / 28, g[i] << 16 | g[i] << 8 | g[i]);
    }
    byte[] expected = new byte[g.length];
    for (int i = 0; i < g.length; i++) {
      expected[i] = (byte) g[i];
    }
    for (Path p : new Path[] {png("grey8.png", grey8), png("grey16.png", grey16),
        png("rgb.png", rgb)}) {
      // getRGB would have brightened grey images (linear grey to sRGB): 12 of 300 test images
      // changed their label that way.
      assertArrayEquals(expected, ImageFiles.read(p, 28, 28, "no"), p.getFileName().toString());
    }
    String a = run("predict", "--model", model.toString(), "--top-k", "3", "--invert", "no",
        dir.resolve("grey8.png").toString()).out();
    String b = run("predict", "--model", model.toString(), "--top-k", "3", "--invert", "no",
        dir.resolve("rgb.png").toString()).out();
    assertEquals(a.substring(a.indexOf(':')), b.substring(b.indexOf(':')), "same prediction");
  }

  @Test
  void everyReadableImageIsLabelledAndEachBadOneReportedOnItsOwnLine() throws Exception {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    Path good = png("good.png", img);
    Path broken = Files.writeString(dir.resolve("broken.png"), "not a picture");
    Path missing = dir.resolve("missing.png");
    CliTest.Result r = run("predict", "--model", model.toString(), good.toString(),
        broken.toString(), missing.toString(), good.toString());
    assertEquals(1, r.status(), "a failed image makes the status non-zero");
    assertEquals(2, r.out().lines().filter(l -> l.startsWith(good + ": ")).count(), r.out());
    List<String> errors = r.err().lines().toList();
    assertEquals(3, errors.size(), r.err());
    assertTrue(errors.get(0).contains(broken.toString()), errors.get(0));
    assertTrue(errors.get(1).contains(missing.toString()), errors.get(1));
    assertEquals("simdlearn predict: 2 of 4 images could not be read", errors.get(2));
  }

  @Test
  void transparencyIsBackgroundNotBlackPaint() throws Exception {
    int[] g = picture();
    // Grey + alpha: the garment opaque, everything else fully transparent (whatever its grey).
    BufferedImage cutout = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
    for (int i = 0; i < g.length; i++) {
      int row = i / 28;
      boolean garment = row >= 8 && row < 18;
      int v = garment ? 255 - g[i] : 255; // dark garment drawn on white paper
      cutout.setRGB(i % 28, i / 28, (garment ? 0xFF : 0) << 24 | v << 16 | v << 8 | v);
    }
    byte[] px = ImageFiles.read(png("cutout.png", cutout), 28, 28, "auto");
    for (int i = 0; i < px.length; i++) {
      int row = i / 28;
      if (row < 8 || row >= 18) {
        assertEquals(0, px[i], "transparent pixels are the dataset's black background");
      } else {
        assertEquals(g[i], px[i] & 0xFF, "the dark garment is inverted to light");
      }
    }
  }

  @Test
  void anImageThatClaimsGiantDimensionsIsRefusedBeforeDecoding() throws Exception {
    // A valid PNG header declaring 100,000 x 100,000 pixels, with almost no data: decoding it
    // would allocate 10 GB; its header alone says no.
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, pngClaiming(100_000, 100_000));
    CliTest.Result r = run("predict", "--model", model.toString(), bomb.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("100000 x 100000 pixels, more than the 16 megapixels"), r.err());
  }

  @Test
  void aTiffWhosePixelsAreHugeIsRefusedByItsBytes() throws Exception {
    // Hostile campaign 12: 150 bytes declaring 4000 x 4000 pixels (within 16 megapixels) of 100
    // samples of 32 bits each (6.4 GB) ended in an OutOfMemoryError and a 23-line trace.
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(150)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) 9);
    int[][] entries = {{256, 4, 4000}, {257, 4, 4000}, {258, 3, 32}, {259, 3, 1}, {262, 3, 1},
        {273, 4, 140}, {277, 3, 100}, {278, 4, 4000}, {279, 4, 10}};
    for (int[] e : entries) {
      b.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
      if (e[1] == 3) {
        b.putShort((short) e[2]).putShort((short) 0);
      } else {
        b.putInt(e[2]);
      }
    }
    Path tiff = dir.resolve("samples.tiff");
    Files.write(tiff, b.array());
    CliTest.Result r = run("predict", "--model", model.toString(), tiff.toString());
    assertEquals(1, r.status(), r.err());
    assertEquals(2, r.err().strip().lines().count(), r.err()); // the image's line, the count
    assertTrue(r.err().contains(tiff + ": 4000 x 4000 pixels of 3200 bits decode to 6103 MiB,"
        + " more than the 128 MiB predict decodes"), r.err());
  }

  /** PNG signature, an IHDR chunk for {@code w x h} 8-bit grey, a tiny IDAT and IEND. */
  static byte[] pngClaiming(int w, int h) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 0, 0, 0, 0});
    chunk(b, "IHDR", ihdr.toByteArray());
    Deflater z = new Deflater();
    z.setInput(new byte[1024]);
    z.finish();
    byte[] compressed = new byte[256];
    chunk(b, "IDAT", java.util.Arrays.copyOf(compressed, z.deflate(compressed)));
    chunk(b, "IEND", new byte[0]);
    return b.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  @Test
  void tamperedModelFilesAreRefusedAndNamesAreSafeToPrint() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(model.toFile());

    // Image size changed, checksum left: refused.
    ObjectNode sized = doc.deepCopy();
    sized.put("image_height", 14);
    Path a = dir.resolve("sized.json");
    json.writeValue(a.toFile(), sized);
    CliTest.Result r = run("predict", "--model", a.toString(), dir.resolve("grey8.png").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("checksum mismatch"), r.err());

    // Class names with a terminal escape, checksum recomputed on purpose: it loads, and what is
    // printed carries no control character.
    ObjectNode named = doc.deepCopy();
    ArrayNode names = (ArrayNode) named.get("class_names");
    for (int i = 0; i < names.size(); i++) {
      names.set(i, "\u001b[31mred\u202e" + i);
    }
    Path b = dir.resolve("named.json");
    Files.writeString(b, simdlearn.testkit.ModelFiles.resign(json.writeValueAsString(named)));
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    r = run("predict", "--model", b.toString(), "--top-k", "3", png("plain.png", img).toString());
    assertEquals(0, r.status(), r.err());
    assertFalse(r.out().chars().anyMatch(c -> c == 0x1b || c == 0x202e), r.out());
    assertTrue(r.out().contains("?[31mred?"), r.out());

    // A weight that is not a number: refused even with a valid checksum.
    ObjectNode nan = doc.deepCopy();
    ObjectNode weight = (ObjectNode) nan.get("parameters").get(0);
    byte[] bytes = java.util.Base64.getDecoder().decode(weight.get("data").asText());
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(8, Float.NaN);
    weight.put("data", java.util.Base64.getEncoder().encodeToString(bytes));
    Path c = dir.resolve("nan.json");
    Files.writeString(c, simdlearn.testkit.ModelFiles.resign(json.writeValueAsString(nan)));
    r = run("predict", "--model", c.toString(), dir.resolve("plain.png").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("0.weight[2] is NaN"), r.err());
  }

  @Test
  void overflowingWeightsAndAnotherImageLayoutAreRefused() throws Exception {
    // Hostile campaign 18: weights near 3e38 printed a NaN probability with exit 0; a model of
    // 2x392 images labelled 28x28 data as if it had been trained on it.
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(model.toFile());
    ObjectNode huge = doc.deepCopy();
    ObjectNode weight = (ObjectNode) huge.get("parameters").get(0);
    byte[] bytes = java.util.Base64.getDecoder().decode(weight.get("data").asText());
    var floats = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < bytes.length; i += 4) {
      floats.putFloat(i, (i / 4 % 2 == 0 ? 3e38f : -3e38f));
    }
    weight.put("data", java.util.Base64.getEncoder().encodeToString(bytes));
    Path a = dir.resolve("huge.json");
    Files.writeString(a, simdlearn.testkit.ModelFiles.resign(json.writeValueAsString(huge)));
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(3, 4, 0, 200);
    img.getRaster().setSample(9, 4, 0, 100);
    CliTest.Result r = run("predict", "--model", a.toString(), png("dots.png", img).toString());
    assertEquals(1, r.status(), r.out());
    assertTrue(r.err().contains("are not finite (its weights overflow float32 arithmetic)"),
        r.err());
    assertFalse(r.out().contains("NaN"), r.out());

    ObjectNode wide = doc.deepCopy();
    wide.put("image_height", 2);
    wide.put("image_width", 392);
    Path b = dir.resolve("wide.json");
    Files.writeString(b, simdlearn.testkit.ModelFiles.resign(json.writeValueAsString(wide)));
    r = run("predict", "--model", b.toString(), "--data", dir.resolve("fm").toString(),
        "--unverified", "--n", "3");
    assertEquals(1, r.status(), r.out());
    assertTrue(r.err().contains("was trained on 2x392 images and fashion-mnist's are 28x28"),
        r.err());
  }

  @Test
  void everyUnreadableImageIsNamedOnItsOwnLine() throws Exception {
    // Hostile campaign 11: most rejected images gave "Error reading PNG image data" or
    // "java.io.EOFException" without the file's name.
    byte[] good = Files.readAllBytes(png("whole.png", new BufferedImage(28, 28,
        BufferedImage.TYPE_BYTE_GRAY)));
    List<Path> bad = new java.util.ArrayList<>();
    bad.add(Files.write(dir.resolve("empty.png"), new byte[0]));
    bad.add(Files.write(dir.resolve("header-only.png"), java.util.Arrays.copyOf(good, 20)));
    byte[] garbled = good.clone();
    for (int i = 33; i < garbled.length; i++) {
      garbled[i] = (byte) 0xA5;
    }
    bad.add(Files.write(dir.resolve("garbled.png"), garbled));
    bad.add(Files.writeString(dir.resolve("text.png"), "not an image\n"));
    bad.add(Files.createDirectories(dir.resolve("folder.png")));
    // Cut inside its image data: ImageIO decodes it as a partly black picture, without a word.
    bad.add(Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(good,
        good.length - 20)));
    List<String> args = new java.util.ArrayList<>(List.of("predict", "--model",
        model.toString()));
    bad.forEach(p -> args.add(p.toString()));
    CliTest.Result r = run(args.toArray(String[]::new));
    assertEquals(1, r.status(), r.out());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(bad.size() + 1, lines.size(), r.err());
    for (int i = 0; i < bad.size(); i++) {
      assertTrue(lines.get(i).startsWith("simdlearn predict: " + bad.get(i) + ": "),
          lines.get(i));
    }
    assertEquals("simdlearn predict: " + bad.size() + " of " + bad.size()
        + " images could not be read", lines.get(bad.size()));
  }

  @Test
  void aPngCutOffOrWithABadChunkCrcIsRefused() throws Exception {
    byte[] good = Files.readAllBytes(png("intact.png", new BufferedImage(28, 28,
        BufferedImage.TYPE_BYTE_GRAY)));
    Path cut = Files.write(dir.resolve("cut-off.png"), java.util.Arrays.copyOf(good,
        good.length - 13)); // IEND gone and the last chunk's CRC cut
    CliTest.Result r = run("predict", "--model", model.toString(), cut.toString());
    assertEquals(1, r.status(), r.out());
    assertTrue(r.err().contains(cut + ": a damaged PNG (its IDAT chunk at byte"), r.err());
    byte[] flipped = good.clone();
    flipped[40] ^= 1; // inside IDAT's data: the CRC no longer matches
    Path crc = Files.write(dir.resolve("bad-crc.png"), flipped);
    r = run("predict", "--model", model.toString(), crc.toString());
    assertEquals(1, r.status(), r.out());
    assertTrue(r.err().contains(crc + ": a damaged PNG (the CRC of its"), r.err());
    assertEquals(0, run("predict", "--model", model.toString(), dir.resolve("intact.png")
        .toString()).status());
  }
}
