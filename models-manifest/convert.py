#!/usr/bin/python3
"""Keras 2.4 HDF5 -> ONNX for the Detect models (build-time tool; the product is C#).

Deterministic: the same .h5 gives the same ONNX bytes (no timestamps, fixed node order, weights folded in
float64 with fixed summation order, then rounded to float32 once).

Graph forms of the pixel models (input `pairs` float32 [N, 24] of raw L1C digital numbers, index =
band * 2 + date, i.e. Keras' [N, 12, 2, 1] flattened row-major; output `probabilities` [N, 2], class 1 = TPA)
  "nchw" (the default, fastest on CPU, see bench/README-models.md): since C = 1, [N, 12, 2, 1] NHWC is the
    same memory as [N, 1, 12, 2] NCHW, so the input is only reshaped; both convolutions are ONNX Conv; the
    NCHW flatten order (c, h) is matched by permuting the first Dense's kernel rows, so there is no
    Transpose. /3000 is folded into Conv1's weights; unit_norm stays a Mul + Add on the 24 inputs
    (a per-band offset cannot fold into a convolution's per-channel bias).
  "gemm" (benchmark only): both convolutions and the scaling folded into dense maps (24x160, 160x256),
    a chain of Gemm+Relu. Exact, but 2.3x the FLOPs of the convolutions: slower.
  "hybrid" (benchmark only): Conv1 + scaling as one Gemm, Conv2 as Conv.
  "conv" (benchmark only): the literal Keras graph (scaling, Transpose, Conv, Transpose, Flatten).
  patch: input `patches` float32 [N, 45, 45, 12] NHWC of raw L1C digital numbers; transposed to NCHW inside
    the graph, /3000 folded into the first Conv's weights, Conv/Relu/MaxPool x3, transposed back to NHWC
    before Flatten (Keras flattens H, W, C), Gemm/Relu x2, Gemm, Softmax -> `probabilities` [N, 2].

Usage
  convert.py MODEL.h5 OUT.onnx [--form gemm|conv]
  convert.py --all KERAS_DIR OUT_DIR [--manifest manifest.json]   convert every model the manifest lists
  convert.py --write-manifest KERAS_DIR OUT_DIR manifest.json       (re)write manifest.json from the files
"""
import argparse
import hashlib
import json
import os
import sys

import h5py
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 7
PIXEL_DIVISOR = 3000.0
# Per-band standardisation of the `unit_norm` ensemble members (DATA.md), bands B01..B12 (see BANDS).
UNIT_NORM_MEAN = [1367.8407, 1104.4116, 1026.8099, 856.1295, 1072.1476, 1880.3287, 2288.875, 2104.5999,
                  2508.7764, 305.3795, 1686.0194, 946.1319]
UNIT_NORM_STD = [249.14418, 317.69983, 340.8048, 467.8019, 390.11594, 529.972, 699.90826, 680.56006,
                 798.34937, 108.10846, 651.8683, 568.5347]
BANDS = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"]
BAND_NAMES = ["coastal", "blue", "green", "red", "rededge1", "rededge2", "rededge3", "nir", "nir08", "nir09",
              "swir16", "swir22"]


class KerasModel:
    """The layers (config + float64 weights) of a Keras 2.4 Sequential model in an HDF5 file."""

    def __init__(self, path):
        with h5py.File(path, "r") as h5:
            config = json.loads(h5.attrs["model_config"])
            if config.get("class_name") != "Sequential":
                raise ValueError(f"{path}: only Sequential models are supported, got {config.get('class_name')}")
            self.keras_version = _text(h5.attrs.get("keras_version", ""))
            self.layers = []
            for layer in config["config"]["layers"]:
                kind, cfg = layer["class_name"], layer["config"]
                if kind == "InputLayer":
                    self.input_shape = cfg["batch_input_shape"]
                    continue
                weights = {}
                group = h5["model_weights"].get(cfg["name"])
                if group is not None and cfg["name"] in group:
                    for key, ds in group[cfg["name"]].items():
                        weights[key.split(":")[0]] = np.array(ds, dtype=np.float64)
                self.layers.append((kind, cfg, weights))


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def scaling_for(name):
    """The input scaling of a model, by its name: `unit_norm` members standardise per band, others / 3000."""
    if "unit_norm" in name:
        return {"kind": "unit_norm", "mean": UNIT_NORM_MEAN, "std": UNIT_NORM_STD}
    return {"kind": "divide", "divisor": PIXEL_DIVISOR}


def _per_feature_scaling(scaling, count_per_band, bands_fastest):
    """(offset, divisor) per input feature so that scaled = (x - offset) / divisor."""
    if scaling["kind"] == "divide":
        return [0.0] * (12 * count_per_band), [scaling["divisor"]] * (12 * count_per_band)
    offsets, divisors = [], []
    for i in range(12 * count_per_band):
        band = i % 12 if bands_fastest else i // count_per_band
        offsets.append(float(scaling["mean"][band]))
        divisors.append(float(scaling["std"][band]))
    return offsets, divisors


def _activation(nodes, x, name, activation):
    if activation == "relu":
        nodes.append(helper.make_node("Relu", [x], [name + "_relu"], name=name + "_relu"))
        return name + "_relu"
    if activation == "softmax":
        nodes.append(helper.make_node("Softmax", [x], ["probabilities"], name=name + "_softmax", axis=1))
        return "probabilities"
    if activation == "linear":
        return x
    raise ValueError(f"unsupported activation {activation}")


class GraphBuilder:
    def __init__(self):
        self.nodes, self.initializers = [], []

    def const(self, name, array, dtype=np.float32):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(np.asarray(array, dtype=dtype)), name))
        return name

    def gemm(self, x, name, kernel, bias, activation):
        w = self.const(name + "_W", kernel)
        b = self.const(name + "_B", bias)
        self.nodes.append(helper.make_node("Gemm", [x, w, b], [name + "_out"], name=name))
        return _activation(self.nodes, name + "_out", name, activation)

    def model(self, input_name, input_shape, doc):
        graph = helper.make_graph(
            self.nodes, "detect",
            [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, input_shape)],
            [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])],
            initializer=self.initializers)
        model = helper.make_model(graph, producer_name="detect-models-manifest", producer_version="1",
                                  opset_imports=[helper.make_opsetid("", OPSET)], doc_string=doc)
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model)
        return model


def _dense_layers(builder, x, layers):
    for kind, cfg, w in layers:
        if kind == "Dropout":
            continue  # inference: identity
        if kind != "Dense":
            raise ValueError(f"unexpected layer {kind} after Flatten")
        x = builder.gemm(x, cfg["name"], w["kernel"], w["bias"], cfg["activation"])
    return x


def conv1_as_dense(kernel, in_rows, in_cols):
    """A valid Conv2D over an [in_rows, in_cols, cin] NHWC input as a dense map on the row-major flat input.

    Returns (matrix [in_rows*in_cols*cin, out_rows*out_cols*cout], out_rows, out_cols)."""
    kh, kw, cin, cout = kernel.shape
    out_rows, out_cols = in_rows - kh + 1, in_cols - kw + 1
    dense = np.zeros((in_rows * in_cols * cin, out_rows * out_cols * cout), dtype=np.float64)
    for r in range(out_rows):
        for c in range(out_cols):
            out0 = (r * out_cols + c) * cout
            for i in range(kh):
                for j in range(kw):
                    in0 = ((r + i) * in_cols + (c + j)) * cin
                    dense[in0:in0 + cin, out0:out0 + cout] = kernel[i, j]
    return dense, out_rows, out_cols


def pixel_gemm_graph(model, scaling):
    (k1, c1, w1), (k2, c2, w2), (kf, _, _) = model.layers[:3]
    if (k1, k2, kf) != ("Conv2D", "Conv2D", "Flatten") or list(model.input_shape[1:]) != [12, 2, 1]:
        raise ValueError("not the Detect pixel model layout (Conv2D, Conv2D, Flatten over [12, 2, 1])")
    d1, rows1, cols1 = conv1_as_dense(w1["kernel"], 12, 2)
    d2, _, _ = conv1_as_dense(w2["kernel"], rows1, cols1)
    b1 = np.tile(w1["bias"], rows1 * cols1)
    b2 = np.tile(w2["bias"], d2.shape[1] // w2["bias"].shape[0])
    # Fold (x - offset) / divisor into the first map, summing in a fixed order for reproducible bytes.
    offsets, divisors = _per_feature_scaling(scaling, 2, bands_fastest=False)
    scaled = np.empty_like(d1)
    folded_bias = b1.copy()
    for i in range(d1.shape[0]):
        scaled[i] = d1[i] / divisors[i]
        folded_bias = folded_bias - scaled[i] * offsets[i]
    g = GraphBuilder()
    x = g.gemm("pairs", "conv1_dense", scaled, folded_bias, c1["activation"])
    x = g.gemm(x, "conv2_dense", d2, b2, c2["activation"])
    _dense_layers(g, x, model.layers[3:])
    return g.model("pairs", ["N", 24], "Detect pixel model, convolutions folded to Gemm; input raw L1C DNs, "
                                       "index band*2+date")


def pixel_conv_graph(model, scaling):
    """The literal Keras graph, for benchmarking the folding against."""
    g = GraphBuilder()
    offsets, divisors = _per_feature_scaling(scaling, 2, bands_fastest=False)
    g.nodes.append(helper.make_node("Sub", ["pairs", g.const("offset", offsets)], ["centred"]))
    g.nodes.append(helper.make_node("Div", ["centred", g.const("divisor", divisors)], ["scaled"]))
    g.nodes.append(helper.make_node("Reshape", ["scaled", g.const("nhwc_shape", [-1, 12, 2, 1], np.int64)], ["nhwc"]))
    g.nodes.append(helper.make_node("Transpose", ["nhwc"], ["x0"], perm=[0, 3, 1, 2]))
    x = "x0"
    for kind, cfg, w in model.layers[:2]:
        x = _conv(g, x, cfg, w)
    x = _flatten_nhwc(g, x)
    _dense_layers(g, x, model.layers[3:])
    return g.model("pairs", ["N", 24], "Detect pixel model, literal Keras form (benchmark only)")


def _dense_after_nchw_flatten(model, channels, rows):
    """The first Dense's kernel with rows reordered from Keras' (h, c) flatten order to NCHW's (c, h)."""
    kind, cfg, w = model.layers[3]
    kernel = w["kernel"].reshape(rows, channels, -1).transpose(1, 0, 2).reshape(rows * channels, -1)
    return [(kind, cfg, {"kernel": kernel, "bias": w["bias"]})] + model.layers[4:]


def pixel_nchw_graph(model, scaling):
    """Both convolutions as ONNX Conv on [N, 1, 12, 2] (the same memory as Keras' [N, 12, 2, 1] since C = 1),
    no transposes: the NCHW flatten is matched by permuting the first Dense's rows."""
    (_, c1, w1), (_, c2, w2) = model.layers[:2]
    g = GraphBuilder()
    x = "pairs"
    if scaling["kind"] == "divide":
        w1 = {"kernel": w1["kernel"] / scaling["divisor"], "bias": w1["bias"]}
    else:
        offsets, divisors = _per_feature_scaling(scaling, 2, bands_fastest=False)
        inv = [1.0 / d for d in divisors]
        shift = [-o / d for o, d in zip(offsets, divisors)]
        g.nodes.append(helper.make_node("Mul", [x, g.const("inv_std", inv)], ["scaled0"]))
        g.nodes.append(helper.make_node("Add", ["scaled0", g.const("shift", shift)], ["scaled"]))
        x = "scaled"
    g.nodes.append(helper.make_node("Reshape", [x, g.const("nchw_shape", [-1, 1, 12, 2], np.int64)], ["x0"]))
    x = _conv(g, "x0", c1, w1)
    x = _conv(g, x, c2, w2)
    g.nodes.append(helper.make_node("Reshape", [x, g.const("flat_shape", [-1, 256], np.int64)], ["flat"]))
    _dense_layers(g, "flat", _dense_after_nchw_flatten(model, 32, 8))
    return g.model("pairs", ["N", 24], "Detect pixel model, NCHW convolutions without transposes")


def pixel_hybrid_graph(model, scaling):
    """Conv1 and the scaling folded into one Gemm whose columns come out in NCHW order, Conv2 as ONNX Conv."""
    (_, c1, w1), (_, c2, w2) = model.layers[:2]
    d1, rows1, cols1 = conv1_as_dense(w1["kernel"], 12, 2)
    b1 = np.tile(w1["bias"], rows1 * cols1)
    offsets, divisors = _per_feature_scaling(scaling, 2, bands_fastest=False)
    scaled = np.empty_like(d1)
    folded_bias = b1.copy()
    for i in range(d1.shape[0]):
        scaled[i] = d1[i] / divisors[i]
        folded_bias = folded_bias - scaled[i] * offsets[i]
    cout = w1["bias"].shape[0]
    order = [h * cout + c for c in range(cout) for h in range(rows1)]  # (h, c) -> (c, h) columns
    g = GraphBuilder()
    x = g.gemm("pairs", "conv1_dense", scaled[:, order], folded_bias[order], c1["activation"])
    g.nodes.append(helper.make_node("Reshape", [x, g.const("nchw_shape", [-1, cout, rows1, 1], np.int64)], ["x1"]))
    x = _conv(g, "x1", c2, w2)
    g.nodes.append(helper.make_node("Reshape", [x, g.const("flat_shape", [-1, 256], np.int64)], ["flat"]))
    _dense_layers(g, "flat", _dense_after_nchw_flatten(model, 32, 8))
    return g.model("pairs", ["N", 24], "Detect pixel model, Conv1+scaling as Gemm, Conv2 as Conv")


def _conv(g, x, cfg, w, weight_divisor=1.0):
    if cfg["padding"] != "valid" or list(cfg["strides"]) != [1, 1] or list(cfg["dilation_rate"]) != [1, 1]:
        raise ValueError(f"{cfg['name']}: only valid, stride 1, undilated convolutions are supported")
    kernel = w["kernel"].transpose(3, 2, 0, 1) / weight_divisor  # Keras HWIO -> ONNX OIHW
    name = cfg["name"]
    g.nodes.append(helper.make_node("Conv", [x, g.const(name + "_W", kernel), g.const(name + "_B", w["bias"])],
                                    [name + "_out"], name=name, kernel_shape=list(kernel.shape[2:]),
                                    pads=[0, 0, 0, 0], strides=[1, 1]))
    return _activation(g.nodes, name + "_out", name, cfg["activation"])


def _flatten_nhwc(g, x):
    g.nodes.append(helper.make_node("Transpose", [x], ["flat_nhwc"], perm=[0, 2, 3, 1]))
    g.nodes.append(helper.make_node("Flatten", ["flat_nhwc"], ["flat"], axis=1))
    return "flat"


def _patch_trunk(g, model, scaling, input_name):
    """Transpose to NCHW, then the Conv/Relu/MaxPool blocks up to Flatten; returns (tensor, layers after Flatten)."""
    if scaling["kind"] != "divide":
        raise ValueError("the patch model takes DN / 3000")
    if list(model.input_shape[1:]) != [45, 45, 12]:
        raise ValueError(f"not the 45 px patch model: input {model.input_shape}")
    g.nodes.append(helper.make_node("Transpose", [input_name], ["x0"], perm=[0, 3, 1, 2]))
    x, first = "x0", True
    for index, (kind, cfg, w) in enumerate(model.layers):
        if kind == "Conv2D":
            x = _conv(g, x, cfg, w, scaling["divisor"] if first else 1.0)  # conv is linear in x: fold /3000
            first = False
        elif kind == "MaxPooling2D":
            if cfg["padding"] != "valid":
                raise ValueError(f"{cfg['name']}: only valid pooling is supported")
            g.nodes.append(helper.make_node("MaxPool", [x], [cfg["name"] + "_out"], name=cfg["name"],
                                            kernel_shape=list(cfg["pool_size"]), strides=list(cfg["strides"])))
            x = cfg["name"] + "_out"
        elif kind == "Flatten":
            return x, model.layers[index + 1:]
        else:
            raise ValueError(f"unexpected layer {kind} before Flatten")
    raise ValueError("the patch model has no Flatten")


def patch_graph(model, scaling):
    g = GraphBuilder()
    x, rest = _patch_trunk(g, model, scaling, "patches")
    _dense_layers(g, _flatten_nhwc(g, x), rest)
    return g.model("patches", ["N", 45, 45, 12], "Detect patch classifier; input NHWC raw L1C DNs")


def patch_grid_graph(model, scaling):
    """The patch classifier slid over a whole tile at stride 8, in one pass.

    The three 2x2/2 poolings make the trunk's stride 8, and a window starting at a multiple of 8 lines up
    with every pooling grid, so the trunk's feature map over the tile holds each stride-8 window's 3x3x64
    features. The first Dense (576 = 3x3x64 in H, W, C order, i.e. a Keras HWIO kernel) becomes a 3x3 Conv,
    the other Dense layers 1x1 Convs, softmax over channels. Input `tiles` [N, H, W, 12] NHWC raw DNs;
    output `probabilities` [N, 2, (H-45)//8+1, (W-45)//8+1]: window (i, j) covers rows 8i..8i+44, cols 8j..8j+44."""
    g = GraphBuilder()
    x, rest = _patch_trunk(g, model, scaling, "tiles")
    dense = [(kind, cfg, w) for kind, cfg, w in rest if kind != "Dropout"]
    for index, (kind, cfg, w) in enumerate(dense):
        if kind != "Dense":
            raise ValueError(f"unexpected layer {kind} after Flatten")
        kernel = w["kernel"]
        if index == 0:
            kernel = kernel.reshape(3, 3, -1, kernel.shape[1]).transpose(3, 2, 0, 1)  # HWIO -> OIHW
        else:
            kernel = kernel.T[:, :, None, None]
        name = cfg["name"] + "_conv"
        g.nodes.append(helper.make_node("Conv", [x, g.const(name + "_W", kernel), g.const(name + "_B", w["bias"])],
                                        [name + "_out"], name=name, kernel_shape=list(kernel.shape[2:])))
        x = name + "_out"
        if cfg["activation"] == "relu":
            g.nodes.append(helper.make_node("Relu", [x], [name + "_relu"]))
            x = name + "_relu"
        elif cfg["activation"] == "softmax":
            g.nodes.append(helper.make_node("Softmax", [x], ["probabilities"], axis=1))
        else:
            raise ValueError(f"unsupported activation {cfg['activation']}")
    graph = helper.make_graph(
        g.nodes, "detect",
        [helper.make_tensor_value_info("tiles", TensorProto.FLOAT, ["N", "H", "W", 12])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2, "GH", "GW"])],
        initializer=g.initializers)
    onnx_model = helper.make_model(graph, producer_name="detect-models-manifest", producer_version="1",
                                   opset_imports=[helper.make_opsetid("", OPSET)],
                                   doc_string="Detect patch classifier over a tile at stride 8; input NHWC raw DNs")
    onnx_model.ir_version = IR_VERSION
    onnx.checker.check_model(onnx_model)
    return onnx_model


PIXEL_FORMS = {"nchw": pixel_nchw_graph, "gemm": pixel_gemm_graph, "conv": pixel_conv_graph,
               "hybrid": pixel_hybrid_graph}


def kind_of(model):
    shape = list(model.input_shape[1:])
    if shape == [12, 2, 1]:
        return "pixel"
    if shape == [45, 45, 12]:
        return "patch"
    raise ValueError(f"unknown model input shape {model.input_shape}")


def convert(h5_path, form="nchw"):
    name = os.path.splitext(os.path.basename(h5_path))[0]
    model = KerasModel(h5_path)
    scaling = scaling_for(name)
    if kind_of(model) == "patch":
        onnx_model = patch_grid_graph(model, scaling) if form == "grid" else patch_graph(model, scaling)
    else:
        onnx_model = PIXEL_FORMS[form](model, scaling)
    return onnx_model.SerializeToString()


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_bytes(path, data):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".partial"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def convert_all(keras_dir, out_dir, manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    for entry in manifest["models"]:
        source = os.path.join(keras_dir, entry["source"]["file"])
        if not os.path.exists(source):
            sys.exit(f"convert.py: {source} is missing (model {entry['name']}); the Keras models are expected in "
                     f"{keras_dir} (see DATA.md)")
        write_bytes(os.path.join(out_dir, entry["onnx"]["file"]), convert(source))
        print(os.path.join(out_dir, entry["onnx"]["file"]))
        if "grid" in entry:
            write_bytes(os.path.join(out_dir, entry["grid"]["file"]), convert(source, "grid"))
            print(os.path.join(out_dir, entry["grid"]["file"]))


def manifest_entry(keras_dir, rel_h5, out_dir):
    name = os.path.splitext(os.path.basename(rel_h5))[0]
    h5_path = os.path.join(keras_dir, rel_h5)
    model = KerasModel(h5_path)
    kind = kind_of(model)
    ensemble = os.path.dirname(rel_h5) or None
    rel_onnx = os.path.splitext(rel_h5)[0] + ".onnx"
    data = convert(h5_path)
    write_bytes(os.path.join(out_dir, rel_onnx), data)
    grid = None
    if kind == "patch":
        rel_grid = os.path.splitext(rel_h5)[0] + "_grid.onnx"
        grid_data = convert(h5_path, "grid")
        write_bytes(os.path.join(out_dir, rel_grid), grid_data)
        grid = {"file": rel_grid, "sha256": hashlib.sha256(grid_data).hexdigest(), "opset": OPSET,
                "window": 45, "stride": 8,
                "input": {"name": "tiles", "shape": [-1, -1, -1, 12], "dtype": "float32",
                          "layout": "NHWC: index = (row * W + col) * 12 + band", "values": "raw L1C digital numbers"},
                "output": {"name": "probabilities", "shape": [-1, 2, "(H - 45) // 8 + 1", "(W - 45) // 8 + 1"],
                           "class_index": 1,
                           "layout": "NCHW: [n, class, i, j] = the window at rows 8i..8i+44, cols 8j..8j+44"},
                "graph": "the patch classifier slid over a tile at stride 8 in one pass: the conv trunk once, "
                         "the Dense layers as 3x3 and 1x1 Convs (exact: the trunk's stride is 8)"}
    scaling = dict(scaling_for(name), in_graph=True)
    if kind == "pixel":
        model_input = {"name": "pairs", "shape": [-1, 24], "dtype": "float32",
                       "layout": "flat pair: index = band * 2 + date (Keras [N, 12, 2, 1] row-major); "
                                 "date 0 = earlier mosaic, date 1 = the one spectrogram_interval periods later",
                       "keras_input_shape": [None, 12, 2, 1], "values": "raw L1C digital numbers"}
    else:
        model_input = {"name": "patches", "shape": [-1, 45, 45, 12], "dtype": "float32",
                       "layout": "NHWC: index = ((n * 45 + row) * 45 + col) * 12 + band",
                       "keras_input_shape": [None, 45, 45, 12], "values": "raw L1C digital numbers"}
    return {
        "name": name,
        "kind": "ensemble_member" if ensemble else kind,
        **({"ensemble": ensemble} if ensemble else {}),
        "onnx": {"file": rel_onnx, "sha256": hashlib.sha256(data).hexdigest(), "opset": OPSET,
                 "graph": "NCHW Conv x2 on the reshaped input (no Transpose), Gemm x4, Softmax; scaling in the graph"
                 if kind == "pixel"
                 else "NCHW Conv/MaxPool inside, NHWC in and before Flatten; /3000 folded into the first Conv"},
        "input": model_input,
        "bands": [f"{b} {n}" for b, n in zip(BANDS, BAND_NAMES)],
        "scaling": scaling,
        "output": {"name": "probabilities", "shape": [-1, 2], "class_index": 1, "class_names": ["No TPA", "TPA"],
                   "activation": "softmax"},
        **({"grid": grid} if grid else {}),
        "source": {"file": rel_h5, "sha256": sha256_file(h5_path), "format": f"Keras {model.keras_version} HDF5"},
        "licence": "CC BY-NC 4.0",
        "credit": "Earthrise Media (plastics project, models/)",
    }


def write_manifest(keras_dir, out_dir, manifest_path):
    sources = []
    for root, _, files in os.walk(keras_dir):
        sources += [os.path.relpath(os.path.join(root, f), keras_dir) for f in files if f.endswith(".h5")]
    entries = [manifest_entry(keras_dir, rel, out_dir) for rel in sorted(sources)]
    ensembles = {}
    for e in entries:
        if e["kind"] == "ensemble_member":
            ensembles.setdefault(e["ensemble"], []).append(e["name"])
    manifest = {
        "about": "Detect models: ONNX files pinned by sha256, made from the Keras files by convert.py. "
                 "Store key of a model: models/<onnx.file>.",
        "licence": "CC BY-NC 4.0 (Attribution-NonCommercial), credit Earthrise Media",
        "models": entries,
        "ensembles": [{"name": k, "members": v, "combine": "median"} for k, v in sorted(ensembles.items())],
    }
    write_bytes(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+")
    p.add_argument("--form", choices=sorted(PIXEL_FORMS) + ["grid"], default="nchw",
                   help="pixel graph form (benchmarks); grid: the patch model over a whole tile")
    p.add_argument("--all", action="store_true")
    p.add_argument("--write-manifest", action="store_true")
    p.add_argument("--manifest", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifest.json"))
    a = p.parse_args()
    if a.write_manifest:
        write_manifest(a.paths[0], a.paths[1], a.paths[2])
    elif a.all:
        convert_all(a.paths[0], a.paths[1], a.manifest)
    else:
        if len(a.paths) != 2:
            p.error("give MODEL.h5 OUT.onnx")
        write_bytes(a.paths[1], convert(a.paths[0], a.form))


if __name__ == "__main__":
    main()
