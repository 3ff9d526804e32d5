package simdlearn.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, correct or deliberately broken. */
final class IdxFiles {
  private IdxFiles() {}

  static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(0);
    out.writeByte(type);
    out.writeByte(dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    }
    return bytes.toByteArray();
  }

  static Path write(Path dir, String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  /** Images whose pixel (i, r, c) is (i + r * w + c) mod 256, labels i mod classes. */
  static void writeDataset(Path dir, String images, String labels, int n, int h, int w,
      int classes, boolean gzip) throws IOException {
    byte[] px = new byte[n * h * w];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < h * w; j++) {
        px[i * h * w + j] = (byte) (i + j);
      }
    }
    byte[] lb = new byte[n];
    for (int i = 0; i < n; i++) {
      lb[i] = (byte) (i % classes);
    }
    byte[] imgFile = idx(0x08, new int[] {n, h, w}, px);
    byte[] lblFile = idx(0x08, new int[] {n}, lb);
    write(dir, images + (gzip ? ".gz" : ""), gzip ? gzip(imgFile) : imgFile);
    write(dir, labels + (gzip ? ".gz" : ""), gzip ? gzip(lblFile) : lblFile);
  }
}
