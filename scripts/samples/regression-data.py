#!/usr/bin/env python3
"""Writes samples/regression/data/targets.csv: a small learnable regression task with negative and positive targets,
and targets-unscaled.csv: the same rows with the features in thousandths (x 1000), as raw sensor counts often are.

y = 1.5 x0 - 2 x1 + 0.5 sin(3 x2) + noise (sd 0.1), x uniform in [-1, 1]. Seeded (numpy's default_rng(2026)), so
the file is the same on every run; the samples' expected results (samples/README.md) were measured on it.
"""
import pathlib

import numpy as np

rng = np.random.default_rng(2026)
n = 200
x = rng.uniform(-1, 1, size=(n, 3))
y = 1.5 * x[:, 0] - 2 * x[:, 1] + 0.5 * np.sin(3 * x[:, 2]) + rng.normal(0, 0.1, size=n)
data = pathlib.Path(__file__).resolve().parents[2] / "samples" / "regression" / "data"
for name, scale, digits in (("targets.csv", 1, 4), ("targets-unscaled.csv", 1000, 1)):
    with (data / name).open("w") as f:
        f.write("x0,x1,x2,y\n")
        for row, target in zip(x, y):
            f.write(",".join(f"{v * scale:.{digits}f}" for v in row) + f",{target:.4f}\n")
    print(f"wrote {data / name}: {n} rows, features x {scale}, y in [{y.min():.3f}, {y.max():.3f}]")
