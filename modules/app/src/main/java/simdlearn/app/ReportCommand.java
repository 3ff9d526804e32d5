package simdlearn.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simdlearn.app.plot.Curves;
import simdlearn.report.EpochLine;
import simdlearn.report.Reports;
import simdlearn.report.SummaryLine;

/** {@code simdlearn report}: prints a report as a table and redraws its curves. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Prints the epochs of a report.jsonl as a table and (re)draws training-curves"
        + " .svg/.png beside it (or in --out).")
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "a run's report.jsonl")
  Path file;

  @Option(names = "--out", paramLabel = "DIR", description = "where to draw (default: beside FILE)")
  Path out;

  @Option(names = "--no-plots", description = "only print") boolean noPlots;

  @Option(names = "--verbose", description = "stack traces on errors") boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory: give its report.jsonl ("
          + file.resolve("report.jsonl") + ")");
    }
    if (!Files.exists(file)) {
      throw new IOException(file + ": no such file; give the report.jsonl of a run"
          + " (runs/TIMESTAMP/report.jsonl)");
    }
    Reports.Report r = Reports.read(file);
    PrintWriter o = spec.commandLine().getOut();
    // Every string printed from the file is made safe: a report is data, not terminal commands.
    o.printf(Locale.ROOT, "%s on %s, %s, %s, started %s%n", Printable.of(r.run().model()),
        Printable.of(r.run().dataset().name()), Printable.of(r.run().environment().kernels()),
        TrainingConsole.where(r.run()), Printable.of(r.run().startedAt()));
    boolean acc = !r.epochs().isEmpty() && r.epochs().get(0).trainAcc() != null;
    boolean testLoss = !r.epochs().isEmpty() && r.epochs().get(0).testLoss() != null;
    o.println(acc ? "epoch  train_loss  train_acc  test_acc        lr   seconds  examples/s"
        : testLoss ? "epoch  train_loss   test_loss        lr   seconds  examples/s"
        : "epoch  train_loss        lr   seconds  examples/s");
    for (EpochLine e : r.epochs()) {
      if (acc) {
        o.printf(Locale.ROOT, "%5d  %10.4f  %9.4f  %8.4f  %8.4g  %8.3f  %10.0f%n", e.epoch(),
            e.trainLoss(), e.trainAcc(), e.testAcc(), e.lr(), e.seconds(), e.examplesPerSecond());
      } else if (testLoss) {
        o.printf(Locale.ROOT, "%5d  %10.4g  %10.4g  %8.4g  %8.3f  %10.0f%n", e.epoch(),
            e.trainLoss(), e.testLoss(), e.lr(), e.seconds(), e.examplesPerSecond());
      } else {
        o.printf(Locale.ROOT, "%5d  %10.6f  %8.4g  %8.3f  %10.0f%n", e.epoch(), e.trainLoss(),
            e.lr(), e.seconds(), e.examplesPerSecond());
      }
    }
    if (r.summary().isPresent()) {
      SummaryLine s = r.summary().get();
      o.printf(Locale.ROOT, "%s after %d epochs in %.2f s%s%n", Printable.of(s.status()),
          s.epochsCompleted(), s.totalSeconds(),
          s.message() == null ? "" : ": " + Printable.of(s.message()));
      if (s.bestTestAcc() != null) {
        o.printf(Locale.ROOT, "best test acc %.4f at epoch %d%n", s.bestTestAcc(), s.bestEpoch());
      }
      if (s.weights() != null) {
        o.printf(Locale.ROOT, "learned weights %s; true %s%n", TrainingConsole.fmt(s.weights()),
            TrainingConsole.fmt(s.trueWeights()));
      }
      if (s.weightNorm() != null) {
        o.printf(Locale.ROOT, "L2 norm of w %.4f%n", s.weightNorm());
      }
      if (s.learned() != null) {
        o.printf(Locale.ROOT, "learned w %s b %.5f; closed form w %s b %.5f%n",
            TrainingConsole.fmt(s.learned().w()), s.learned().b(),
            TrainingConsole.fmt(s.closedForm().w()), s.closedForm().b());
      }
    } else {
      o.println("no summary line: the run is still going or was cut short");
    }
    if (r.truncatedLastLine()) {
      o.println("the last line was cut off mid-write (the run was killed while writing it) and is"
          + " left out");
    }
    if (!noPlots && !r.epochs().isEmpty()) {
      Path dir = out != null ? out : file.toAbsolutePath().getParent();
      Curves.write(Curves.title(r.run()), r.epochs(),
          dir.resolve("training-curves.svg"), dir.resolve("training-curves.png"));
      o.println("drew " + dir.resolve("training-curves.svg") + " and .png");
    }
    o.flush();
    return 0;
  }
}
