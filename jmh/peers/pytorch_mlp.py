"""PyTorch peer of simdlearn's trainer: d2l's Fashion-MNIST models with the same settings.

PyTorch's best single-process configuration on a small CPU: one thread (two thrash on a 2-vCPU
VM), the whole dataset as in-memory tensors (no DataLoader), OpenBLAS on its AVX-512 kernel
(OPENBLAS_CORETYPE unset; Debian's torch uses the system BLAS: install libopenblas0-pthread).

Run:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 jmh/peers/pytorch_mlp.py --data ../shared/data/fashion-mnist --model mlp

Models: softmax (d2l 3.7: 784-10, lr 0.1), mlp (d2l 4.3: 784-256-10, ReLU, lr 0.1), dropout
(d2l 4.6: 784-256-256-10, ReLU, dropout 0.2 and 0.5, lr 0.5). Weights N(0, 0.01^2), biases 0,
batch 256, minibatch SGD on the mean cross-entropy, shuffled, as simdlearn's defaults.
Prints a line per epoch (training seconds, as simdlearn's epoch lines: evaluation excluded),
then the best and median training time of epochs 4..N and the whole run.
"""
import argparse
import gzip
import os
import statistics
import sys
import time

T0 = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


def idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir):
    def part(name):
        gz = os.path.join(data_dir, name + ".gz")
        return idx(gz if os.path.exists(gz) else os.path.join(data_dir, name))

    def images(name):
        return torch.from_numpy(part(name).reshape(-1, 784).astype(np.float32) / 255.0)

    def labels(name):
        return torch.from_numpy(part(name).astype(np.int64))

    return (images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


def network(model):
    if model == "softmax":
        layers, lr = [nn.Linear(784, 10)], 0.1
    elif model == "mlp":
        layers, lr = [nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)], 0.1
    elif model == "dropout":
        layers = [nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 256), nn.ReLU(),
                  nn.Dropout(0.5), nn.Linear(256, 10)]
        lr = 0.5
    else:
        raise SystemExit(f"unknown model {model}: softmax, mlp or dropout")
    net = nn.Sequential(*layers)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.01)
            nn.init.zeros_(m.bias)
    return net, lr


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data/fashion-mnist")
    p.add_argument("--model", default="mlp")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y, tx, ty = load(a.data)
    net, lr = network(a.model)
    loss = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, model {a.model}, "
          f"data loaded at {time.perf_counter() - T0:.2f} s", flush=True)
    times = []
    for epoch in range(1, a.epochs + 1):
        net.train()
        t = time.perf_counter()
        perm = torch.randperm(x.shape[0])
        total, correct = 0.0, 0
        for i in range(0, x.shape[0], 256):
            b = perm[i:i + 256]
            out = net(x[b])
            l = loss(out, y[b])
            opt.zero_grad()
            l.backward()
            opt.step()
            total += l.item() * len(b)
            correct += (out.argmax(1) == y[b]).sum().item()
        seconds = time.perf_counter() - t
        times.append(seconds)
        net.eval()
        with torch.no_grad():
            acc = (net(tx).argmax(1) == ty).float().mean().item()
        print(f"epoch {epoch:2d}/{a.epochs}  train loss {total / x.shape[0]:.4f}  "
              f"train acc {correct / x.shape[0]:.4f}  test acc {acc:.4f}  {seconds:.3f} s",
              flush=True)
    steady = times[3:] or times
    print(f"done: test acc {acc:.4f}; steady epoch (epochs 4-{a.epochs}) best "
          f"{min(steady):.3f} s, median {statistics.median(steady):.3f} s; "
          f"{time.perf_counter() - T0:.2f} s since the script started")
    return 0


if __name__ == "__main__":
    sys.exit(main())
