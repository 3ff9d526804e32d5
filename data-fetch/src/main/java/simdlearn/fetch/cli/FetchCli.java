package simdlearn.fetch.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simdlearn.console.Terminal;
import simdlearn.fetch.Catalog;
import simdlearn.fetch.DatasetEntry;
import simdlearn.fetch.FetchOptions;
import simdlearn.fetch.Fetcher;

/** {@code simdlearn fetch DATASET --dir DIR [--mirror URL-or-directory]...}. */
@Command(name = "simdlearn fetch", mixinStandardHelpOptions = true, sortOptions = false,
    version = "simdlearn fetch 0.1.0",
    description = {"Downloads a dataset's files into a directory and verifies their checksums.",
        "Files already present and valid are kept. Mirrors are tried in order: --mirror ones"
            + " first, then the official ones. A mirror may be an http(s) URL, a file: URL or a"
            + " directory."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every file present and verified", "1:a file could not be fetched",
        "2:bad usage"})
public final class FetchCli implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET",
      description = "fashion-mnist or mnist", completionCandidates = DatasetNames.class)
  String dataset;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "target directory (default: data/DATASET)")
  Path dir;

  @Option(names = "--mirror", paramLabel = "URL|DIR",
      description = "a mirror to try first; repeatable")
  List<String> mirrors = new ArrayList<>();

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
      description = "retries per mirror after a network error (default: ${DEFAULT-VALUE})")
  int retries;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "time to connect and receive the response headers (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "longest wait for the next bytes of a download; a stalled one is retried"
          + " (default: ${DEFAULT-VALUE})")
  int idleTimeoutSeconds;

  @Option(names = "--deadline", paramLabel = "SECONDS", defaultValue = "900",
      description = "most time one mirror may take for one file, retries included; then the"
          + " next mirror is tried (default: ${DEFAULT-VALUE})")
  int deadlineSeconds;

  @Option(names = "--no-progress", description = "plain lines even on a terminal")
  boolean noProgress;

  @Option(names = "--verbose", description = "stack traces on errors")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Names for shell completion and help. */
  static final class DatasetNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    DatasetNames() {
      super(Catalog.all().stream().map(DatasetEntry::name).toList());
    }
  }

  @Override
  public Integer call() throws Exception {
    if (retries < 0 || retries > 100) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--retries must be between 0 and 100, got " + retries);
    }
    if (timeoutSeconds <= 0 || idleTimeoutSeconds <= 0 || deadlineSeconds <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--timeout, --idle-timeout and --deadline must be > 0 seconds");
    }
    DatasetEntry entry;
    try {
      entry = Catalog.byName(dataset);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Path target = dir != null ? dir : Path.of("data", entry.name());
    List<URI> extra = new ArrayList<>();
    for (String m : mirrors) {
      try {
        extra.add(Fetcher.mirror(m));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    FetchConsole progress = new FetchConsole(out, !noProgress && Terminal.isTerminal());
    FetchOptions options = new FetchOptions(retries, Duration.ofSeconds(1),
        Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(idleTimeoutSeconds),
        Duration.ofSeconds(deadlineSeconds));
    Fetcher fetcher = new Fetcher(options, progress);
    List<Path> files = fetcher.fetch(entry, target, extra);
    out.println("fetch: " + entry.name() + " ready in " + target.toAbsolutePath() + " ("
        + files.size() + " files verified)");
    out.flush();
    return 0;
  }

  /** Runs the command and returns its exit status (for tests and embedding). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    FetchCli cli = new FetchCli();
    CommandLine cmd = new CommandLine(cli).setOut(out).setErr(err);
    cmd.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("simdlearn fetch: " + (e.getMessage() == null ? e : e.getMessage()));
      if (cli.verbose) {
        e.printStackTrace(line.getErr());
      }
      line.getErr().flush();
      return 1;
    });
    cmd.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("simdlearn fetch: " + e.getMessage()
          + " (see 'simdlearn fetch --help')");
      e.getCommandLine().getErr().flush();
      return 2;
    });
    return cmd.execute(args);
  }

  public static void main(String[] args) {
    int status = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(status);
  }
}
