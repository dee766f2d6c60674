#!/usr/bin/python3
"""Python reference implementation of the ich cleaning step.

Two uses:
  1. speed baseline for docs/benchmarks.md (single process, single thread);
  2. oracle for the Java test, which runs this script on the same DICOM files
     and compares the per-file JSON lines (and optionally the PNGs).

Only Debian's python3-pydicom, python3-numpy, python3-scipy and python3-pil
are used. See bench/python/README.md for the algorithm and the command lines.

Usage:
  python3 bench/python/clean_reference.py [--out DIR] [--size 256]
      [--threshold 0.02] [--bins FILE] [--bench] [--dtype float32|float64] PATH...
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import pydicom
from PIL import Image
from scipy.ndimage import convolve1d

# Windows as (width, level); lower = level - width // 2, upper = level + width // 2.
BRAIN = (80, 40)        # [0, 80]
SUBDURAL = (254, 100)   # [-27, 227]

STANDARD_SIZE = 512     # slices that are not 512x512 are resampled to this first
MASK_SIGMA_FRACTION = 0.3
MASK_THRESHOLD = 0.05
FREQHIST_BINS = 100

STAGES = ("read+decode", "fix+stats", "mask+crop", "resize+channels", "png")


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

def window_bounds(window):
    width, level = window
    return level - width // 2, level + width // 2


def apply_window(hu, window):
    """clip((HU - lower) / (upper - lower), 0, 1), in the dtype of hu."""
    lower, upper = window_bounds(window)
    out = hu - hu.dtype.type(lower)
    out /= hu.dtype.type(upper - lower)
    np.clip(out, 0, 1, out=out)
    return out


def _axis_weights(n_in, n_out, dtype):
    """Half-pixel-centre (align_corners=False) source indices and weights."""
    src = (np.arange(n_out, dtype=np.float64) + 0.5) * (n_in / n_out) - 0.5
    np.clip(src, 0, n_in - 1, out=src)
    i0 = np.floor(src).astype(np.intp)
    i1 = np.minimum(i0 + 1, n_in - 1)
    w1 = (src - i0).astype(dtype)
    return i0, i1, w1


def resize_bilinear(img, out_h, out_w):
    """Separable bilinear resize, half-pixel centres, edge-clamped.

    Rows are interpolated first, then columns. Pure numpy index arithmetic.
    """
    in_h, in_w = img.shape
    if (in_h, in_w) == (out_h, out_w):
        return img.copy()
    dt = img.dtype
    r0, r1, wr = _axis_weights(in_h, out_h, dt)
    c0, c1, wc = _axis_weights(in_w, out_w, dt)
    top = img[r0, :]
    tmp = top + (img[r1, :] - top) * wr[:, None]          # (out_h, in_w)
    left = tmp[:, c0]
    return left + (tmp[:, c1] - left) * wc[None, :]         # (out_h, out_w)


_KERNEL_CACHE = {}


def gaussian_kernel(sigma):
    """cv2.getGaussianKernel(int(sigma/4)*2+1, sigma): same as kornia / fastai."""
    k = int(sigma / 4) * 2 + 1
    key = (k, sigma)
    g = _KERNEL_CACHE.get(key)
    if g is None:
        r = k // 2
        j = np.arange(k, dtype=np.float64)
        g = np.exp(-((j - r) ** 2) / (2.0 * sigma * sigma))
        g /= g.sum()
        _KERNEL_CACHE[key] = g
    return g


def brain_mask(hu):
    """Brain window, drop the saturated pixels, wide Gaussian blur, > 0.05."""
    p = apply_window(hu, BRAIN)
    p[p == 1] = 0
    g = gaussian_kernel(MASK_SIGMA_FRACTION * hu.shape[1])
    blurred = convolve1d(p, g, axis=0, mode="nearest")
    blurred = convolve1d(blurred, g, axis=1, mode="nearest")
    return blurred > MASK_THRESHOLD


def crop_box(mask):
    """Square box (r0, c0, side) anchored at the mask's top-left, shifted inside."""
    n_rows, n_cols = mask.shape
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return 0, 0, n_rows   # whole image (square after the 512 resample)
    cols = np.flatnonzero(mask.any(axis=0))
    rmin, rmax = int(rows[0]), int(rows[-1])
    cmin, cmax = int(cols[0]), int(cols[-1])
    side = max(rmax - rmin + 1, cmax - cmin + 1)
    r0, c0 = rmin, cmin
    if r0 + side > n_rows:
        r0 = n_rows - side
    if c0 + side > n_cols:
        c0 = n_cols - side
    return r0, c0, side


def freqhist_bins(x, n_bins=FREQHIST_BINS):
    """fastai's freqhist_bins: ~n_bins HU values splitting x into equal-count groups."""
    imsd = np.sort(x, axis=None)
    t = np.concatenate(([0.001], np.arange(n_bins) / n_bins + 1 / (2 * n_bins), [0.999]))
    return np.unique(imsd[(len(imsd) * t).astype(np.int64)])


def hist_scaled(x, bins):
    ys = np.linspace(0.0, 1.0, len(bins))
    return np.clip(np.interp(x, bins, ys), 0, 1)


def to_uint8(v):
    """floor(v * 255 + 0.5) for v in [0, 1]."""
    return np.floor(v * 255 + 0.5).astype(np.uint8)


# ---------------------------------------------------------------------------
# One slice
# ---------------------------------------------------------------------------

def _number(ds, keyword, default):
    """Numeric header value; absent or empty -> the DICOM default."""
    v = ds.get(keyword, None)
    if v is None or v == "":
        return default
    return float(v)


def process_file(path, args, timer):
    t = time.perf_counter()
    ds = pydicom.dcmread(path)
    s = ds.pixel_array
    t = timer.lap("read+decode", t)

    if s.ndim != 2:
        raise ValueError("expected a single-frame monochrome image, got pixel array "
                         "of shape %s" % (s.shape,))
    rows, cols = s.shape
    slope = _number(ds, "RescaleSlope", 1.0)
    intercept = _number(ds, "RescaleIntercept", 0.0)
    sop = ds.get("SOPInstanceUID", None)
    sop = str(sop) if sop else None

    # 2. pixel fix for mis-encoded 12-bit data
    pixel_fixed = int(ds.PixelRepresentation) == 0 and intercept >= -100
    if pixel_fixed:
        s = s.astype(np.int32) + 1000
        s[s >= 4096] -= 4096
        intercept = -1000.0

    # 3. Hounsfield units
    dt = args.np_dtype
    hu = s.astype(dt)
    if slope != 1.0:
        hu *= dt(slope)
    hu += dt(intercept)

    # 4. summary statistics over the (fixed) stored values
    img_min = int(s.min())
    img_max = int(s.max())
    sf = s.astype(np.float64)
    img_mean = float(sf.mean())
    img_std = float(sf.std())
    lower, upper = window_bounds(BRAIN)
    img_pct_window = float(np.count_nonzero((hu > lower) & (hu < upper)) / hu.size)
    kept = img_pct_window >= args.threshold
    t = timer.lap("fix+stats", t)

    result = {"file": path, "sop": sop, "pixel_fixed": int(pixel_fixed),
              "img_min": img_min, "img_max": img_max,
              "img_mean": img_mean, "img_std": img_std,
              "img_pct_window": img_pct_window, "kept": bool(kept), "crop": None,
              "rows": rows, "columns": cols}
    if not kept:
        result["drop_reason"] = "below_brain_window_threshold"
        return result

    # 6. resample to 512x512 if needed
    if hu.shape != (STANDARD_SIZE, STANDARD_SIZE):
        hu = resize_bilinear(hu, STANDARD_SIZE, STANDARD_SIZE)
    t = timer.lap("resize+channels", t)

    # 7.-8. brain mask and square crop box
    mask = brain_mask(hu)
    r0, c0, side = crop_box(mask)
    result["crop"] = [r0, c0, side]
    t = timer.lap("mask+crop", t)

    # 8.-9. crop, resize, channels
    x = resize_bilinear(hu[r0:r0 + side, c0:c0 + side], args.size, args.size)
    bins = args.bins if args.bins is not None else freqhist_bins(x)
    rgb = np.empty((args.size, args.size, 3), dtype=np.uint8)
    rgb[..., 0] = to_uint8(apply_window(x, BRAIN))
    rgb[..., 1] = to_uint8(apply_window(x, SUBDURAL))
    rgb[..., 2] = to_uint8(hist_scaled(x, bins))
    t = timer.lap("resize+channels", t)

    if args.out:
        name = sop if sop else os.path.splitext(os.path.basename(path))[0]
        Image.fromarray(rgb, "RGB").save(os.path.join(args.out, name + ".png"),
                                         compress_level=1)
        timer.lap("png", t)
    return result


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------

class StageTimer:
    def __init__(self):
        self.totals = dict.fromkeys(STAGES, 0.0)

    def lap(self, stage, start):
        now = time.perf_counter()
        self.totals[stage] += now - start
        return now


def iter_inputs(paths):
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs.sort()
                found.extend(os.path.join(root, f) for f in files
                             if f.lower().endswith(".dcm"))
            yield from sorted(found)
        else:
            yield p


def load_bins(path):
    with open(path) as f:
        bins = np.asarray(json.load(f), dtype=np.float64)
    if bins.ndim != 1 or bins.size == 0:
        raise ValueError("--bins: expected a non-empty JSON array of numbers")
    if np.any(np.diff(bins) <= 0):
        raise ValueError("--bins: values must be strictly ascending")
    return bins


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", metavar="PATH",
                    help="DICOM files, or folders searched recursively for *.dcm")
    ap.add_argument("--out", metavar="DIR", help="write <DIR>/<SOPInstanceUID>.png")
    ap.add_argument("--size", type=int, default=256, help="output side (default 256)")
    ap.add_argument("--threshold", type=float, default=0.02,
                    help="minimum img_pct_window to keep a slice (default 0.02)")
    ap.add_argument("--bins", metavar="FILE",
                    help="JSON array of ascending HU bins for the hist channel "
                         "(default: freqhist bins of each slice)")
    ap.add_argument("--bench", action="store_true",
                    help="print only a throughput summary and the stage shares")
    ap.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                    help="float type of the HU image (default float32)")
    args = ap.parse_args(argv)
    if args.size < 1:
        ap.error("--size must be positive")
    args.np_dtype = np.float32 if args.dtype == "float32" else np.float64
    try:
        args.bins = load_bins(args.bins) if args.bins else None
    except (OSError, ValueError) as e:
        ap.error(str(e))
    if args.out:
        os.makedirs(args.out, exist_ok=True)

    timer = StageTimer()
    n_ok = n_kept = n_err = 0
    start = time.perf_counter()
    for path in iter_inputs(args.paths):
        try:
            result = process_file(path, args, timer)
        except Exception as e:  # one bad file never stops the batch
            n_err += 1
            msg = str(e) or type(e).__name__
            line = json.dumps({"file": path, "error": "%s: %s" % (type(e).__name__, msg)})
            if args.bench:
                print(line, file=sys.stderr)
            else:
                print(line, flush=False)
            continue
        n_ok += 1
        n_kept += result["kept"]
        if not args.bench:
            print(json.dumps(result))
    elapsed = time.perf_counter() - start

    if args.bench:
        rate = n_ok / elapsed if elapsed > 0 else float("nan")
        print("slices: %d  seconds: %.3f  slices/s: %.1f  per core: %.1f"
              % (n_ok, elapsed, rate, rate))
        print("(single process, single thread = 1 core; kept %d, dropped %d, errors %d; "
              "size %d, dtype %s, png %s)"
              % (n_kept, n_ok - n_kept, n_err, args.size, args.dtype,
                 "written" if args.out else "not written (no --out)"))
        staged = sum(timer.totals.values())
        for stage in STAGES:
            sec = timer.totals[stage]
            print("  %-16s %7.3f s  %5.1f %%" % (stage, sec,
                                                  100.0 * sec / elapsed if elapsed else 0.0))
        print("  %-16s %7.3f s  %5.1f %%" % ("other", elapsed - staged,
                                             100.0 * (elapsed - staged) / elapsed
                                             if elapsed else 0.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
