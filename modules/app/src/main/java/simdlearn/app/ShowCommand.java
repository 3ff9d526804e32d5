package simdlearn.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simdlearn.data.ImageDataset;
import simdlearn.app.plot.ImageGrid;

/** {@code simdlearn show}: a grid of sample images with their labels (d2l's show_images). */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
    sortOptions = false,
    description = "Draws the first --n images of a dataset with their labels into a PNG.")
final class ShowCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "DIR",
      description = "dataset directory (default: $SIMDLEARN_DATA, else data/DATASET; fetched if"
          + " missing)")
  Path data;

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "fashion-mnist (default) or mnist")
  String dataset = "fashion-mnist";

  @Option(names = "--n", paramLabel = "N", description = "images (default: 18)") int n = 18;

  @Option(names = "--cols", paramLabel = "N", description = "images per row (default: 9)")
  int cols = 9;

  @Option(names = "--split", paramLabel = "train|test",
      description = "which images (default: train)")
  String split = "train";

  @Option(names = "--out", paramLabel = "FILE.png",
      description = "the picture (default: samples.png)")
  Path out = Path.of("samples.png");

  @Option(names = "--unverified",
      description = "load dataset files whose checksums differ from the published ones")
  boolean unverified;

  @Option(names = "--verbose", description = "stack traces on errors") boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (n <= 0 || cols <= 0) {
      throw new IllegalArgumentException("--n and --cols must be > 0");
    }
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
    }
    ImageDataset.Split s = Datasets.load(dataset, Datasets.directory(data, dataset),
        spec.commandLine().getOut(), !unverified, false);
    ImageDataset d = split.equals("train") ? s.train() : s.test();
    int count = Math.min(n, d.size());
    int[] idx = new int[count];
    List<String> titles = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      idx[i] = i;
      titles.add(d.classNames().get(d.label(i)));
    }
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " is a directory: give the picture's"
          + " file name, e.g. " + out.resolve("samples.png"));
    }
    ImageGrid.write(d, idx, titles, Math.min(cols, count), out);
    spec.commandLine().getOut().println("simdlearn: drew " + count + " " + split + " images into "
        + out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
