"""NumPy/OpenBLAS GEMM and dot at simdlearn's benchmark shapes, for docs/benchmarks.md.

Run: env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1 python3 jmh/peers/numpy_gemm.py [SHAPE ...]
(OPENBLAS_CORETYPE=Haswell, which some machines set, forces the AVX2 kernels at half speed;
OPENBLAS_NUM_THREADS=2 for the two-thread figures.) Prints OpenBLAS's core name, then the
median time of many calls and GFLOP/s (2*m*n*k / time) per shape, and the dot of 10^6 floats.
"""
import ctypes
import glob
import os
import sys
import time

import numpy as np

SHAPES = {  # name: (a shape, b shape, transpose a, transpose b), as GemmBenchmark names them
    "fwd_256x784_784x10": ((256, 784), (784, 10), False, False),
    "fwd_256x784_10x784T": ((256, 784), (10, 784), False, True),
    "grad_784x256T_256x10": ((256, 784), (256, 10), True, False),
    "grad_10x256T_256x784": ((256, 10), (256, 784), True, False),
    "square_128": ((128, 128), (128, 128), False, False),
    "square_512": ((512, 512), (512, 512), False, False),
    "square_1000": ((1000, 1000), (1000, 1000), False, False),
    "square_1024": ((1024, 1024), (1024, 1024), False, False),
    "square_2048": ((2048, 2048), (2048, 2048), False, False),
    "tall_60000x784_784x256": ((60000, 784), (784, 256), False, False),
}


def core_name():
    """The OpenBLAS kernel family in use (SkylakeX = AVX-512, Haswell = AVX2), if findable."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    for lib in libs:
        for fn in ("scipy_openblas_get_corename64_", "openblas_get_corename64_",
                   "openblas_get_corename"):
            try:
                f = getattr(ctypes.CDLL(lib), fn)
                f.restype = ctypes.c_char_p
                return f().decode()
            except (AttributeError, OSError):
                pass
    return "unknown"


print(f"numpy {np.__version__}, OpenBLAS core {core_name()},"
      f" OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')},"
      f" OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}")
wanted = set(sys.argv[1:])

rng = np.random.default_rng(3)
for name, (sa, sb, ta, tb) in SHAPES.items():
    if wanted and name not in wanted:
        continue
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

if not wanted or "dot_1000000" in wanted:
    x = rng.standard_normal(1_000_000, dtype=np.float32)
    y = rng.standard_normal(1_000_000, dtype=np.float32)
    for _ in range(200):
        np.dot(x, y)
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(500):
            np.dot(x, y)
        times.append((time.perf_counter() - t0) / 500)
    t = sorted(times)[len(times) // 2]
    print(f"{'dot_1000000':24s} {t * 1e6:10.1f} us")
