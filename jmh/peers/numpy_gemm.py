"""NumPy/OpenBLAS GEMM at simdlearn's benchmark shapes, one thread, for docs/benchmarks.md.

Run: OPENBLAS_NUM_THREADS=1 python3 jmh/peers/numpy_gemm.py
Prints the median time of many calls and GFLOP/s (2*m*n*k / time) per shape.
"""
import time

import numpy as np

SHAPES = {  # name: (a shape, b shape, transpose a, transpose b), as GemmBenchmark names them
    "fwd_256x784_784x10": ((256, 784), (784, 10), False, False),
    "fwd_256x784_10x784T": ((256, 784), (10, 784), False, True),
    "grad_784x256T_256x10": ((256, 784), (256, 10), True, False),
    "grad_10x256T_256x784": ((256, 10), (256, 784), True, False),
    "square_128": ((128, 128), (128, 128), False, False),
    "square_512": ((512, 512), (512, 512), False, False),
    "square_1024": ((1024, 1024), (1024, 1024), False, False),
}

rng = np.random.default_rng(3)
for name, (sa, sb, ta, tb) in SHAPES.items():
    a = rng.standard_normal(sa, dtype=np.float32)
    b = rng.standard_normal(sb, dtype=np.float32)
    op_a = a.T if ta else a
    op_b = b.T if tb else b
    m, k = op_a.shape
    n = op_b.shape[1]
    out = np.empty((m, n), dtype=np.float32)
    reps = max(3, int(2e8 / (2 * m * n * k)))
    for _ in range(reps):
        np.matmul(op_a, op_b, out=out)
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(op_a, op_b, out=out)
        times.append((time.perf_counter() - t0) / reps)
    t = sorted(times)[len(times) // 2]
    print(f"{name:24s} {t * 1e6:10.1f} us  {2 * m * n * k / t / 1e9:6.1f} GFLOP/s")
