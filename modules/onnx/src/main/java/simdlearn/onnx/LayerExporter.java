package simdlearn.onnx;

import simdlearn.nn.Layer;
import simdlearn.nn.LayerSpec;

/**
 * How one kind of layer becomes ONNX nodes. The built-in layers have theirs
 * ({@link LayerExporters}); a program that defines its own layer registers one with
 * {@link ModelExport#register} before it exports a model holding that layer.
 *
 * @param <S> the layer's spec record
 */
@FunctionalInterface
public interface LayerExporter<S extends LayerSpec> {
  /**
   * Adds the nodes that compute {@code layer} (whose spec is {@code spec}) from the tensor named
   * {@code input} ({@code [N, ...layer.inputShape()]}) and returns the name of the tensor holding
   * its output ({@code [N, ...layer.outputShape()]}); a layer that is the identity at inference
   * (dropout) returns {@code input}.
   */
  String export(S spec, Layer layer, OnnxGraph graph, String input);
}
