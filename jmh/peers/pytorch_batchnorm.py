"""PyTorch 1.13's batch normalisation on fixed inputs, printed as Java literals for
modules/nn's BatchNormTest (training mode: outputs, input and parameter gradients of
sum(out * r), running statistics after two steps; evaluation mode: outputs).

Run: env -u OPENBLAS_CORETYPE /usr/bin/python3 jmh/peers/pytorch_batchnorm.py
"""
import math
import torch

torch.set_num_threads(1)


def values(n, a, b):
    # The same formula as the Java test: deterministic, varied, not symmetric.
    return torch.tensor([math.sin(a * i + b) * (1 + 0.1 * i) for i in range(n)],
                        dtype=torch.float32)


def java(name, t):
    flat = ["%.9ef" % v for v in t.detach().reshape(-1).tolist()]
    print("  static final float[] %s = {" % name)
    for i in range(0, len(flat), 5):
        print("      " + ", ".join(flat[i:i + 5]) + ("," if i + 5 < len(flat) else "};"))


def case(prefix, bn, shape):
    n = 1
    for d in shape:
        n *= d
    c = bn.num_features
    with torch.no_grad():
        bn.weight.copy_(values(c, 0.9, 0.3) + 1)
        bn.bias.copy_(values(c, 0.5, 1.1))
    x = values(n, 0.37, 0.1).reshape(shape) * 3 + 0.5
    r = values(n, 0.23, 0.7).reshape(shape)
    x.requires_grad_(True)
    bn.train()
    out = bn(x)
    (out * r).sum().backward()
    java(prefix + "_TRAIN_OUT", out)
    java(prefix + "_DX", x.grad)
    java(prefix + "_DGAMMA", bn.weight.grad)
    java(prefix + "_DBETA", bn.bias.grad)
    with torch.no_grad():
        bn(x * 0.5 - 1)  # a second step for the running statistics
    java(prefix + "_RUNNING_MEAN", bn.running_mean)
    java(prefix + "_RUNNING_VAR", bn.running_var)
    bn.eval()
    java(prefix + "_EVAL_OUT", bn(x))


print("  // torch", torch.__version__)
case("DENSE", torch.nn.BatchNorm1d(4), (6, 4))
case("PLANES", torch.nn.BatchNorm2d(2), (3, 2, 3, 3))
