package simdlearn.train.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import simdlearn.data.DataDirectory;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.fetch.Catalog;
import simdlearn.fetch.DatasetEntry;
import simdlearn.fetch.FetchException;
import simdlearn.fetch.FetchListener;
import simdlearn.fetch.Fetcher;
import simdlearn.fetch.RemoteFile;

/** Finds a dataset on disk for the commands, fetching it when it is not there. */
final class Datasets {
  private Datasets() {}

  /** {@code --data} if given, else the configured directory, else {@code data/NAME}. */
  static Path directory(Path given, String dataset) {
    if (given != null) {
      return given;
    }
    return DataDirectory.configured().orElse(Path.of("data", dataset));
  }

  /** Loads the dataset from {@code dir}, fetching it there first if any file is missing. */
  static ImageDataset.Split load(String dataset, Path dir, PrintWriter out) throws IOException {
    DatasetSpec spec = DatasetSpec.byName(dataset);
    if (!complete(spec, dir)) {
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
            + ". Point --data at a local copy (e.g. ../shared/data/" + dataset + "), or run"
            + " 'bin/simdlearn fetch " + dataset + " --dir " + dir + " --mirror URL-OR-DIRECTORY'",
            e);
      }
    }
    return ImageDataset.load(spec, dir);
  }

  private static boolean complete(DatasetSpec spec, Path dir) {
    for (String f : List.of(spec.trainImages(), spec.trainLabels(), spec.testImages(),
        spec.testLabels())) {
      if (!Files.isRegularFile(dir.resolve(f + ".gz")) && !Files.isRegularFile(dir.resolve(f))) {
        return false;
      }
    }
    return true;
  }
}
