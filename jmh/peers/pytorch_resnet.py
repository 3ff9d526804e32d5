"""PyTorch peer of simdlearn's ResNet-18 (d2l 7.6) on 28x28 Fashion-MNIST: the book's network
(Xavier-uniform init as train_ch6, batch 256, SGD at lr 0.05, mean cross-entropy), trained on the
first --limit training images in file order; prints each epoch's train loss, accuracies and
seconds, and the model's FLOPs per example.

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 \\
    /usr/bin/python3 jmh/peers/pytorch_resnet.py --data DIR --epochs 1 [--limit N]
"""
import argparse
import gzip
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class Residual(nn.Module):
    def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1,
                               stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
        self.conv3 = (nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides)
                      if use_1x1conv else None)
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        if self.conv3:
            x = self.conv3(x)
        return F.relu(y + x)


def resnet_block(input_channels, num_channels, num_residuals, first_block=False):
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append(Residual(input_channels, num_channels, use_1x1conv=True, strides=2))
        else:
            blk.append(Residual(num_channels, num_channels))
    return blk


def resnet18():
    b1 = [nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
          nn.MaxPool2d(kernel_size=3, stride=2, padding=1)]
    net = nn.Sequential(*b1, *resnet_block(64, 64, 2, first_block=True),
                        *resnet_block(64, 128, 2), *resnet_block(128, 256, 2),
                        *resnet_block(256, 512, 2), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
                        nn.Linear(512, 10))
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
    return net


def flops(net, x):
    """Multiply-adds x 2 of the convolutions and the dense layer for one example."""
    total = 0

    def hook(m, inp, out):
        nonlocal total
        if isinstance(m, nn.Conv2d):
            total += 2 * out.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            total += 2 * m.in_features * m.out_features
    hooks = [m.register_forward_hook(hook) for m in net.modules()]
    with torch.no_grad():
        net.eval()
        net(x[:1])
    for h in hooks:
        h.remove()
    return total


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    d = a.data.rstrip("/") + "/"
    x = torch.tensor(idx(d + "train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    y = torch.tensor(idx(d + "train-labels-idx1-ubyte.gz"), dtype=torch.long)
    tx = torch.tensor(idx(d + "t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    ty = torch.tensor(idx(d + "t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    x, tx = x.unsqueeze(1), tx.unsqueeze(1)
    if a.limit:
        x, y = x[:a.limit], y[:a.limit]
    net = resnet18()
    print(f"forward FLOPs per example {flops(net, x)}", flush=True)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr)
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
            test = sum((net(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item()
                       for i in range(0, len(tx), 1000)) / len(tx)
        print(f"epoch {epoch}  loss {total / n:.6f}  train acc {right / n:.4f}  "
              f"test acc {test:.4f}  {seconds:.2f} s  {n / seconds:.0f} ex/s", flush=True)


if __name__ == "__main__":
    main()
