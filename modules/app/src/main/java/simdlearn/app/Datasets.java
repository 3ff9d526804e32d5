package simdlearn.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import simdlearn.data.DataDirectory;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.fetch.Catalog;
import simdlearn.fetch.DatasetEntry;
import simdlearn.fetch.FetchException;
import simdlearn.fetch.FetchListener;
import simdlearn.fetch.Fetcher;
import simdlearn.fetch.RemoteFile;

/** Finds a dataset on disk for the commands, fetching it there only when asked to. */
final class Datasets {
  private Datasets() {}

  /** {@code --data} if given, else the configured directory, else {@code data/NAME}. */
  static Path directory(Path given, String dataset) {
    if (given != null) {
      return given;
    }
    return DataDirectory.configured().orElse(Path.of("data", dataset));
  }

  /**
   * Loads the dataset from {@code dir} and (with {@code verify}) checks gzipped files against
   * the catalog's published checksums, so that {@code --dataset mnist} on a Fashion-MNIST
   * directory is an error that names the file rather than a run on the wrong data. A directory
   * that is missing, or lacks some of the four files, is an error naming them, unless
   * {@code fetch} asks to fetch them there: a mistyped path must not become a download.
   */
  static ImageDataset.Split load(String dataset, Path dir, PrintWriter out, boolean verify,
      boolean fetch) throws IOException {
    DatasetSpec spec = DatasetSpec.byName(dataset);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException(dir + " is a file: --data takes the directory that holds the"
          + " dataset's four files");
    }
    List<String> missing = missing(spec, dir);
    if (!missing.isEmpty() && !fetch) {
      throw new IOException((Files.isDirectory(dir) ? dir + " lacks " + String.join(", ", missing)
          : dir + ": no such directory") + "; get " + dataset + " with 'bin/simdlearn fetch "
          + dataset + " --dir " + dir + "' (--mirror URL-OR-DIRECTORY when offline), or add"
          + " --fetch to train");
    }
    if (!missing.isEmpty()) {
      DatasetEntry entry = Catalog.byName(dataset);
      out.println("simdlearn: no " + dataset + " in " + dir + "; fetching it with data-fetch");
      out.flush();
      try {
        Fetcher.withDefaults(new FetchListener() {
          @Override
          public void completed(RemoteFile file, java.net.URI source, long bytes) {
            out.println("simdlearn: fetched " + file.name() + " (" + bytes + " bytes)");
            out.flush();
          }
        }).fetch(entry, dir, List.of());
      } catch (FetchException e) {
        throw new IOException("could not get " + dataset + " into " + dir + ": " + e.getMessage()
            + "; with no network, run 'bin/simdlearn fetch " + dataset + " --dir " + dir
            + " --mirror URL-OR-DIRECTORY' with a mirror or a local copy", e);
      }
    }
    ImageDataset.Split split = ImageDataset.load(spec, dir);
    if (verify) {
      verify(dataset, dir, split);
    }
    return split;
  }

  /** Each gzipped file's SHA-256 (computed while reading) or MD5 against the catalog's. */
  private static void verify(String dataset, Path dir, ImageDataset.Split split)
      throws IOException {
    DatasetEntry entry = Catalog.byName(dataset);
    Map<String, String> read = new java.util.HashMap<>(split.train().sha256());
    read.putAll(split.test().sha256());
    for (RemoteFile f : entry.files()) {
      String sha = read.get(f.name());
      if (sha == null) {
        verifyRaw(dataset, dir, f.name().replaceFirst("\\.gz$", ""), read);
        continue;
      }
      String problem = f.sha256() != null
          ? (f.sha256().equals(sha) ? null : "SHA-256 " + sha + ", expected " + f.sha256())
          : Fetcher.verify(f, dir.resolve(f.name()));
      if (problem != null) {
        throw new IOException(dir.resolve(f.name()) + " is not " + dataset + "'s " + f.name()
            + " (" + problem + ")" + otherDataset(f.name(), sha)
            + "; pass the right --dataset, or --unverified for your own files");
      }
    }
  }

  /**
   * A file stored uncompressed, against the catalog's checksums of the gunzipped canonical file;
   * where the catalog has none (MNIST), at least not another dataset's file.
   */
  private static void verifyRaw(String dataset, Path dir, String name, Map<String, String> read)
      throws IOException {
    String sha = read.get(name);
    if (sha == null) {
      return;
    }
    String expected = Catalog.uncompressedSha256(dataset).get(name);
    String other = "";
    for (DatasetEntry e : Catalog.all()) {
      if (!e.name().equals(dataset) && sha.equals(Catalog.uncompressedSha256(e.name()).get(name))) {
        other = ": it is " + e.name() + "'s";
      }
    }
    if (expected != null && !expected.equals(sha) || !other.isEmpty()) {
      throw new IOException(dir.resolve(name) + " is not " + dataset + "'s " + name + " (SHA-256 "
          + sha + (expected == null ? "" : ", expected " + expected) + ")" + other
          + "; pass the right --dataset, or --unverified for your own files");
    }
  }

  /** ": it is fashion-mnist's" when the file is another catalog dataset's, else "". */
  private static String otherDataset(String name, String sha) {
    for (DatasetEntry e : Catalog.all()) {
      for (RemoteFile f : e.files()) {
        if (f.name().equals(name) && sha.equals(f.sha256())) {
          return ": it is " + e.name() + "'s";
        }
      }
    }
    return "";
  }

  /** The dataset's files that {@code dir} holds neither gzipped nor raw (the .gz names). */
  private static List<String> missing(DatasetSpec spec, Path dir) {
    List<String> missing = new java.util.ArrayList<>();
    for (String f : List.of(spec.trainImages(), spec.trainLabels(), spec.testImages(),
        spec.testLabels())) {
      if (!Files.isRegularFile(dir.resolve(f + ".gz")) && !Files.isRegularFile(dir.resolve(f))) {
        missing.add(f + ".gz");
      }
    }
    return missing;
  }
}
