"""PyTorch peer of ConvLayerBenchmark: each windowed layer of d2l's LeNet on a batch of 256.

The same shapes through torch.nn.functional (oneDNN on CPU), forward and backward, one thread;
the median of several timed repetitions after a warm-up, in microseconds per call and GFLOP/s
counted as ConvLayerBenchmark counts them. conv1's backward computes the weight and bias
gradients only (its input needs none), conv2's the input gradient too.

  env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 /usr/bin/python3 jmh/peers/pytorch_conv.py
"""
import statistics
import time

import torch
import torch.nn.functional as F

BATCH = 256


def conv(cin, cout, size, pad, input_grad):
    x = torch.rand(BATCH, cin, size, size, requires_grad=input_grad)
    w = (torch.rand(cout, cin, 5, 5) - 0.5).requires_grad_()
    b = torch.zeros(cout, requires_grad=True)
    out = size + 2 * pad - 4
    flops = 2 * BATCH * cout * out * out * cin * 25

    def forward():
        with torch.no_grad():
            return F.conv2d(x, w, b, padding=pad)

    y = F.conv2d(x, w, b, padding=pad)
    g = torch.rand_like(y)

    def backward():
        inputs = [w, b] + ([x] if input_grad else [])
        return torch.autograd.grad(y, inputs, g, retain_graph=True)

    return forward, backward, flops, flops * (2 if input_grad else 1)


def pool(channels, size):
    x = torch.rand(BATCH, channels, size, size, requires_grad=True)
    flops = BATCH * channels * size * size

    def forward():
        with torch.no_grad():
            return F.avg_pool2d(x, 2, 2)

    y = F.avg_pool2d(x, 2, 2)
    g = torch.rand_like(y)

    def backward():
        return torch.autograd.grad(y, [x], g, retain_graph=True)

    return forward, backward, flops, flops


def timed(fn, seconds=1.0):
    for _ in range(3):
        fn()
    reps = []
    for _ in range(7):
        n = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds / 7:
            fn()
            n += 1
        reps.append((time.perf_counter() - start) / n)
    return statistics.median(reps)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    layers = {
        "conv1": conv(1, 6, 28, 2, False),
        "pool1": pool(6, 28),
        "conv2": conv(6, 16, 14, 0, True),
        "pool2": pool(16, 10),
    }
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, batch {BATCH}")
    for name, (forward, backward, ffl, bfl) in layers.items():
        for what, fn, flops in (("forward", forward, ffl), ("backward", backward, bfl)):
            t = timed(fn)
            print(f"{name:6s} {what:8s} {t * 1e6:9.1f} us  {flops / t / 1e9:6.1f} GFLOP/s")


if __name__ == "__main__":
    main()
