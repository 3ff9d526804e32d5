import java.nio.file.Path;
import simdlearn.onnx.ModelExport;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;

/**
 * A trained model (a run's model.json, or one a program saved with ModelFile.save) as an ONNX
 * file, for ONNX Runtime in a Java service or Python.
 * Run: java --module-path ... --add-modules simdlearn.onnx ExportOnnx.java MODEL.json OUT.onnx
 */
public class ExportOnnx {
  public static void main(String[] args) throws Exception {
    Model model = ModelFile.load(Path.of(args[0]));
    ModelExport.save(model, Path.of(args[1]), false); // false: never replace an existing file
    System.out.println(args[1] + ": " + ModelExport.signature(model));
  }
}
