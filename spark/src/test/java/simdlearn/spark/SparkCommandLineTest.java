package simdlearn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.app.Main;
import simdlearn.data.DataDirectory;
import simdlearn.report.Reports;
import simdlearn.testkit.ReportSchema;

/** {@code train --engine spark} as bin/simdlearn runs it: same files as {@code --shards}. */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class SparkCommandLineTest {
  private static Path data;
  @TempDir
  Path dir;

  @BeforeAll
  static void data() {
    var configured = DataDirectory.configured();
    if (configured.isEmpty()) {
      assertTrue(!"true".equals(System.getenv("CI")),
          "CI=true but no data directory: set " + DataDirectory.ENV);
      Assumptions.abort("no data directory configured (" + DataDirectory.ENV + ")");
    }
    data = configured.get().toAbsolutePath();
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(status, out.toString(), err.toString());
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
  }

  @Test
  void sparkOnAHadoopUriWritesTheModelOfTheLocalShardsRun() throws Exception {
    Path spark = dir.resolve("spark");
    Path local = dir.resolve("local");
    // file: goes through Hadoop's file system, as hdfs: and s3a: would.
    Result s = run("train", "--engine", "spark", "--master", "local[2]", "--partitions", "4",
        "--data", data.toUri().toString(), "--epochs", "1", "--model", "mlp", "--hidden", "64",
        "--no-plots", "--out", spark.toString());
    assertEquals(0, s.status(), s.err());
    Result l = run("train", "--shards", "4", "--threads", "1", "--data", data.toString(),
        "--epochs", "1", "--model", "mlp", "--hidden", "64", "--no-plots", "--out",
        local.toString());
    assertEquals(0, l.status(), l.err());
    assertEquals(sha256(local.resolve("model.json")), sha256(spark.resolve("model.json")));
    assertTrue(s.out().contains(", spark local[2], 4 partitions, batch 256"), s.out());
    assertTrue(l.out().contains(", 1 thread, 4 partitions, batch 256"), l.out());
    Result report = run("report", spark.resolve("report.jsonl").toString(), "--no-plots");
    assertEquals(0, report.status(), report.err());
    assertTrue(report.out().contains("spark local[2], 4 partitions"), report.out());
    ReportSchema.assertValid(spark.resolve("report.jsonl"));
    var run = Reports.read(spark.resolve("report.jsonl")).run();
    assertEquals("spark", run.engine().name());
    assertEquals("local[2]", run.engine().master());
    assertEquals(4, run.engine().partitions());
    assertEquals(Reports.read(local.resolve("report.jsonl")).run().dataset(), run.dataset(),
        "the same files, checksums and all");
  }

  @Test
  void badEngineSettingsAndPathsAreOneLine() {
    Result unreachable = run("train", "--engine", "spark", "--master", "spark://127.0.0.1:1",
        "--partitions", "4", "--data", data.toString(), "--out", dir.resolve("a").toString());
    assertEquals(2, unreachable.status());
    assertTrue(unreachable.err().startsWith("simdlearn train: cannot reach the Spark master at"
        + " spark://127.0.0.1:1"), unreachable.err());
    assertEquals(1, unreachable.err().strip().lines().count(), unreachable.err());

    Result missing = run("train", "--engine", "spark", "--master", "local[2]", "--partitions",
        "4", "--data", "file:///no/such/dir", "--out", dir.resolve("b").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("neither train-images-idx3-ubyte.gz nor"
        + " train-images-idx3-ubyte is in file:///no/such/dir"), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    assertFalse(Files.exists(dir.resolve("b").resolve("model.json")));

    Result noPartitions = run("train", "--engine", "spark", "--data", data.toString(),
        "--out", dir.resolve("c").toString());
    assertEquals(2, noPartitions.status());
    assertTrue(noPartitions.err().contains("--engine spark needs --partitions P"),
        noPartitions.err());

    Result tooMany = run("train", "--engine", "spark", "--master", "local[2]", "--partitions",
        "8", "--data", data.toString(), "--limit", "5", "--out", dir.resolve("d").toString());
    assertTrue(tooMany.status() != 0, tooMany.err());
    assertTrue(tooMany.err().contains("fewer than the 8 partitions"), tooMany.err());
  }
}
