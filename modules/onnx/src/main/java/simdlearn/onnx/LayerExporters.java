package simdlearn.onnx;

import static simdlearn.onnx.OnnxGraph.Attribute.integer;
import static simdlearn.onnx.OnnxGraph.Attribute.ints;
import static simdlearn.onnx.OnnxGraph.Attribute.real;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simdlearn.nn.AvgPool2d;
import simdlearn.nn.Conv2d;
import simdlearn.nn.Dropout;
import simdlearn.nn.Flatten;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.LeakyReLU;
import simdlearn.nn.Linear;
import simdlearn.nn.MaxPool2d;
import simdlearn.nn.ReLU;
import simdlearn.nn.Sigmoid;
import simdlearn.nn.Tanh;

/**
 * The ONNX operators of the built-in layers, each the operator PyTorch's exporter gives the same
 * module, and the exporters registered by programs, by spec class.
 */
final class LayerExporters {
  private static final Map<Class<? extends LayerSpec>, LayerExporter<?>> EXPORTERS =
      new LinkedHashMap<>();

  static {
    // y = x W^T + b, W stored out x in as nn.Linear's.
    put(Linear.Spec.class, (s, layer, g, x) -> s.bias()
        ? g.node("Gemm", List.of(x, g.parameter(0, s.outputs(), s.inputs()),
            g.parameter(1, s.outputs())), integer("transB", 1))
        : g.node("Gemm", List.of(x, g.parameter(0, s.outputs(), s.inputs())),
            integer("transB", 1)));
    put(ReLU.Spec.class, (s, layer, g, x) -> g.node("Relu", x));
    put(Sigmoid.Spec.class, (s, layer, g, x) -> g.node("Sigmoid", x));
    put(Tanh.Spec.class, (s, layer, g, x) -> g.node("Tanh", x));
    // x > 0 ? x : slope * x, as ONNX's alpha.
    put(LeakyReLU.Spec.class, (s, layer, g, x) -> g.node("LeakyRelu", x,
        real("alpha", (float) s.slope())));
    // Inference: dropout is the identity (PyTorch's eval mode exports no node either).
    put(Dropout.Spec.class, (s, layer, g, x) -> x);
    put(Flatten.Spec.class, (s, layer, g, x) -> g.node("Flatten", x, integer("axis", 1)));
    put(Conv2d.Spec.class, (s, layer, g, x) -> {
      String w = g.parameter(0, s.outChannels(), s.inChannels(), s.kernelHeight(),
          s.kernelWidth());
      List<String> in = s.bias() ? List.of(x, w, g.parameter(1, s.outChannels())) : List.of(x, w);
      return g.node("Conv", in, ints("kernel_shape", s.kernelHeight(), s.kernelWidth()),
          ints("strides", s.strideHeight(), s.strideWidth()),
          ints("pads", s.paddingHeight(), s.paddingWidth(), s.paddingHeight(), s.paddingWidth()),
          ints("dilations", 1, 1), integer("group", 1));
    });
    // The mean over the whole window, padding included (nn.AvgPool2d's count_include_pad).
    put(AvgPool2d.Spec.class, (s, layer, g, x) -> g.node("AveragePool", x,
        ints("kernel_shape", s.kernelHeight(), s.kernelWidth()),
        ints("strides", s.strideHeight(), s.strideWidth()),
        ints("pads", s.paddingHeight(), s.paddingWidth(), s.paddingHeight(), s.paddingWidth()),
        integer("count_include_pad", 1)));
    put(MaxPool2d.Spec.class, (s, layer, g, x) -> g.node("MaxPool", x,
        ints("kernel_shape", s.kernelHeight(), s.kernelWidth()),
        ints("strides", s.strideHeight(), s.strideWidth()),
        ints("pads", s.paddingHeight(), s.paddingWidth(), s.paddingHeight(), s.paddingWidth())));
  }

  private LayerExporters() {}

  static synchronized <S extends LayerSpec> void put(Class<S> spec, LayerExporter<S> exporter) {
    EXPORTERS.put(spec, exporter);
  }

  /** The exporter of layers whose spec is {@code spec}'s class, or null. */
  @SuppressWarnings("unchecked")
  static synchronized <S extends LayerSpec> LayerExporter<S> get(S spec) {
    return (LayerExporter<S>) EXPORTERS.get(spec.getClass());
  }
}
