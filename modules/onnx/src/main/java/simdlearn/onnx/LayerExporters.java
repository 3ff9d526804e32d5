package simdlearn.onnx;

import static simdlearn.onnx.OnnxGraph.Attribute.integer;
import static simdlearn.onnx.OnnxGraph.Attribute.ints;
import static simdlearn.onnx.OnnxGraph.Attribute.real;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simdlearn.nn.AvgPool2d;
import simdlearn.nn.BatchNorm;
import simdlearn.nn.Conv2d;
import simdlearn.nn.Dropout;
import simdlearn.nn.Flatten;
import simdlearn.nn.GlobalAvgPool2d;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.LeakyReLU;
import simdlearn.nn.Linear;
import simdlearn.nn.MaxPool2d;
import simdlearn.nn.ReLU;
import simdlearn.nn.Residual;
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
    put(Conv2d.Spec.class, (s, layer, g, x) -> conv(g, x, 0, s.bias(), s.outChannels(),
        s.inChannels(), s.kernelHeight(), s.kernelWidth(), s.strideHeight(), s.strideWidth(),
        s.paddingHeight(), s.paddingWidth()));
    // The mean over the whole window, padding included (nn.AvgPool2d's count_include_pad).
    put(AvgPool2d.Spec.class, (s, layer, g, x) -> g.node("AveragePool", x,
        ints("kernel_shape", s.kernelHeight(), s.kernelWidth()),
        ints("strides", s.strideHeight(), s.strideWidth()),
        ints("pads", s.paddingHeight(), s.paddingWidth(), s.paddingHeight(), s.paddingWidth()),
        integer("count_include_pad", 1)));
    put(BatchNorm.Spec.class, (s, layer, g, x) -> batchNorm(g, x, 0, 0, s.features(), s.eps(),
        s.momentum()));
    put(GlobalAvgPool2d.Spec.class, (s, layer, g, x) -> g.node("GlobalAveragePool", x));
    // d2l 7.6: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); parameters in the block's
    // order (conv1, bn1, conv2, bn2, conv3), running statistics bn1's then bn2's.
    put(Residual.Spec.class, (s, layer, g, x) -> {
      int c = s.channels();
      String y = conv(g, x, 0, true, c, s.inChannels(), 3, 3, s.stride(), s.stride(), 1, 1);
      y = g.node("Relu", batchNorm(g, y, 2, 0, c, BatchNorm.EPS, BatchNorm.MOMENTUM));
      y = conv(g, y, 4, true, c, c, 3, 3, 1, 1, 1, 1);
      y = batchNorm(g, y, 6, 2, c, BatchNorm.EPS, BatchNorm.MOMENTUM);
      String shortcut = s.shortcutConv()
          ? conv(g, x, 8, true, c, s.inChannels(), 1, 1, s.stride(), s.stride(), 0, 0) : x;
      return g.node("Relu", g.node("Add", List.of(y, shortcut)));
    });
    put(MaxPool2d.Spec.class, (s, layer, g, x) -> g.node("MaxPool", x,
        ints("kernel_shape", s.kernelHeight(), s.kernelWidth()),
        ints("strides", s.strideHeight(), s.strideWidth()),
        ints("pads", s.paddingHeight(), s.paddingWidth(), s.paddingHeight(), s.paddingWidth())));
  }

  private LayerExporters() {}

  /** A Conv node whose weight (and bias) are the layer's parameters from {@code param}. */
  private static String conv(OnnxGraph g, String x, int param, boolean bias, int out, int in,
      int kh, int kw, int sh, int sw, int ph, int pw) {
    String w = g.parameter(param, out, in, kh, kw);
    List<String> inputs = bias ? List.of(x, w, g.parameter(param + 1, out)) : List.of(x, w);
    return g.node("Conv", inputs, ints("kernel_shape", kh, kw), ints("strides", sh, sw),
        ints("pads", ph, pw, ph, pw), ints("dilations", 1, 1), integer("group", 1));
  }

  /**
   * Inference batch normalisation: scale and shift the layer's parameters from {@code param},
   * mean and variance its buffers from {@code buffer} (ONNX's momentum is the running
   * estimate's weight).
   */
  private static String batchNorm(OnnxGraph g, String x, int param, int buffer, int features,
      double eps, double momentum) {
    return g.node("BatchNormalization", List.of(x, g.parameter(param, features),
        g.parameter(param + 1, features), g.buffer(buffer, features),
        g.buffer(buffer + 1, features)), real("epsilon", (float) eps),
        real("momentum", (float) (1 - momentum)));
  }

  static synchronized <S extends LayerSpec> void put(Class<S> spec, LayerExporter<S> exporter) {
    EXPORTERS.put(spec, exporter);
  }

  /** The exporter of layers whose spec is {@code spec}'s class, or null. */
  @SuppressWarnings("unchecked")
  static synchronized <S extends LayerSpec> LayerExporter<S> get(S spec) {
    return (LayerExporter<S>) EXPORTERS.get(spec.getClass());
  }
}
