#!/usr/bin/env python3
"""Writes the Keras samples (samples/keras/*/*.json) and HDF5 test files (src/test/resources/keras/*.h5).

TensorFlow is not installable on the machines modelgate is developed on (no PyPI), so these files are written here
in the formats Keras 2 writes: model.to_json() for the JSON files, and model.save("m.h5") (h5py, the layout of
keras/saving/legacy/hdf5_format.py: root attributes keras_version, backend, model_config, training_config; group
model_weights with layer_names, and per layer weight_names and one dataset per weight) for the HDF5 files.

Needs numpy, and h5py for the HDF5 files. Run from the repository root:  python3 scripts/keras-fixtures.py
The outputs are committed; rerunning gives identical JSON (seeded weights, but HDF5 bytes may differ by h5py version).
"""
import json
import os
import sys

import numpy as np

KERAS_VERSION = "2.12.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples", "keras")
RESOURCES = os.path.join(ROOT, "src", "test", "resources", "keras")


def initializer(name):
    return {"class_name": name, "config": {"seed": None}} if name != "Zeros" else {"class_name": "Zeros", "config": {}}


def common(name):
    return {"name": name, "trainable": True, "dtype": "float32"}


def weighted(cfg, activation, use_bias=True):
    cfg.update({"activation": activation, "use_bias": use_bias, "kernel_initializer": initializer("GlorotUniform"),
                "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
                "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None})
    return cfg


def input_layer(name, shape):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None] + list(shape), "dtype": "float32",
                                                   "sparse": False, "ragged": False, "name": name}}


def conv2d(name, filters, kernel, activation="relu", padding="valid", strides=1):
    cfg = common(name)
    cfg.update({"filters": filters, "kernel_size": [kernel, kernel], "strides": [strides, strides], "padding": padding,
                "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1})
    return {"class_name": "Conv2D", "config": weighted(cfg, activation)}


def max_pool(name, size=2):
    cfg = common(name)
    cfg.update({"pool_size": [size, size], "padding": "valid", "strides": [size, size], "data_format": "channels_last"})
    return {"class_name": "MaxPooling2D", "config": cfg}


def flatten(name):
    cfg = common(name)
    cfg["data_format"] = "channels_last"
    return {"class_name": "Flatten", "config": cfg}


def dense(name, units, activation):
    cfg = common(name)
    cfg["units"] = units
    return {"class_name": "Dense", "config": weighted(cfg, activation)}


def simple(class_name, name, **extra):
    cfg = common(name)
    cfg.update(extra)
    return {"class_name": class_name, "config": cfg}


def sequential(name, layers):
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers}, "keras_version": KERAS_VERSION,
            "backend": "tensorflow"}


def functional(name, layers, inputs, outputs):
    """layers: (layer, [inbound layer names]) pairs, in order."""
    out = []
    for layer, inbound in layers:
        layer = dict(layer)
        layer["name"] = layer["config"]["name"]
        layer["inbound_nodes"] = [[[i, 0, 0, {}] for i in inbound]] if inbound else []
        out.append(layer)
    return {"class_name": "Functional",
            "config": {"name": name, "layers": out, "input_layers": [[i, 0, 0] for i in inputs],
                       "output_layers": [[o, 0, 0] for o in outputs]},
            "keras_version": KERAS_VERSION, "backend": "tensorflow"}


def lenet(conv2_filters=50):
    return sequential("lenet", [input_layer("image", (28, 28, 1)), conv2d("conv1", 20, 5), max_pool("pool1"),
                                conv2d("conv2", conv2_filters, 5), max_pool("pool2"), flatten("flatten"),
                                dense("fc1", 500, "relu"), dense("output", 10, "softmax")])


def mlp(depth, activation, name):
    layers = [input_layer("features", (20,))]
    layers += [dense("fc%d" % i, 32, activation) for i in range(1, depth + 1)]
    layers.append(dense("output", 3, "softmax"))
    return sequential(name, layers)


def resnet(block_filters=16):
    return functional("resnet", [
        (input_layer("image", (16, 16, 3)), []),
        (conv2d("stem", 16, 3, padding="same"), ["image"]),
        (conv2d("block_a", block_filters, 3, padding="same"), ["stem"]),
        (conv2d("block_b", 16, 3, activation="linear", padding="same"), ["block_a"]),
        (simple("Add", "add"), ["stem", "block_b"]),
        (simple("Activation", "relu", activation="relu"), ["add"]),
        (simple("GlobalAveragePooling2D", "gap", data_format="channels_last", keepdims=False), ["relu"]),
        (dense("logits", 10, "softmax"), ["gap"]),
    ], ["image"], ["logits"])


def zoo():
    """One Functional model with most layer kinds DL4J's import maps, for the import test."""
    bn = simple("BatchNormalization", "bn", axis=[3], momentum=0.99, epsilon=0.001, center=True, scale=True,
                beta_initializer=initializer("Zeros"), gamma_initializer={"class_name": "Ones", "config": {}},
                moving_mean_initializer=initializer("Zeros"), moving_variance_initializer={"class_name": "Ones", "config": {}},
                beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None)
    sep = simple("SeparableConv2D", "sep", filters=8, kernel_size=[3, 3], strides=[1, 1], padding="same",
                 data_format="channels_last", dilation_rate=[1, 1], depth_multiplier=1, activation="relu", use_bias=True,
                 depthwise_initializer=initializer("GlorotUniform"), pointwise_initializer=initializer("GlorotUniform"),
                 bias_initializer=initializer("Zeros"), depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None)
    avg = simple("AveragePooling2D", "avg", pool_size=[2, 2], padding="valid", strides=[2, 2], data_format="channels_last")
    return functional("zoo", [
        (input_layer("image", (16, 16, 3)), []),
        (conv2d("conv", 8, 3, padding="same"), ["image"]),
        (bn, ["conv"]),
        (max_pool("pool"), ["bn"]),
        (conv2d("branch_a", 8, 1, padding="same"), ["pool"]),
        (sep, ["pool"]),
        (simple("Concatenate", "concat", axis=-1), ["branch_a", "sep"]),
        (avg, ["concat"]),
        (simple("Dropout", "drop", rate=0.25, noise_shape=None, seed=None), ["avg"]),
        (simple("GlobalMaxPooling2D", "gmp", data_format="channels_last", keepdims=False), ["drop"]),
        (dense("fc", 16, "tanh"), ["gmp"]),
        (dense("out", 4, "softmax"), ["fc"]),
    ], ["image"], ["out"])


def write_json(path, model):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")


# --- HDF5 -----------------------------------------------------------------------------------------------------

def weight_shapes(layer, in_shape):
    """The weights Keras keeps for a layer, and the layer's output shape (without the batch dimension)."""
    c, cfg = layer["class_name"], layer["config"]
    if c == "Dense":
        return [("kernel:0", (in_shape[-1], cfg["units"])), ("bias:0", (cfg["units"],))], (cfg["units"],)
    if c == "Conv2D":
        k, f = cfg["kernel_size"], cfg["filters"]
        h, w = in_shape[0], in_shape[1]
        if cfg["padding"] == "valid":
            h, w = h - k[0] + 1, w - k[1] + 1
        return [("kernel:0", (k[0], k[1], in_shape[2], f)), ("bias:0", (f,))], (h, w, f)
    if c == "MaxPooling2D":
        s = cfg["pool_size"]
        return [], (in_shape[0] // s[0], in_shape[1] // s[1], in_shape[2])
    if c == "Flatten":
        return [], (int(np.prod(in_shape)),)
    if c == "InputLayer":
        return [], tuple(cfg["batch_input_shape"][1:])
    raise ValueError("no weights rule for " + c)


def save_h5(path, model, training_config=None, seed=1, weights_only=False):
    """model.save(path) for a Sequential model (or model.save_weights(path) with weights_only), weights seeded."""
    import h5py
    rng = np.random.default_rng(seed)
    layers = model["config"]["layers"]
    shape = None
    weights = {}
    names = []
    for layer in layers:
        ws, shape_out = weight_shapes(layer, shape)
        name = layer["config"]["name"]
        if layer["class_name"] != "InputLayer":  # a Sequential model's layers do not include its InputLayer
            names.append(name)
            weights[name] = [(name + "/" + w, (rng.standard_normal(s) * 0.1).astype(np.float32)) for w, s in ws]
        shape = shape_out
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with h5py.File(path, "w") as f:
        if not weights_only:
            f.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
            f.attrs["backend"] = b"tensorflow"
            f.attrs["model_config"] = json.dumps({"class_name": model["class_name"], "config": model["config"]}).encode("utf8")
            if training_config is not None:
                f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
            g = f.create_group("model_weights")
        else:
            g = f
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        g.attrs["layer_names"] = np.array([n.encode("utf8") for n in names])
        for n in names:
            lg = g.create_group(n)
            lg.attrs["weight_names"] = np.array([w.encode("utf8") for w, _ in weights[n]])
            for w, value in weights[n]:
                lg.create_dataset(w, data=value)
    return weights


def forward_mlp(weights, names, activations, x):
    """The Keras forward pass of a Dense-only model, to check that DL4J reads the same weights."""
    for n, act in zip(names, activations):
        (_, kernel), (_, bias) = weights[n]
        x = x @ kernel + bias
        if act == "relu":
            x = np.maximum(x, 0)
        elif act == "tanh":
            x = np.tanh(x)
        elif act == "softmax":
            e = np.exp(x - x.max(axis=-1, keepdims=True))
            x = e / e.sum(axis=-1, keepdims=True)
    return x


def main():
    write_json(os.path.join(SAMPLES, "lenet", "original.json"), lenet())
    write_json(os.path.join(SAMPLES, "lenet", "conv2-4x.json"), lenet(conv2_filters=200))
    write_json(os.path.join(SAMPLES, "lenet", "conv2-1.6x.json"), lenet(conv2_filters=80))
    write_json(os.path.join(SAMPLES, "mlp", "original.json"), mlp(4, "sigmoid", "sigmoid_mlp"))
    write_json(os.path.join(SAMPLES, "mlp", "sigmoid-20-layers.json"), mlp(20, "sigmoid", "deep_sigmoid_mlp"))
    write_json(os.path.join(SAMPLES, "resnet", "original.json"), resnet())
    write_json(os.path.join(SAMPLES, "resnet", "block-a-4x.json"), resnet(block_filters=64))

    write_json(os.path.join(RESOURCES, "zoo.json"), zoo())

    try:
        import h5py  # noqa: F401
    except ImportError:
        print("h5py is not installed: JSON samples written, HDF5 test files not", file=sys.stderr)
        return
    adam = {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9,
                                             "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}}
    small_cnn = sequential("small_cnn", [input_layer("image", (12, 12, 1)), conv2d("conv1", 4, 3), max_pool("pool1"),
                                         flatten("flatten"), dense("fc1", 16, "relu"), dense("output", 3, "softmax")])
    save_h5(os.path.join(RESOURCES, "small-cnn.h5"), small_cnn, seed=3,
            training_config={"loss": "categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None,
                             "loss_weights": None, "optimizer_config": adam})
    os.makedirs(os.path.join(SAMPLES, "trained"), exist_ok=True)
    import shutil
    shutil.copyfile(os.path.join(RESOURCES, "small-cnn.h5"), os.path.join(SAMPLES, "trained", "original.h5"))
    # The same architecture with other weights: a model saved again after more training.
    save_h5(os.path.join(RESOURCES, "small-cnn-retrained.h5"), small_cnn, seed=4,
            training_config={"loss": "categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None,
                             "loss_weights": None, "optimizer_config": adam})
    mlp_model = sequential("small_mlp", [input_layer("features", (6,)), dense("fc1", 8, "tanh"), dense("fc2", 8, "relu"),
                                         dense("output", 3, "softmax")])
    weights = save_h5(os.path.join(RESOURCES, "small-mlp.h5"), mlp_model, seed=5)
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(1, 6)
    y = forward_mlp(weights, ["fc1", "fc2", "output"], ["tanh", "relu", "softmax"], x)
    write_json(os.path.join(RESOURCES, "small-mlp-expected.json"), {"input": x[0].tolist(), "output": y[0].tolist()})
    save_h5(os.path.join(RESOURCES, "weights-only.h5"), mlp_model, seed=5, weights_only=True)


if __name__ == "__main__":
    main()
