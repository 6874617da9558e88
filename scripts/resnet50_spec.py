#!/usr/bin/env python3
"""Writes a ResNet-50 (bottleneck blocks 3-4-6-3, 25.6M parameters) in modelgate's spec format.
Usage: resnet50_spec.py SIZE BATCH > resnet50.yaml   (SIZE: input height = width; 224 is ImageNet's)"""
import sys
size, batch = int(sys.argv[1]), int(sys.argv[2])
out = [f"# ResNet-50 at {size}x{size}, batch {batch}: written by scripts/bench/resnet50_spec.py for docs/benchmarks.md",
       "name: resnet50", f"input: {{image: [3, {size}, {size}]}}",
       f"training: {{batch-size: {batch}, seed: 42, optimizer: {{type: sgd, learning-rate: 0.01}}}}", "nodes:",
       "  stem: {type: conv2d, filters: 64, kernel: 7, stride: 2, padding: same, activation: identity, weight-init: he}",
       "  stem_bn: {type: batch-norm}", "  stem_act: {type: activation, activation: relu}",
       "  stem_pool: {type: max-pool, kernel: 3, stride: 2, padding: same}"]
prev = "stem_pool"
for s, (blocks, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)], start=2):
    for b in range(blocks):
        n = f"s{s}b{b}"
        stride = 2 if (b == 0 and s > 2) else 1
        out += [f"  {n}_c1: {{type: conv2d, filters: {width}, kernel: 1, stride: {stride}, padding: same, activation: identity, weight-init: he, inputs: [{prev}]}}",
                f"  {n}_bn1: {{type: batch-norm}}", f"  {n}_a1: {{type: activation, activation: relu}}",
                f"  {n}_c2: {{type: conv2d, filters: {width}, kernel: 3, padding: same, activation: identity, weight-init: he}}",
                f"  {n}_bn2: {{type: batch-norm}}", f"  {n}_a2: {{type: activation, activation: relu}}",
                f"  {n}_c3: {{type: conv2d, filters: {4 * width}, kernel: 1, padding: same, activation: identity, weight-init: he}}",
                f"  {n}_bn3: {{type: batch-norm}}"]
        shortcut = prev
        if b == 0:
            out += [f"  {n}_proj: {{type: conv2d, filters: {4 * width}, kernel: 1, stride: {stride}, padding: same, activation: identity, weight-init: he, inputs: [{prev}]}}",
                    f"  {n}_projbn: {{type: batch-norm}}"]
            shortcut = f"{n}_projbn"
        out += [f"  {n}_add: {{type: add, inputs: [{n}_bn3, {shortcut}]}}", f"  {n}_out: {{type: activation, activation: relu}}"]
        prev = f"{n}_out"
out += ["  gap: {type: global-pool, pooling: avg}", "output: {classes: 1000}"]
print("\n".join(out))
