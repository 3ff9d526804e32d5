package simdlearn.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import simdlearn.kernel.FloatMatrix;
import simdlearn.nn.Layer;
import simdlearn.onnx.proto.OnnxProto.AttributeProto;
import simdlearn.onnx.proto.OnnxProto.GraphProto;
import simdlearn.onnx.proto.OnnxProto.NodeProto;
import simdlearn.onnx.proto.OnnxProto.TensorProto;

/**
 * The ONNX graph of one export, as {@link LayerExporter}s see it while they add their layers:
 * nodes named after the layer's position ({@code 3.Conv}) and its parameters as initialisers
 * under PyTorch's state-dict names ({@code 3.weight}), so that a file's weights read the same in
 * PyTorch, Netron and here. The protobuf messages stay inside; a layer's exporter sees names and
 * numbers only.
 */
public final class OnnxGraph {
  private final GraphProto.Builder graph;
  private final Set<String> names = new HashSet<>();
  private int position = -1;
  private Layer layer;

  OnnxGraph(GraphProto.Builder graph) {
    this.graph = graph;
  }

  /** Makes {@code layer}, at {@code position} in its network, the one being exported. */
  void enter(int position, Layer layer) {
    this.position = position;
    this.layer = layer;
  }

  /** The position of the layer being exported in its network (0 for the first). */
  public int position() {
    return position;
  }

  /**
   * Adds parameter {@code index} of the layer being exported ({@link Layer#parameters()}'s order)
   * as an initialiser of shape {@code dims}, named as PyTorch's state dict names it
   * ({@code position.name}), and returns that name.
   *
   * @throws IllegalArgumentException if {@code dims} do not hold the parameter's elements
   */
  public String parameter(int index, long... dims) {
    var p = layer.parameters().get(index);
    return initializer(position + "." + p.name(), p.value(), dims);
  }

  /**
   * Adds buffer {@code index} of the layer being exported ({@link Layer#buffers()}'s order: a
   * batch normalisation's running mean and variance) as an initialiser, named as PyTorch's state
   * dict names it, and returns that name.
   */
  public String buffer(int index, long... dims) {
    var b = layer.buffers().get(index);
    return initializer(position + "." + b.name(), b.value(), dims);
  }

  /** Adds a constant float tensor of shape {@code dims} and returns its (unique) name. */
  public String constant(String name, long[] dims, float... values) {
    return initializer(unique(position + "." + name), FloatMatrix.wrap(values.clone(), 1, values.length),
        dims);
  }

  private String initializer(String name, FloatMatrix value, long[] dims) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    if (count != (long) value.rows() * value.cols()) {
      throw new IllegalArgumentException(name + ": shape " + Arrays.toString(dims)
          + " for " + value.rows() + "x" + value.cols() + " values");
    }
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(count * Float.BYTES))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < value.rows(); r++) {
      for (int c = 0; c < value.cols(); c++) {
        bytes.putFloat(value.get(r, c));
      }
    }
    names.add(name);
    graph.addInitializer(TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(bytes.flip())));
    return name;
  }

  /**
   * Adds a node of operator {@code op} (of the default ONNX domain, at {@link ModelExport#OPSET})
   * on {@code inputs} and returns the name of its one output, {@code position.op} (made unique).
   */
  public String node(String op, List<String> inputs, Attribute... attributes) {
    Objects.requireNonNull(op, "op");
    String name = unique(position + "." + op);
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name)
        .addAllInput(inputs).addOutput(name);
    for (Attribute a : attributes) {
      node.addAttribute(a.proto());
    }
    graph.addNode(node);
    return name;
  }

  /** A node on one input. */
  public String node(String op, String input, Attribute... attributes) {
    return node(op, List.of(input), attributes);
  }

  /**
   * Renames the tensor {@code from}, the output of the last node, to {@code to} (a graph output's
   * name); false when no node made it (it is the graph's input).
   */
  boolean renameLastOutput(String from, String to) {
    int last = graph.getNodeCount() - 1;
    if (last < 0 || !graph.getNode(last).getOutput(0).equals(from)) {
      return false;
    }
    graph.setNode(last, graph.getNode(last).toBuilder().setOutput(0, to));
    names.add(to);
    return true;
  }

  private String unique(String base) {
    String name = base;
    for (int i = 1; names.contains(name); i++) {
      name = base + "_" + i;
    }
    names.add(name);
    return name;
  }

  /**
   * A node attribute: integers, a float or a list of integers, as the operator's page in ONNX's
   * {@code Operators.md} names them.
   */
  public static final class Attribute {
    private final AttributeProto proto;

    private Attribute(AttributeProto proto) {
      this.proto = proto;
    }

    AttributeProto proto() {
      return proto;
    }

    /** {@code name = [values]} (kernel_shape, pads, strides...). */
    public static Attribute ints(String name, long... values) {
      return new Attribute(AttributeProto.newBuilder().setName(name)
          .setType(AttributeProto.AttributeType.INTS)
          .addAllInts(Arrays.stream(values).boxed().toList()).build());
    }

    /** {@code name = value} (axis, count_include_pad...). */
    public static Attribute integer(String name, long value) {
      return new Attribute(AttributeProto.newBuilder().setName(name)
          .setType(AttributeProto.AttributeType.INT).setI(value).build());
    }

    /** {@code name = value} (alpha...). */
    public static Attribute real(String name, float value) {
      return new Attribute(AttributeProto.newBuilder().setName(name)
          .setType(AttributeProto.AttributeType.FLOAT).setF(value).build());
    }
  }
}
