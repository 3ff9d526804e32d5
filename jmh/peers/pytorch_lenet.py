"""PyTorch peer of simdlearn's LeNet (d2l 6.6; with --bn, d2l 7.5's LeNet with batch
normalisation, lr 1.0), and the source of a shared starting point.

Builds d2l's LeNet-5 (sigmoid, average pooling) with d2l's init (Xavier-uniform weights,
PyTorch's default biases), writes those initial weights as a simdlearn model file
(--init-out), then trains it with d2l's settings (batch 256, SGD at lr 0.9, mean cross-entropy)
on Fashion-MNIST in file order (no shuffle, like simdlearn's --no-shuffle) and prints each
epoch's train loss, train and test accuracy. simdlearn started from the same file must follow:

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 \\
    /usr/bin/python3 jmh/peers/pytorch_lenet.py --data DIR --epochs 3 --init-out /tmp/init.json
  bin/simdlearn train --model lenet --init-from /tmp/init.json --no-shuffle --threads 1 \\
    --epochs 3 --data DIR --no-plots

(with --bn: --model lenet-bn).
"""
import argparse
import base64
import decimal
import gzip
import hashlib
import json
import time

import numpy as np
import torch
from torch import nn

CLASSES = ["t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
           "bag", "ankle boot"]


def idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(d):
    x = torch.tensor(idx(d + "/train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    y = torch.tensor(idx(d + "/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    tx = torch.tensor(idx(d + "/t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    ty = torch.tensor(idx(d + "/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    return x.reshape(-1, 1, 28, 28), y, tx.reshape(-1, 1, 28, 28), ty


def lenet():
    net = nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))
    for m in net:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
    return net


def lenet_bn():
    net = nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
        nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(),
        nn.Linear(84, 10))
    for m in net:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
    return net


def spec(m):
    """The simdlearn model-file entry of a PyTorch layer."""
    if isinstance(m, nn.Conv2d):
        return {"type": "conv2d", "in_channels": m.in_channels, "out_channels": m.out_channels,
                "kernel_height": m.kernel_size[0], "kernel_width": m.kernel_size[1],
                "padding_height": m.padding[0], "padding_width": m.padding[1],
                "stride_height": m.stride[0], "stride_width": m.stride[1],
                "bias": m.bias is not None}
    if isinstance(m, nn.AvgPool2d):
        k, s, p = (m.kernel_size, m.stride, m.padding)
        return {"type": "avg-pool2d", "kernel_height": k, "kernel_width": k, "stride_height": s,
                "stride_width": s, "padding_height": p, "padding_width": p}
    if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
        return {"type": "batch-norm", "features": m.num_features, "eps": m.eps,
                "momentum": m.momentum}
    if isinstance(m, nn.Linear):
        return {"type": "linear", "inputs": m.in_features, "outputs": m.out_features,
                "bias": m.bias is not None}
    return {"type": {nn.Sigmoid: "sigmoid", nn.ReLU: "relu", nn.Flatten: "flatten"}[type(m)]}


def java_double(x):
    """Java's Double.toString of x (what simdlearn's canonical JSON writes for a number):
    the shortest digits, as Python's repr, in Java's notation (0.1, 1.0E-5)."""
    sign, digits, exp = decimal.Decimal(repr(x)).normalize().as_tuple()
    digits = "".join(map(str, digits))
    point = len(digits) + exp  # digits before the decimal point
    if 1e-3 <= abs(x) < 1e7:
        if point > 0:
            whole, frac = digits[:point].ljust(point, "0"), digits[point:]
        else:
            whole, frac = "0", "0" * -point + digits
        text = whole + "." + (frac or "0")
    else:
        text = digits[0] + "." + (digits[1:] or "0") + "E" + str(point - 1)
    return ("-" if sign else "") + text


def canonical(doc):
    """simdlearn's canonical form: keys sorted, compact, numbers as Java writes them."""
    floats = []

    def mark(v):
        if isinstance(v, float):
            floats.append(java_double(v))
            return "\u0000%d" % (len(floats) - 1)
        if isinstance(v, dict):
            return {k: mark(w) for k, w in v.items()}
        if isinstance(v, list):
            return [mark(w) for w in v]
        return v

    text = json.dumps(mark(doc), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for i, f in enumerate(floats):
        text = text.replace('"\\u0000%d"' % i, f, 1)
    return text


def save(net, path, kind):
    """The network as a simdlearn model file (format version 3, docs/model-format.md): the
    parameters, then the running statistics (num_batches_tracked is not kept)."""
    params = []
    state = list(net.named_parameters()) + [
        (name, b) for name, b in net.named_buffers() if not name.endswith("num_batches_tracked")]
    for name, p in state:
        v = p.detach().numpy().astype("<f4")
        rows = v.shape[0] if v.ndim > 1 else 1
        params.append({"name": name, "rows": rows, "cols": int(v.size // rows),
                       "data": base64.b64encode(v.tobytes()).decode()})
    doc = {"format": "simdlearn-model", "version": 3, "kind": kind, "output": "classes",
           "input_shape": [1, 28, 28], "inputs": 784, "outputs": 10, "image_height": 28,
           "image_width": 28, "class_names": CLASSES, "class_names_zh": [],
           "architecture": [spec(m) for m in net], "parameters": params}
    doc["sha256"] = hashlib.sha256(canonical(doc).encode("utf-8")).hexdigest()
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float)
    ap.add_argument("--bn", action="store_true", help="d2l 7.5's LeNet with batch norm")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--init-out")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    x, y, tx, ty = load(a.data)
    net = lenet_bn() if a.bn else lenet()
    if a.init_out:
        save(net, a.init_out, "lenet-bn" if a.bn else "lenet")
    lr = a.lr if a.lr is not None else (1.0 if a.bn else 0.9)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        net.train()
        total, right, n = 0.0, 0, 0
        for i in range(0, len(x), 256):
            xb, yb = x[i:i + 256], y[i:i + 256]
            out = net(xb)
            loss = loss_fn(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
            right += (out.argmax(1) == yb).sum().item()
            n += len(xb)
        seconds = time.perf_counter() - t0
        net.eval()
        with torch.no_grad():
            test = (net(tx).argmax(1) == ty).float().mean().item()
        print(f"epoch {epoch}  loss {total / n:.6f}  train acc {right / n:.4f}  "
              f"test acc {test:.4f}  {seconds:.2f} s", flush=True)


if __name__ == "__main__":
    main()
