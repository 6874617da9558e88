#!/usr/bin/env python3
"""Writes models/keras-apps/*.json: the model.to_json() of five Keras applications, include_top=True, weights=None.

TensorFlow cannot be installed where modelgate is built (no PyPI), and no complete to_json() of these models was found
in public code, so they are written here: the layers, names and order of keras/applications/{resnet,vgg16,mobilenet,
densenet,xception}.py of tf.keras 2.8 (layers = VersionAwareLayers), each layer's config with the fields and defaults
that version's get_config() writes, and the Functional model JSON around them. Layers the application code leaves
unnamed get Keras's automatic names in a fresh session (conv2d, conv2d_1, ..., add, add_1, zero_padding2d, ...).

Each model's parameter count is computed here the way Keras counts it and checked against the count Keras documents
(keras.io/api/applications), so a wrong layer fails the script rather than the test.

Modified versions (a realistic change: one layer's filters 2x and 4x, and whatever reads it) are written beside them.
It also writes src/test/resources/keras/layers/*.json: one small model per layer family DL4J's Keras import maps
(Embedding, Conv1D, the 1-D and 3-D paddings, croppings and poolings, the advanced activations, ...), and into the
hostile-input corpus the layers DL4J 1.0.0-M2.1 cannot import (Lambda, LayerNormalization, LocallyConnected2D).
No dependencies. Run from the repository root:  python3 scripts/keras-apps/generate.py
"""
import copy
import json
import os

KERAS_VERSION = "2.8.0"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "models", "keras-apps")
KNOWN_PARAMS = {"resnet50": 25636712, "vgg16": 138357544, "mobilenet": 4253864, "densenet121": 8062504, "xception": 22910480}


def glorot():
    return {"class_name": "GlorotUniform", "config": {"seed": None}}


def zeros():
    return {"class_name": "Zeros", "config": {}}


def ones():
    return {"class_name": "Ones", "config": {}}


class Model:
    """Builds a Functional model layer by layer, tracking (height, width, channels) and Keras's parameter count."""

    def __init__(self, name, shape):
        self.name = name
        self.layers = []
        self.shapes = {}
        self.params = 0
        self.counters = {}
        self.input = self.add_layer("InputLayer", "input_1", {"batch_input_shape": [None] + list(shape), "dtype": "float32",
                                                             "sparse": False, "ragged": False, "name": "input_1"}, [], tuple(shape), 0,
                                    common=False)

    def auto(self, base):
        """Keras's automatic layer name: base, base_1, base_2, ... in a fresh session."""
        n = self.counters.get(base, 0)
        self.counters[base] = n + 1
        return base if n == 0 else "%s_%d" % (base, n)

    def add_layer(self, cls, name, cfg, inbound, shape, params, common=True):
        if common:
            cfg = dict({"name": name, "trainable": True, "dtype": "float32"}, **cfg)
        self.layers.append({"class_name": cls, "config": cfg, "name": name,
                            "inbound_nodes": [[[i, 0, 0, {}] for i in inbound]] if inbound else []})
        self.shapes[name] = shape
        self.params += params
        return name

    # --- layers -------------------------------------------------------------------------------------------------
    def conv_common(self, kernel, strides, padding, activation, use_bias, dilation=1):
        return {"kernel_size": [kernel, kernel], "strides": [strides, strides], "padding": padding,
                "data_format": "channels_last", "dilation_rate": [dilation, dilation], "groups": 1, "activation": activation,
                "use_bias": use_bias}

    def out_hw(self, h, w, kernel, strides, padding):
        if padding == "same":
            return -(-h // strides), -(-w // strides)
        return (h - kernel) // strides + 1, (w - kernel) // strides + 1

    def conv2d(self, x, filters, kernel, strides=1, padding="valid", activation="linear", use_bias=True, name=None):
        name = name or self.auto("conv2d")
        h, w, c = self.shapes[x]
        cfg = {"filters": filters}
        cfg.update(self.conv_common(kernel, strides, padding, activation, use_bias))
        cfg.update({"kernel_initializer": glorot(), "bias_initializer": zeros(), "kernel_regularizer": None, "bias_regularizer": None,
                    "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None})
        oh, ow = self.out_hw(h, w, kernel, strides, padding)
        return self.add_layer("Conv2D", name, cfg, [x], (oh, ow, filters), kernel * kernel * c * filters + (filters if use_bias else 0))

    def depthwise(self, x, kernel, strides=1, padding="same", use_bias=False, name=None):
        name = name or self.auto("depthwise_conv2d")
        h, w, c = self.shapes[x]
        cfg = self.conv_common(kernel, strides, padding, "linear", use_bias)
        cfg.update({"bias_initializer": zeros(), "bias_regularizer": None, "activity_regularizer": None, "bias_constraint": None,
                    "depth_multiplier": 1, "depthwise_initializer": glorot(), "depthwise_regularizer": None, "depthwise_constraint": None})
        oh, ow = self.out_hw(h, w, kernel, strides, padding)
        return self.add_layer("DepthwiseConv2D", name, cfg, [x], (oh, ow, c), kernel * kernel * c + (c if use_bias else 0))

    def separable(self, x, filters, kernel, padding="same", use_bias=False, name=None):
        name = name or self.auto("separable_conv2d")
        h, w, c = self.shapes[x]
        cfg = {"filters": filters}
        cfg.update(self.conv_common(kernel, 1, padding, "linear", use_bias))
        cfg.update({"bias_initializer": zeros(), "bias_regularizer": None, "activity_regularizer": None, "bias_constraint": None,
                    "depth_multiplier": 1, "depthwise_initializer": glorot(), "pointwise_initializer": glorot(),
                    "depthwise_regularizer": None, "pointwise_regularizer": None, "depthwise_constraint": None, "pointwise_constraint": None})
        oh, ow = self.out_hw(h, w, kernel, 1, padding)
        return self.add_layer("SeparableConv2D", name, cfg, [x], (oh, ow, filters),
                              kernel * kernel * c + c * filters + (filters if use_bias else 0))

    def bn(self, x, epsilon=0.001, name=None):
        name = name or self.auto("batch_normalization")
        cfg = {"axis": [3], "momentum": 0.99, "epsilon": epsilon, "center": True, "scale": True, "beta_initializer": zeros(),
               "gamma_initializer": ones(), "moving_mean_initializer": zeros(), "moving_variance_initializer": ones(),
               "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}
        return self.add_layer("BatchNormalization", name, cfg, [x], self.shapes[x], 4 * self.shapes[x][2])

    def activation(self, x, fn, name=None):
        name = name or self.auto("activation")
        return self.add_layer("Activation", name, {"activation": fn}, [x], self.shapes[x], 0)

    def relu6(self, x, name):
        return self.add_layer("ReLU", name, {"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0}, [x], self.shapes[x], 0)

    def zero_pad(self, x, top, bottom, left, right, name=None):
        name = name or self.auto("zero_padding2d")
        h, w, c = self.shapes[x]
        return self.add_layer("ZeroPadding2D", name, {"padding": [[top, bottom], [left, right]], "data_format": "channels_last"}, [x],
                              (h + top + bottom, w + left + right, c), 0)

    def pool(self, x, cls, size, strides, padding="valid", name=None):
        name = name or self.auto("max_pooling2d" if cls == "MaxPooling2D" else "average_pooling2d")
        h, w, c = self.shapes[x]
        oh, ow = self.out_hw(h, w, size, strides, padding)
        return self.add_layer(cls, name, {"pool_size": [size, size], "padding": padding, "strides": [strides, strides],
                                          "data_format": "channels_last"}, [x], (oh, ow, c), 0)

    def global_avg(self, x, name=None):
        name = name or self.auto("global_average_pooling2d")
        return self.add_layer("GlobalAveragePooling2D", name, {"data_format": "channels_last", "keepdims": False}, [x],
                              (self.shapes[x][2],), 0)

    def flatten(self, x, name):
        h, w, c = self.shapes[x]
        return self.add_layer("Flatten", name, {"data_format": "channels_last"}, [x], (h * w * c,), 0)

    def reshape(self, x, target, name):
        return self.add_layer("Reshape", name, {"target_shape": list(target)}, [x], tuple(target), 0)

    def dropout(self, x, rate, name):
        return self.add_layer("Dropout", name, {"rate": rate, "noise_shape": None, "seed": None}, [x], self.shapes[x], 0)

    def dense(self, x, units, activation, name):
        cfg = {"units": units, "activation": activation, "use_bias": True, "kernel_initializer": glorot(), "bias_initializer": zeros(),
               "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
               "bias_constraint": None}
        return self.add_layer("Dense", name, cfg, [x], (units,), self.shapes[x][0] * units + units)

    def add(self, a, b, name=None):
        name = name or self.auto("add")
        assert self.shapes[a] == self.shapes[b], (name, self.shapes[a], self.shapes[b])
        return self.add_layer("Add", name, {}, [a, b], self.shapes[a], 0)

    def concat(self, a, b, name):
        (h, w, c1), (_, _, c2) = self.shapes[a], self.shapes[b]
        return self.add_layer("Concatenate", name, {"axis": 3}, [a, b], (h, w, c1 + c2), 0)

    def to_json(self, output):
        return {"class_name": "Functional",
                "config": {"name": self.name, "layers": self.layers, "input_layers": [[self.input, 0, 0]],
                           "output_layers": [[output, 0, 0]]},
                "keras_version": KERAS_VERSION, "backend": "tensorflow"}


# --- keras/applications/resnet.py: ResNet50 (stack1 / block1) --------------------------------------------------------
def resnet50(widths=None):
    widths = widths or {}
    m = Model("resnet50", (224, 224, 3))
    x = m.zero_pad(m.input, 3, 3, 3, 3, name="conv1_pad")
    x = m.conv2d(x, 64, 7, strides=2, name="conv1_conv")
    x = m.bn(x, epsilon=1.001e-5, name="conv1_bn")
    x = m.activation(x, "relu", name="conv1_relu")
    x = m.zero_pad(x, 1, 1, 1, 1, name="pool1_pad")
    x = m.pool(x, "MaxPooling2D", 3, 2, name="pool1_pool")

    def block1(x, filters, stride=1, conv_shortcut=True, name=None):
        if conv_shortcut:
            shortcut = m.conv2d(x, 4 * filters, 1, strides=stride, name=name + "_0_conv")
            shortcut = m.bn(shortcut, epsilon=1.001e-5, name=name + "_0_bn")
        else:
            shortcut = x
        x = m.conv2d(x, filters, 1, strides=stride, name=name + "_1_conv")
        x = m.bn(x, epsilon=1.001e-5, name=name + "_1_bn")
        x = m.activation(x, "relu", name=name + "_1_relu")
        x = m.conv2d(x, widths.get(name + "_2_conv", filters), 3, padding="same", name=name + "_2_conv")
        x = m.bn(x, epsilon=1.001e-5, name=name + "_2_bn")
        x = m.activation(x, "relu", name=name + "_2_relu")
        x = m.conv2d(x, 4 * filters, 1, name=name + "_3_conv")
        x = m.bn(x, epsilon=1.001e-5, name=name + "_3_bn")
        x = m.add(shortcut, x, name=name + "_add")
        return m.activation(x, "relu", name=name + "_out")

    def stack1(x, filters, blocks, stride1=2, name=None):
        x = block1(x, filters, stride=stride1, name=name + "_block1")
        for i in range(2, blocks + 1):
            x = block1(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
        return x

    x = stack1(x, 64, 3, stride1=1, name="conv2")
    x = stack1(x, 128, 4, name="conv3")
    x = stack1(x, 256, 6, name="conv4")
    x = stack1(x, 512, 3, name="conv5")
    x = m.global_avg(x, name="avg_pool")
    return m, m.dense(x, 1000, "softmax", name="predictions")


# --- keras/applications/vgg16.py -------------------------------------------------------------------------------------
def vgg16(widths=None):
    widths = widths or {}
    m = Model("vgg16", (224, 224, 3))
    x = m.input
    for block, (filters, convs) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], start=1):
        for i in range(1, convs + 1):
            name = "block%d_conv%d" % (block, i)
            x = m.conv2d(x, widths.get(name, filters), 3, padding="same", activation="relu", name=name)
        x = m.pool(x, "MaxPooling2D", 2, 2, name="block%d_pool" % block)
    x = m.flatten(x, name="flatten")
    x = m.dense(x, 4096, "relu", name="fc1")
    x = m.dense(x, 4096, "relu", name="fc2")
    return m, m.dense(x, 1000, "softmax", name="predictions")


# --- keras/applications/mobilenet.py: MobileNet v1, alpha 1.0, 224 ---------------------------------------------------
def mobilenet(widths=None):
    widths = widths or {}
    m = Model("mobilenet_1.00_224", (224, 224, 3))
    x = m.conv2d(m.input, 32, 3, strides=2, padding="same", use_bias=False, name="conv1")
    x = m.bn(x, name="conv1_bn")
    x = m.relu6(x, name="conv1_relu")

    def dw_block(x, filters, strides, block_id):
        if strides != 1:
            x = m.zero_pad(x, 0, 1, 0, 1, name="conv_pad_%d" % block_id)
        x = m.depthwise(x, 3, strides=strides, padding="same" if strides == 1 else "valid", name="conv_dw_%d" % block_id)
        x = m.bn(x, name="conv_dw_%d_bn" % block_id)
        x = m.relu6(x, name="conv_dw_%d_relu" % block_id)
        name = "conv_pw_%d" % block_id
        x = m.conv2d(x, widths.get(name, filters), 1, padding="same", use_bias=False, name=name)
        x = m.bn(x, name="conv_pw_%d_bn" % block_id)
        return m.relu6(x, name="conv_pw_%d_relu" % block_id)

    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    for block_id, (filters, strides) in enumerate(plan, start=1):
        x = dw_block(x, filters, strides, block_id)
    x = m.global_avg(x)
    x = m.reshape(x, (1, 1, m.shapes[x][0]), name="reshape_1")
    x = m.dropout(x, 1e-3, name="dropout")
    x = m.conv2d(x, 1000, 1, padding="same", name="conv_preds")
    x = m.reshape(x, (1000,), name="reshape_2")
    return m, m.activation(x, "softmax", name="predictions")


# --- keras/applications/densenet.py: DenseNet121 ---------------------------------------------------------------------
def densenet121(widths=None):
    widths = widths or {}
    m = Model("densenet121", (224, 224, 3))
    x = m.zero_pad(m.input, 3, 3, 3, 3)
    x = m.conv2d(x, 64, 7, strides=2, use_bias=False, name="conv1/conv")
    x = m.bn(x, epsilon=1.001e-5, name="conv1/bn")
    x = m.activation(x, "relu", name="conv1/relu")
    x = m.zero_pad(x, 1, 1, 1, 1)
    x = m.pool(x, "MaxPooling2D", 3, 2, name="pool1")

    def conv_block(x, growth_rate, name):
        x1 = m.bn(x, epsilon=1.001e-5, name=name + "_0_bn")
        x1 = m.activation(x1, "relu", name=name + "_0_relu")
        x1 = m.conv2d(x1, widths.get(name + "_1_conv", 4 * growth_rate), 1, use_bias=False, name=name + "_1_conv")
        x1 = m.bn(x1, epsilon=1.001e-5, name=name + "_1_bn")
        x1 = m.activation(x1, "relu", name=name + "_1_relu")
        x1 = m.conv2d(x1, growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")
        return m.concat(x, x1, name=name + "_concat")

    def dense_block(x, blocks, name):
        for i in range(blocks):
            x = conv_block(x, 32, name=name + "_block" + str(i + 1))
        return x

    def transition_block(x, reduction, name):
        x = m.bn(x, epsilon=1.001e-5, name=name + "_bn")
        x = m.activation(x, "relu", name=name + "_relu")
        x = m.conv2d(x, int(m.shapes[x][2] * reduction), 1, use_bias=False, name=name + "_conv")
        return m.pool(x, "AveragePooling2D", 2, 2, name=name + "_pool")

    x = dense_block(x, 6, name="conv2")
    x = transition_block(x, 0.5, name="pool2")
    x = dense_block(x, 12, name="conv3")
    x = transition_block(x, 0.5, name="pool3")
    x = dense_block(x, 24, name="conv4")
    x = transition_block(x, 0.5, name="pool4")
    x = dense_block(x, 16, name="conv5")
    x = m.bn(x, epsilon=1.001e-5, name="bn")
    x = m.activation(x, "relu", name="relu")
    x = m.global_avg(x, name="avg_pool")
    return m, m.dense(x, 1000, "softmax", name="predictions")


# --- keras/applications/xception.py ----------------------------------------------------------------------------------
def xception(widths=None):
    widths = widths or {}
    m = Model("xception", (299, 299, 3))
    x = m.conv2d(m.input, 32, 3, strides=2, use_bias=False, name="block1_conv1")
    x = m.bn(x, name="block1_conv1_bn")
    x = m.activation(x, "relu", name="block1_conv1_act")
    x = m.conv2d(x, 64, 3, use_bias=False, name="block1_conv2")
    x = m.bn(x, name="block1_conv2_bn")
    x = m.activation(x, "relu", name="block1_conv2_act")

    def sep(x, filters, name):
        return m.separable(x, widths.get(name, filters), 3, padding="same", use_bias=False, name=name)

    def entry(x, filters, block, first):
        residual = m.conv2d(x, filters, 1, strides=2, padding="same", use_bias=False)
        residual = m.bn(residual)
        if not first:
            x = m.activation(x, "relu", name="block%d_sepconv1_act" % block)
        x = sep(x, filters, "block%d_sepconv1" % block)
        x = m.bn(x, name="block%d_sepconv1_bn" % block)
        x = m.activation(x, "relu", name="block%d_sepconv2_act" % block)
        x = sep(x, filters, "block%d_sepconv2" % block)
        x = m.bn(x, name="block%d_sepconv2_bn" % block)
        x = m.pool(x, "MaxPooling2D", 3, 2, padding="same", name="block%d_pool" % block)
        return m.add(x, residual)

    x = entry(x, 128, 2, True)
    x = entry(x, 256, 3, False)
    x = entry(x, 728, 4, False)
    for i in range(8):
        residual = x
        prefix = "block" + str(i + 5)
        for j in (1, 2, 3):
            x = m.activation(x, "relu", name=prefix + "_sepconv%d_act" % j)
            x = sep(x, 728, prefix + "_sepconv%d" % j)
            x = m.bn(x, name=prefix + "_sepconv%d_bn" % j)
        x = m.add(x, residual)

    residual = m.conv2d(x, 1024, 1, strides=2, padding="same", use_bias=False)
    residual = m.bn(residual)
    x = m.activation(x, "relu", name="block13_sepconv1_act")
    x = sep(x, 728, "block13_sepconv1")
    x = m.bn(x, name="block13_sepconv1_bn")
    x = m.activation(x, "relu", name="block13_sepconv2_act")
    x = sep(x, 1024, "block13_sepconv2")
    x = m.bn(x, name="block13_sepconv2_bn")
    x = m.pool(x, "MaxPooling2D", 3, 2, padding="same", name="block13_pool")
    x = m.add(x, residual)

    x = sep(x, 1536, "block14_sepconv1")
    x = m.bn(x, name="block14_sepconv1_bn")
    x = m.activation(x, "relu", name="block14_sepconv1_act")
    x = sep(x, 2048, "block14_sepconv2")
    x = m.bn(x, name="block14_sepconv2_bn")
    x = m.activation(x, "relu", name="block14_sepconv2_act")
    x = m.global_avg(x, name="avg_pool")
    return m, m.dense(x, 1000, "softmax", name="predictions")


# One layer widened whose output only one convolution reads (so the model stays valid): name -> its width.
CHANGES = {
    "resnet50": (resnet50, "conv3_block1_2_conv", 128),
    "vgg16": (vgg16, "block3_conv2", 256),
    "mobilenet": (mobilenet, "conv_pw_6", 512),
    "densenet121": (densenet121, "conv3_block1_1_conv", 128),
    "xception": (xception, "block5_sepconv2", 728),
}


# --- One small model per layer family DL4J's Keras import maps beyond the applications' (for KerasLayersTest) ----------
LAYERS_OUT = os.path.join(ROOT, "src", "test", "resources", "keras", "layers")
BAD_OUT = os.path.join(ROOT, "src", "test", "resources", "bad-inputs")


def C(name, **kw):
    d = {"name": name, "trainable": True, "dtype": "float32"}
    d.update(kw)
    return d


def L(cls, name, **kw):
    return {"class_name": cls, "config": C(name, **kw)}


def W(**kw):
    kw.update({"kernel_initializer": glorot(), "bias_initializer": zeros(), "kernel_regularizer": None, "bias_regularizer": None,
               "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None})
    return kw


def G():
    return glorot()


def Z():
    return zeros()


def inp(shape, dtype="float32"):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None] + shape, "dtype": dtype, "sparse": False, "ragged": False,
                                                   "name": "input_1"}}


def seq(name, layers):
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers}, "keras_version": KERAS_VERSION, "backend": "tensorflow"}


def conv(cls, name, filters, k, n, **kw):
    return L(cls, name, **W(filters=filters, kernel_size=[k] * n, strides=[1] * n, padding="valid", data_format="channels_last",
                            dilation_rate=[1] * n, groups=1, activation="relu", use_bias=True, **kw))


def dense(name, units, act="softmax"):
    return L("Dense", name, **W(units=units, activation=act, use_bias=True))


def layer_models():
    M = {}
    M["emb-conv1d"] = seq("text_cnn", [inp([100]), L("Embedding", "emb", input_dim=1000, output_dim=16, embeddings_initializer={"class_name":"RandomUniform","config":{"minval":-0.05,"maxval":0.05,"seed":None}}, embeddings_regularizer=None, activity_regularizer=None, embeddings_constraint=None, mask_zero=False, input_length=100),
       conv("Conv1D", "conv1d", 32, 5, 1), L("MaxPooling1D", "pool1d", strides=[2], pool_size=[2], padding="valid", data_format="channels_last"),
       L("ZeroPadding1D", "pad1d", padding=[1, 1]), L("Cropping1D", "crop1d", cropping=[1, 1]), L("UpSampling1D", "up1d", size=2),
       L("GlobalAveragePooling1D", "gap1d", data_format="channels_last", keepdims=False), dense("out", 5)])
    M["conv1d-features"] = seq("signal", [inp([64, 3]), conv("Conv1D", "conv1d", 8, 3, 1), L("GlobalMaxPooling1D", "gmp1d", data_format="channels_last", keepdims=False), dense("out", 4)])
    M["emb-flatten"] = seq("emb_flat", [inp([10]), L("Embedding", "emb", input_dim=50, output_dim=8, embeddings_initializer={"class_name":"RandomUniform","config":{"minval":-0.05,"maxval":0.05,"seed":None}}, embeddings_regularizer=None, activity_regularizer=None, embeddings_constraint=None, mask_zero=False, input_length=10),
       L("Flatten", "flat", data_format="channels_last"), dense("out", 3)])
    M["image-2d"] = seq("image_layers", [inp([32, 32, 3]), L("Cropping2D", "crop", cropping=[[1, 1], [2, 2]], data_format="channels_last"),
       L("ZeroPadding2D", "pad", padding=[[1, 1], [0, 0]], data_format="channels_last"), conv("Conv2D", "conv", 8, 3, 2),
       L("LeakyReLU", "lrelu", alpha=0.3), L("ELU", "elu", alpha=1.0), L("ThresholdedReLU", "trelu", theta=1.0),
       L("PReLU", "prelu", alpha_initializer=Z(), alpha_regularizer=None, alpha_constraint=None, shared_axes=[1, 2]),
       L("UpSampling2D", "up", size=[2, 2], data_format="channels_last", interpolation="nearest"),
       L("Conv2DTranspose", "deconv", **W(filters=4, kernel_size=[3, 3], strides=[2, 2], padding="same", data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="linear", use_bias=True, output_padding=None)),
       L("SpatialDropout2D", "sdrop", rate=0.1, noise_shape=None, seed=None, data_format="channels_last"),
       L("GaussianNoise", "gnoise", stddev=0.1), L("GaussianDropout", "gdrop", rate=0.1), L("AlphaDropout", "adrop", rate=0.1, noise_shape=None, seed=None),
       L("GlobalMaxPooling2D", "gmp", data_format="channels_last", keepdims=False), dense("out", 3)])
    M["softmax-layer"] = seq("softmax_layer", [inp([16]), dense("fc", 8, "linear"), L("Softmax", "sm", axis=-1)])
    M["conv3d"] = seq("volume", [inp([8, 16, 16, 1]), conv("Conv3D", "conv3d", 4, 3, 3), L("MaxPooling3D", "pool3d", pool_size=[2,2,2], padding="valid", strides=[2,2,2], data_format="channels_last"),
       L("ZeroPadding3D", "pad3d", padding=[[1,1],[1,1],[1,1]], data_format="channels_last"), L("Cropping3D", "crop3d", cropping=[[1,1],[1,1],[1,1]], data_format="channels_last"),
       L("UpSampling3D", "up3d", size=[2,2,2], data_format="channels_last"), L("Flatten", "flat", data_format="channels_last"), dense("out", 3)])
    M["reshape-permute"] = seq("reshapes", [inp([12]), L("Reshape", "rs", target_shape=[3, 4]), L("Permute", "perm", dims=[2, 1]), L("Flatten", "flat", data_format="channels_last"), L("RepeatVector", "rep", n=2), L("Flatten", "flat2", data_format="channels_last"), dense("out", 3)])
    M["locally-connected"] = seq("local", [inp([10, 10, 2]), L("LocallyConnected2D", "lc2d", **W(filters=3, kernel_size=[3,3], strides=[1,1], padding="valid", data_format="channels_last", activation="relu", use_bias=True, implementation=1)), L("Flatten", "flat", data_format="channels_last"), dense("out", 3)])
    M["lambda"] = seq("lam", [inp([8]), L("Lambda", "scale", function=["4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwApAk7pAgAAAKkAKQHaAXhyAgAAAHICAAAA+gE8WAgAAAA8bGFtYmRhPgEAAADzAAAAAA==", None, None], function_type="lambda", module="__main__", output_shape=None, output_shape_type="raw", output_shape_module=None, arguments={}), dense("out", 3)])
    M["layernorm"] = seq("ln", [inp([8]), L("LayerNormalization", "norm", axis=[1], epsilon=0.001, center=True, scale=True, beta_initializer=Z(), gamma_initializer={"class_name":"Ones","config":{}}, beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None), dense("out", 3)])
    M["masking-dense"] = seq("mask", [inp([8]), L("Masking", "mask", mask_value=0.0), dense("out", 3)])
    # Reshapes of channels-last images both ways (MobileNet's head: Reshape(1, 1, C), a 1x1 Conv2D, Reshape(classes,)).
    M["reshape-images"] = seq("reshape_images", [inp([6, 6, 3]), conv("Conv2D", "conv", 3, 3, 2),
       L("MaxPooling2D", "pool", pool_size=[2, 2], padding="valid", strides=[2, 2], data_format="channels_last"),
       L("Reshape", "to_flat", target_shape=[12]), dense("fc", 8, "relu"), L("Reshape", "to_image", target_shape=[1, 1, 8]),
       L("Conv2D", "conv_preds", **W(filters=5, kernel_size=[1, 1], strides=[1, 1], padding="same", data_format="channels_last",
                                     dilation_rate=[1, 1], groups=1, activation="linear", use_bias=True)),
       L("Reshape", "to_classes", target_shape=[5]), L("Activation", "predictions", activation="softmax")])
    # Recurrent layers over batch x time x features: SimpleRNN returning the sequence, a Bidirectional LSTM its last step.
    def recurrent(cls, name, units, return_sequences, **extra):
        return L(cls, name, return_sequences=return_sequences, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 time_major=False, units=units, activation="tanh", use_bias=True, kernel_initializer=G(),
                 recurrent_initializer={"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}}, bias_initializer=Z(),
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, **extra)
    lstm = recurrent("LSTM", "lstm", 8, False, recurrent_activation="sigmoid", unit_forget_bias=True, implementation=2)
    M["recurrent"] = seq("recurrent", [inp([20, 6]), recurrent("SimpleRNN", "rnn", 12, True),
       L("Bidirectional", "bi", layer={"class_name": "LSTM", "config": lstm["config"]}, merge_mode="concat"), dense("out", 3)])
    return M


# DL4J 1.0.0-M2.1 itself cannot import these: each is a hostile-input case (one line naming the layer and class).
UNSUPPORTED = {"lambda": "keras-lambda-layer.json", "layernorm": "keras-layer-normalization.json",
               "locally-connected": "keras-locally-connected2d.json"}


def reshape_head():
    """MobileNet's head on a small Functional model: in a graph, DL4J's reshapes are vertices of their own."""
    m = Model("reshape_head", (8, 8, 3))
    x = m.conv2d(m.input, 16, 3, strides=2, padding="same", use_bias=False, name="conv1")
    x = m.global_avg(x)
    x = m.reshape(x, (1, 1, 16), name="reshape_1")
    x = m.conv2d(x, 5, 1, padding="same", name="conv_preds")
    x = m.reshape(x, (5,), name="reshape_2")
    return m.to_json(m.activation(x, "softmax", name="predictions"))


def write_layers():
    os.makedirs(LAYERS_OUT, exist_ok=True)
    models = layer_models()
    models["reshape-head-functional"] = reshape_head()
    for name, model in models.items():
        path = os.path.join(BAD_OUT, UNSUPPORTED[name]) if name in UNSUPPORTED else os.path.join(LAYERS_OUT, name + ".json")
        with open(path, "w") as f:
            json.dump(model, f, indent=1)
            f.write("\n")
        print("%-18s %s" % (name, path))


def write(name, model):
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (build, layer, width) in CHANGES.items():
        m, out = build()
        assert m.params == KNOWN_PARAMS[name], "%s: %d parameters, Keras documents %d" % (name, m.params, KNOWN_PARAMS[name])
        print("%-12s %4d layers %11d parameters  %s" % (name, len(m.layers), m.params, write(name, m.to_json(out))))
        for factor in (2, 4):
            w, wout = build({layer: width * factor})
            path = write("%s-%s-%dx" % (name, layer.replace("/", "_"), factor), w.to_json(wout))
            print("%-12s %4d layers %11d parameters  %s" % ("", len(w.layers), w.params, path))
    write_layers()


if __name__ == "__main__":
    main()
