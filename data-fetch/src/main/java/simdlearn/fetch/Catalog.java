package simdlearn.fetch;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The datasets simdlearn knows how to fetch, with their published checksums and mirrors. */
public final class Catalog {
  private Catalog() {}

  /**
   * Zalando's Fashion-MNIST. Sizes and MD5s as published in the dataset's README; SHA-256s of the
   * same canonical files.
   */
  public static final DatasetEntry FASHION_MNIST = new DatasetEntry("fashion-mnist",
      "Fashion-MNIST (Zalando Research): 70,000 28x28 grayscale clothing images, 10 classes",
      List.of(
          new RemoteFile("train-images-idx3-ubyte.gz", 26421880L,
              "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
              "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
          new RemoteFile("train-labels-idx1-ubyte.gz", 29515L,
              "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
              "25c81989df183df01b3e8a0aad5dffbe"),
          new RemoteFile("t10k-images-idx3-ubyte.gz", 4422102L,
              "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
              "bef4ecab320f06d8554ea6380940ec79"),
          new RemoteFile("t10k-labels-idx1-ubyte.gz", 5148L,
              "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
              "bb300cfdad3c16e7a12a480ee83cd310")),
      List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
          URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")));

  /**
   * LeCun's MNIST digits, from the mirrors torchvision uses (the original site throttles); sizes as
   * published on LeCun's page.
   */
  public static final DatasetEntry MNIST = new DatasetEntry("mnist",
      "MNIST handwritten digits: 70,000 28x28 grayscale images, 10 classes",
      List.of(
          new RemoteFile("train-images-idx3-ubyte.gz", 9912422L, null, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
          new RemoteFile("train-labels-idx1-ubyte.gz", 28881L, null, "d53e105ee54ea40749a09fcbcd1e9432"),
          new RemoteFile("t10k-images-idx3-ubyte.gz", 1648877L, null, "9fb629c4189551a2d022fa330f9573f3"),
          new RemoteFile("t10k-labels-idx1-ubyte.gz", 4542L, null, "ec29112dd5afa0611ce80d1b7f02629c")),
      List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
          URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")));

  /**
   * SHA-256s of the uncompressed files (the canonical .gz files above, gunzipped), for datasets
   * stored raw: computed from the published files, since no source publishes them. None for
   * MNIST, whose canonical files are not at hand here: its raw files are only checked not to be
   * another dataset's.
   *
   * @param dataset a catalog name
   * @return file name (without .gz) to SHA-256, empty when unknown
   */
  public static Map<String, String> uncompressedSha256(String dataset) {
    if (!FASHION_MNIST.name().equals(dataset.toLowerCase(Locale.ROOT))) {
      return Map.of();
    }
    return Map.of(
        "train-images-idx3-ubyte",
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");
  }

  public static List<DatasetEntry> all() {
    return List.of(FASHION_MNIST, MNIST);
  }

  /** The entry called {@code name} (case-insensitive). */
  public static DatasetEntry byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (DatasetEntry e : all()) {
      if (e.name().equals(n)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown dataset '" + name + "': known are "
        + all().stream().map(DatasetEntry::name).toList());
  }
}
