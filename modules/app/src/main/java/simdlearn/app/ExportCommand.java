package simdlearn.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simdlearn.onnx.ModelExport;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;

/** {@code simdlearn export}: a trained model as a file another runtime reads. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Writes a trained model (a run's model.json) as an ONNX file for ONNX Runtime,"
        + " PyTorch or any ONNX reader: input float32 pixels in [0, 1] (or the model's features),"
        + " outputs logits and probabilities (or values); class names in its metadata.")
final class ExportCommand implements Callable<Integer> {
  /** The formats a model leaves in. */
  enum Format {
    onnx
  }

  @Option(names = "--model", required = true, paramLabel = "MODEL.json",
      description = "a model file written by train (runs/TIMESTAMP/model.json)")
  Path modelFile;

  @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
      description = "onnx (opset " + ModelExport.OPSET + ", IR version " + ModelExport.IR_VERSION
          + "; the default)")
  Format format;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "the file to write (written whole or not at all)")
  Path out;

  @Option(names = "--overwrite", description = "replace --out if it exists") boolean overwrite;

  @Option(names = "--verbose", description = "stack traces on errors") boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Model model = ModelFile.load(modelFile);
    try {
      ModelExport.save(model, out, overwrite);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(out + " already exists: pass --overwrite to replace it", e);
    } catch (IllegalArgumentException e) {
      // A layer with no exporter: the model's fault, not the command line's.
      throw new IOException(modelFile + " cannot be exported: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%s, ONNX opset %d, %,d bytes):"
        + " %s%n", out, model.kind(), ModelExport.OPSET, Files.size(out),
        ModelExport.signature(model));
    return 0;
  }
}
