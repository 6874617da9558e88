#!/usr/bin/env python3
"""Writes the small data sets of samples/data-formats/ (seeded; Python's standard library only; rerun to reproduce).

- images/: an image folder, one subfolder per class, 12 RGB PNGs of 24x24 each: a bright horizontal bar (bars-h),
  a bright vertical bar (bars-v), or a bright square (square), at a random place over dim noise. The spec reads them
  as 1x16x16 grayscale (the reader resizes and converts).
- idx/: MNIST's IDX format: 240 images of 12x12 unsigned bytes (gzip-compressed) with 3 classes (a bright top half,
  bottom half or left half, over noise) and their labels.
- sequences.csv: 48 sequences of 10 time steps, one row per step (id, x, y, label): class 1 rises over time, class 0 falls.
"""
import gzip
import os
import random
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "data-formats")


def png(path, width, height, rgb_rows):
    """A truecolour 8-bit PNG (colour type 2) from rows of (r, g, b) tuples."""
    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in rgb_rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def images(rng):
    size = 24
    for cls in ("bars-h", "bars-v", "square"):
        folder = os.path.join(OUT, "images", cls)
        os.makedirs(folder, exist_ok=True)
        for k in range(12):
            at = rng.randrange(4, size - 8)
            tint = (rng.randrange(180, 256), rng.randrange(180, 256), rng.randrange(180, 256))
            rows = []
            for y in range(size):
                row = []
                for x in range(size):
                    on = (cls == "bars-h" and at <= y < at + 4) or (cls == "bars-v" and at <= x < at + 4) \
                        or (cls == "square" and at <= x < at + 8 and at <= y < at + 8)
                    row.append(tint if on else tuple(rng.randrange(0, 60) for _ in range(3)))
                rows.append(row)
            png(os.path.join(folder, "%s-%02d.png" % (cls, k)), size, size, rows)


def idx(rng):
    n, side = 240, 12
    pixels, labels = bytearray(), bytearray()
    for i in range(n):
        cls = i % 3
        labels.append(cls)
        for y in range(side):
            for x in range(side):
                on = (cls == 0 and y < side // 2) or (cls == 1 and y >= side // 2) or (cls == 2 and x < side // 2)
                pixels.append(rng.randrange(150, 256) if on else rng.randrange(0, 80))
    folder = os.path.join(OUT, "idx")
    os.makedirs(folder, exist_ok=True)
    # gzip with a fixed mtime, so that the file is the same on every run
    with open(os.path.join(folder, "images-idx3-ubyte.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(b"\x00\x00\x08\x03" + struct.pack(">III", n, side, side) + pixels)
    with open(os.path.join(folder, "labels-idx1-ubyte"), "wb") as f:
        f.write(b"\x00\x00\x08\x01" + struct.pack(">I", n) + labels)


def sequences(rng):
    with open(os.path.join(OUT, "sequences.csv"), "w") as f:
        f.write("id,x,y,label\n")
        for s in range(48):
            label = s % 2
            slope = rng.uniform(0.05, 0.15) * (1 if label else -1)
            start = rng.uniform(-0.5, 0.5)
            for t in range(10):
                f.write("s%02d,%.3f,%.3f,%d\n" % (s, start + slope * t + rng.gauss(0, 0.05), rng.gauss(0, 0.5), label))


if __name__ == "__main__":
    rng = random.Random(13)
    images(rng)
    idx(rng)
    sequences(rng)
