#!/usr/bin/python3
"""Independent float64 reference forward pass of the Detect Keras models, straight from the HDF5 weights.

Written apart from convert.py (shares no code with it) so that it checks the converter: it runs the Keras
layers literally (NHWC convolutions, max pooling, Flatten in H, W, C order, Dense, softmax) and takes the
input scaling from manifest.json.

  reference.py --model NAME --inputs in.f32 --out ref.f64
      in.f32: float32 little-endian raw DNs in the ONNX input layout of the manifest ([N, 24] pairs, index
      band * 2 + date; or [N, 45, 45, 12] NHWC patches). ref.f64: float64 P(class 1) per input.
  reference.py --ensemble NAME ...   the same for an ensemble: the median over its members' P(class 1)
  reference.py --model NAME --generate N --seed S --inputs-out in.f32 --out ref.f64
      also makes N inputs whose outputs are spread over (0, 1) (placed along low-to-high segments).
"""
import argparse
import json
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def load_manifest(path):
    with open(path) as f:
        return json.load(f)


def load_layers(h5_path):
    """[(class_name, config, {weight: float64 array})] in model order, Input layer shape separately."""
    with h5py.File(h5_path, "r") as h5:
        config = json.loads(h5.attrs["model_config"])["config"]["layers"]
        layers, input_shape = [], None
        for layer in config:
            cfg = layer["config"]
            if layer["class_name"] == "InputLayer":
                input_shape = tuple(cfg["batch_input_shape"][1:])
                continue
            weights = {}
            if cfg["name"] in h5["model_weights"]:
                inner = h5["model_weights"][cfg["name"]]
                if cfg["name"] in inner:
                    for k, ds in inner[cfg["name"]].items():
                        weights[k.split(":")[0]] = np.asarray(ds, dtype=np.float64)
            layers.append((layer["class_name"], cfg, weights))
    return input_shape, layers


def activate(x, name):
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if name == "linear":
        return x
    raise ValueError(name)


def conv2d_valid(x, kernel, bias):
    """x [N, H, W, Cin], kernel [kh, kw, Cin, Cout]: a sum of shifted matrix products (no im2col)."""
    kh, kw, _, cout = kernel.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, cout))
    for i in range(kh):
        for j in range(kw):
            out += x[:, i:i + h - kh + 1, j:j + w - kw + 1, :] @ kernel[i, j]
    return out + bias


def maxpool(x, pool, strides):
    ph, pw = pool
    sh, sw = strides
    n, h, w, c = x.shape
    oh, ow = (h - ph) // sh + 1, (w - pw) // sw + 1
    out = np.full((n, oh, ow, c), -np.inf)
    for i in range(ph):
        for j in range(pw):
            out = np.maximum(out, x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :])
    return out


class Reference:
    def __init__(self, entry, keras_dir):
        path = os.path.join(keras_dir, entry["source"]["file"])
        if not os.path.exists(path):
            sys.exit(f"reference.py: Keras model {path} is missing (model {entry['name']})")
        self.input_shape, self.layers = load_layers(path)
        self.scaling = entry["scaling"]

    def scale(self, x):
        """x in Keras input shape [N, ...]; bands are the last axis for patches and axis 1 for pairs."""
        s = self.scaling
        if s["kind"] == "divide":
            return x / s["divisor"]
        mean, std = np.asarray(s["mean"]), np.asarray(s["std"])
        if self.input_shape == (12, 2, 1):
            return (x - mean[None, :, None, None]) / std[None, :, None, None]
        return (x - mean) / std

    def forward(self, flat):
        """(P(class 1), logit margin z1 - z0 of the final Dense) for inputs in the ONNX layout."""
        x = self.scale(np.asarray(flat, dtype=np.float64).reshape((-1,) + self.input_shape))
        for kind, cfg, w in self.layers:
            if kind == "Conv2D":
                x = activate(conv2d_valid(x, w["kernel"], w["bias"]), cfg["activation"])
            elif kind == "MaxPooling2D":
                x = maxpool(x, cfg["pool_size"], cfg["strides"])
            elif kind == "Flatten":
                x = x.reshape(x.shape[0], -1)  # row-major over (H, W, C): what Keras does channels-last
            elif kind == "Dense":
                z = x @ w["kernel"] + w["bias"]
                x = activate(z, cfg["activation"])
            elif kind == "Dropout":
                pass
            else:
                raise ValueError(f"unsupported layer {kind}")
        return x[:, 1], z[:, 1] - z[:, 0]

    def predict(self, flat, chunk, margin=False):
        per = int(np.prod(self.input_shape))
        flat = flat.reshape(-1, per)
        parts = [self.forward(flat[i:i + chunk])[1 if margin else 0] for i in range(0, len(flat), chunk)]
        return np.concatenate(parts)


class EnsembleReference:
    """The median over members of P(class 1), as the pipeline combines an ensemble."""

    def __init__(self, members):
        self.members = members
        self.input_shape = members[0].input_shape

    def predict(self, flat, chunk, margin=False):
        # For placing inputs, the members' median margin stands in for the margin of the median.
        return np.median(np.stack([m.predict(flat, chunk, margin) for m in self.members]), axis=0)


def random_inputs(rng, count, shape):
    """Plausible L1C-like DNs: per input a random spectrum level, per band and pixel a random deviation."""
    if shape == (12, 2, 1):
        level = rng.uniform(300, 4000, size=(count, 12, 1, 1))
        x = level * rng.uniform(0.6, 1.4, size=(count, 12, 2, 1))
    else:
        level = rng.uniform(300, 4000, size=(count, 1, 1, 12))
        smooth = rng.uniform(0.6, 1.4, size=(count, 5, 5, 12)).repeat(9, axis=1).repeat(9, axis=2)
        x = level * smooth * rng.uniform(0.9, 1.1, size=(count, 45, 45, 12))
    return x.reshape(count, -1)


def evolve_high(ref, rng, pool, p, chunk):
    """Inputs that score high: the best of the pool, bred (multiplicative noise) until enough exceed 0.9."""
    keep = max(len(pool) // 10, 2)
    for _ in range(40):
        if np.sum(p > 0.9) >= 4:
            break
        top = pool[np.argsort(p)[-keep:]]
        children = top.repeat(9, axis=0) * rng.lognormal(0, 0.15, size=(9 * keep, top.shape[1]))
        pool = np.concatenate([top, children])
        p = ref.predict(pool, chunk)
    highs = pool[p > 0.9]
    if len(highs) == 0:
        sys.exit("reference.py: found no input scoring above 0.9; cannot spread outputs over (0, 1)")
    return highs


def generate(ref, count, seed, chunk, per_segment):
    """Inputs on segments from low- to high-scoring inputs, placed so that their outputs spread over (0, 1).

    The logit margin of a ReLU network is piecewise linear along a segment, so a scan of it at a few points
    (clamped to be monotone) maps target probabilities drawn uniformly in (0, 1) back to positions."""
    rng = np.random.default_rng(seed)
    pool = random_inputs(rng, 400 if ref.input_shape == (12, 2, 1) else 120, ref.input_shape)
    p = ref.predict(pool, chunk)
    lows = pool[p < 0.1]
    highs = evolve_high(ref, rng, pool, p, chunk)
    segments = -(-count // per_segment)
    a = lows[rng.integers(len(lows), size=segments)]
    b = highs[rng.integers(len(highs), size=segments)]
    t = np.linspace(0, 1, 33)
    points = (a[:, None, :] + t[None, :, None] * (b - a)[:, None, :]).reshape(-1, a.shape[1])
    margins = np.maximum.accumulate(ref.predict(points, chunk, margin=True).reshape(segments, len(t)), axis=1)
    inputs = []
    for s in range(segments):
        targets = rng.uniform(0.002, 0.998, size=per_segment)
        ts = np.interp(np.log(targets / (1 - targets)), margins[s], t)
        inputs.append((a[s][None, :] + ts[:, None] * (b[s] - a[s])[None, :]).astype(np.float32))
    inputs = np.concatenate(inputs)[:count]
    rng.shuffle(inputs)
    return inputs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", help="model name as in manifest.json")
    p.add_argument("--ensemble", help="ensemble name as in manifest.json: the median over its members")
    p.add_argument("--manifest", default=os.path.join(HERE, "manifest.json"))
    p.add_argument("--keras-dir", default=os.path.join(HERE, "..", "..", "shared", "models", "keras"))
    p.add_argument("--inputs")
    p.add_argument("--generate", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--inputs-out")
    p.add_argument("--out", required=True)
    p.add_argument("--chunk", type=int, default=256)
    p.add_argument("--per-segment", type=int, default=20)
    a = p.parse_args()
    manifest = load_manifest(a.manifest)
    entries = {e["name"]: e for e in manifest["models"]}
    if a.ensemble:
        ensembles = {e["name"]: e["members"] for e in manifest["ensembles"]}
        if a.ensemble not in ensembles:
            sys.exit(f"reference.py: unknown ensemble {a.ensemble}; known: {', '.join(sorted(ensembles))}")
        ref = EnsembleReference([Reference(entries[m], a.keras_dir) for m in ensembles[a.ensemble]])
    elif a.model in entries:
        ref = Reference(entries[a.model], a.keras_dir)
    else:
        sys.exit(f"reference.py: unknown model {a.model}; known: {', '.join(sorted(entries))}")
    if a.generate:
        inputs = generate(ref, a.generate, a.seed, a.chunk, a.per_segment)
        inputs.tofile(a.inputs_out)
    else:
        inputs = np.fromfile(a.inputs, dtype="<f4")
    ref.predict(inputs.astype(np.float64), a.chunk).astype("<f8").tofile(a.out)


if __name__ == "__main__":
    main()
