#!/usr/bin/env python3
"""Cross-check QVBench's safetensors code against the reference implementation (PyPI `safetensors`).

  python3 scripts/check_safetensors.py read FILE    load FILE with safetensors' numpy backend and print
                                                     its metadata and tensors (dtype, shape, sum, values)
  python3 scripts/check_safetensors.py write FILE   write a reference file with safetensors and print the
                                                     same description of what was written

The description is JSON: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "sum", "values"}}}.
Float values are exact: hexadecimal strings (float.hex) of the stored values widened to float64; BF16, which numpy lacks, is decoded
from its raw 16-bit patterns. Needs `pip install safetensors numpy`.
"""
import json
import sys

import numpy as np
import safetensors
from safetensors import safe_open
from safetensors.numpy import _TYPES as NUMPY_TYPES


def bf16_bits_to_float32(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def describe(dtype, array):
    flat = array.reshape(-1)
    if dtype in ("F16", "F32", "F64", "BF16"):
        values = [float(x).hex() for x in flat.astype(np.float64)]
    elif dtype == "BOOL":
        values = [int(x) for x in flat.astype(np.uint8)]
    else:
        values = [int(x) for x in flat]
    return {"dtype": dtype, "shape": list(array.shape), "sum": float(np.sum(flat.astype(np.float64))),
            "values": values}


def read(path):
    with open(path, "rb") as f:
        raw = dict(safetensors.deserialize(f.read()))  # the reference parser validates the whole file
    tensors = {}
    with safe_open(path, framework="np") as f:
        metadata = f.metadata() or {}
        for name in f.keys():
            info = raw[name]
            if info["dtype"] == "BF16":
                bits = np.frombuffer(bytes(info["data"]), dtype="<u2").reshape(info["shape"])
                tensors[name] = describe("BF16", bf16_bits_to_float32(bits))
            else:
                array = f.get_tensor(name)
                assert array.dtype == np.dtype(NUMPY_TYPES[info["dtype"]]), (name, array.dtype, info["dtype"])
                tensors[name] = describe(info["dtype"], array)
    return {"metadata": metadata, "tensors": tensors}


def reference_tensors():
    """Deterministic tensors of every dtype QVBench reads; (safetensors dtype, array) by name."""
    base = (np.arange(24, dtype=np.float64) - 11.5) / 7.0
    # 1, -2.5, 0.15625, largest finite bfloat16, -0, a subnormal: all exactly representable in bfloat16.
    bf16_values = np.array([0x3F800000, 0xC0200000, 0x3E200000, 0x7F7F0000, 0x80000000, 0x00010000],
                           dtype=np.uint32).view(np.float32)
    return {
        "python.f32": ("F32", base.astype(np.float32).reshape(4, 6)),
        "python.f16": ("F16", base.astype(np.float16).reshape(2, 3, 4)),
        "python.f64": ("F64", base.reshape(24)),
        "python.bf16": ("BF16", bf16_values),
        "python.i8": ("I8", np.array([-128, -7, 0, 5, 127], dtype=np.int8)),
        "python.u8": ("U8", np.array([[0, 1, 2], [253, 254, 255]], dtype=np.uint8)),
        "python.i32": ("I32", np.array([-(2 ** 31), -1, 0, 2 ** 31 - 1], dtype=np.int32)),
        "python.i64": ("I64", np.array([-(2 ** 63), 3, 2 ** 53], dtype=np.int64)),
        "python.scalar": ("F32", np.array(0.75, dtype=np.float32)),
        "python.empty": ("F32", np.zeros((0, 4), dtype=np.float32)),
    }


def write(path):
    metadata = {"format": "np", "written_by": "check_safetensors.py"}
    specs, keep_alive, tensors = {}, [], {}
    for name, (dtype, array) in reference_tensors().items():
        if dtype == "BF16":
            bits = (array.view(np.uint32) >> 16).astype("<u2")
            stored, spec_dtype = np.ascontiguousarray(bits), "bfloat16"
        else:
            stored, spec_dtype = np.ascontiguousarray(array.astype(array.dtype.newbyteorder("<"))), array.dtype.name
        keep_alive.append(stored)
        specs[name] = safetensors.TensorSpec(dtype=spec_dtype, shape=list(array.shape),
                                             data_ptr=stored.ctypes.data, data_len=stored.nbytes)
        tensors[name] = describe(dtype, array)
    safetensors.serialize_file(specs, path, metadata=metadata)
    return {"metadata": metadata, "tensors": tensors}


def main(argv):
    if len(argv) != 3 or argv[1] not in ("read", "write"):
        print(__doc__, file=sys.stderr)
        return 2
    result = read(argv[2]) if argv[1] == "read" else write(argv[2])
    json.dump(result, sys.stdout, sort_keys=True, allow_nan=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
