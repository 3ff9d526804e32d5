package simdlearn.app;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import simdlearn.kernel.Backend;
import simdlearn.train.InvalidSettingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code simdlearn} command line: {@code train}, {@code predict}, {@code report},
 * {@code export} and {@code show}. Exit status 0 on success, 1 on failure, 2 on bad usage; errors are one line on
 * standard error (with the stack trace under {@code --verbose}).
 */
@Command(name = "simdlearn", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Networks on the Panama Vector API: d2l's softmax regression, multilayer"
        + " perceptrons, linear and polynomial regression, weight decay, a sigmoid classifier.",
    subcommands = {TrainCommand.class, PredictCommand.class, ReportCommand.class,
        ExportCommand.class, ShowCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a command is required: train, predict, report, export or show");
  }

  /** Runs the command line and returns its exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    // A bad -Dsimdlearn.backend is one line, not a trace; checked without loading the kernels,
    // which report, show and --help never use (they may run without the Vector API).
    String backend = System.getProperty(Backend.PROPERTY);
    if (backend != null && !backend.isBlank()) {
      try {
        Backend.parse(backend);
      } catch (IllegalArgumentException e) {
        err.println("simdlearn: -D" + Backend.PROPERTY + "=" + backend + ": " + e.getMessage());
        err.flush();
        return 2;
      }
    }
    CommandLine cmd = new CommandLine(new Main()).setOut(out).setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true);
    TrainCommand.describeRegistered(cmd.getSubcommands().get("train"));
    cmd.setExecutionExceptionHandler((e, line, parsed) -> {
      String name = line.getCommandSpec().qualifiedName();
      if (e instanceof InterruptedRunException) {
        line.getErr().println(name + ": " + e.getMessage());
        line.getErr().flush();
        return Interrupts.INTERRUPTED;
      }
      if (e instanceof IllegalArgumentException) {
        String message = Printable.of(e instanceof InvalidSettingException bad
            ? flag(bad.setting()) + " " + bad.requirement() : e.getMessage());
        line.getErr().println(name + ": " + message + " (see '" + name + " --help')");
        line.getErr().flush();
        return 2;
      }
      line.getErr().println(name + ": " + Errors.oneLine(e));
      if (verbose) {
        e.printStackTrace(line.getErr());
      }
      line.getErr().flush();
      return 1;
    });
    cmd.setExecutionStrategy(parsed -> {
      int status = new CommandLine.RunLast().execute(parsed);
      if (status == 0 && didWork(parsed)) {
        ClassArchive.keep();
      }
      return status;
    });
    cmd.setParameterExceptionHandler((e, a) -> {
      String name = e.getCommandLine().getCommandSpec().qualifiedName();
      e.getCommandLine().getErr().println(name + ": " + e.getMessage() + " (see '" + name
          + " --help')");
      e.getCommandLine().getErr().flush();
      return 2;
    });
    return cmd.execute(args);
  }

  /** The flag of a library setting: {@code batchSize} is {@code --batch-size}. */
  static String flag(String setting) {
    return "--" + setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** Whether a command ran, rather than usage or version help. */
  private static boolean didWork(CommandLine.ParseResult parsed) {
    if (!parsed.hasSubcommand()) {
      return false;
    }
    CommandLine.ParseResult sub = parsed.subcommand();
    return !sub.isUsageHelpRequested() && !sub.isVersionHelpRequested();
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    // PNG writers buffer in memory, not in a temporary file: ImageIO's file cache registers a
    // shutdown hook, which the JVM refuses once a signal has started shutting it down, and the
    // pictures of an interrupted run are written exactly then.
    javax.imageio.ImageIO.setUseCache(false);
    if (args.length > 0 && args[0].equals("train")) {
      Interrupts.install();
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int status = run(out, err, args);
    out.flush();
    err.flush();
    Interrupts.finished();
    System.exit(status);
  }
}
