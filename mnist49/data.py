"""MNIST 4s and 9s: read IDX files, the bundled subset, seeded sampling, tensors.

Digits stay as one uint8 tensor from disk to the training loop: no per-sample PIL or
transform work anywhere.
"""

from __future__ import annotations

import functools
import gzip
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import torch

PAIR = (4, 9)  # the chapter's problem: 4 -> 0.0, 9 -> 1.0
BUNDLE = "mnist49.npz"  # inside mnist49/assets/
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049  # IDX: unsigned byte, 3 dims / 1 dim
RAW_FILES = {
    True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class DataError(Exception):
    """A data file is missing, truncated or not what it claims to be."""

    def __init__(self, path: Path | str, problem: str):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class Digits:
    """A set of labelled digits, as they are stored: uint8 pixels and the digit itself."""

    images: torch.Tensor  # (N, 28, 28) uint8
    labels: torch.Tensor  # (N,) int64, the digit (4 or 9)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index) -> Digits:
        return Digits(self.images[index], self.labels[index])


@dataclass(frozen=True)
class Dataset:
    """The whole 4/9 subset: train and test."""

    train: Digits
    test: Digits


def read_idx(path: Path, magic: int) -> np.ndarray:
    """Read one IDX file (raw or gzip) and check its magic number, shape and length."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except FileNotFoundError:
        raise DataError(path, "file not found") from None
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise DataError(path, f"cannot read the file ({e})") from None
    if len(raw) < 8:
        raise DataError(path, f"only {len(raw)} bytes: too short for an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        kind = "images" if magic == IMAGES_MAGIC else "labels"
        raise DataError(path, f"magic number {found}, expected {magic} for an IDX {kind} file")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if magic == IMAGES_MAGIC and shape[1:] != (28, 28):
        raise DataError(path, f"images of shape {shape[1:]}, expected 28x28")
    expected = header + int(np.prod(shape))
    if len(raw) != expected:
        raise DataError(path, f"{len(raw)} bytes, expected {expected} for shape {shape} (truncated?)")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array as an IDX file (the inverse of `read_idx`); used by tests and tools."""
    magic = IMAGES_MAGIC if array.ndim == 3 else LABELS_MAGIC
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    Path(path).write_bytes(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def _raw_split(raw_dir: Path, train: bool, pair: tuple[int, int]) -> Digits:
    """One split of full MNIST from `raw_dir`, filtered to the digits in `pair`."""
    images_name, labels_name = RAW_FILES[train]

    def find(name: str) -> Path:
        plain, packed = raw_dir / name, raw_dir / f"{name}.gz"
        return plain if plain.exists() or not packed.exists() else packed

    images = read_idx(find(images_name), IMAGES_MAGIC)
    labels_path = find(labels_name)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if len(images) != len(labels):
        raise DataError(labels_path, f"{len(labels)} labels for {len(images)} images")
    keep = np.isin(labels, pair)
    return Digits(torch.from_numpy(images[keep].copy()), torch.from_numpy(labels[keep].astype(np.int64)))


def load_idx_root(root: Path, download: bool = True, pair: tuple[int, int] = PAIR) -> Dataset:
    """MNIST from a torchvision root (`<root>/MNIST/raw/*-ubyte`), downloading it if absent."""
    raw_dir = Path(root) / "MNIST" / "raw"
    missing = [n for names in RAW_FILES.values() for n in names
               if not (raw_dir / n).exists() and not (raw_dir / f"{n}.gz").exists()]
    if missing and download:
        try:
            from torchvision.datasets import MNIST

            for train in (True, False):
                MNIST(str(root), train=train, download=True)
        except Exception as e:  # no network, a mirror down, a read-only folder ...
            raise DataError(
                raw_dir, f"MNIST files missing ({', '.join(missing)}) and the download failed "
                f"({type(e).__name__}); put the four IDX files in this folder") from None
    elif missing:
        raise DataError(raw_dir, f"MNIST files missing: {', '.join(missing)}")
    return Dataset(_raw_split(raw_dir, True, pair), _raw_split(raw_dir, False, pair))


def bundle_path() -> Path:
    return Path(str(resources.files("mnist49") / "assets" / BUNDLE))


def save_bundle(dataset: Dataset, path: Path) -> None:
    """Write the subset as one compressed .npz (what `tools/build_bundle.py` ships)."""
    np.savez_compressed(
        path,
        train_images=dataset.train.images.numpy(), train_labels=dataset.train.labels.numpy().astype(np.uint8),
        test_images=dataset.test.images.numpy(), test_labels=dataset.test.labels.numpy().astype(np.uint8),
    )


def load_bundle(path: Path | None = None) -> Dataset:
    """The 4/9 subset shipped inside the package: 11,791 train and 1,991 test digits."""
    path = Path(path) if path else bundle_path()
    try:
        with np.load(io.BytesIO(path.read_bytes())) as f:
            arrays = {k: f[k] for k in ("train_images", "train_labels", "test_images", "test_labels")}
    except FileNotFoundError:
        raise DataError(path, "bundled data file not found (reinstall, or rebuild it with "
                        "tools/build_bundle.py)") from None
    except Exception as e:
        raise DataError(path, f"damaged bundled data file ({type(e).__name__}: {e})") from None
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
            raise DataError(path, f"{split} arrays of shapes {images.shape} and {labels.shape}")

    def digits(split: str) -> Digits:
        return Digits(torch.from_numpy(arrays[f"{split}_images"]),
                      torch.from_numpy(arrays[f"{split}_labels"].astype(np.int64)))

    return Dataset(digits("train"), digits("test"))


def load(source: str | Path | None = None) -> Dataset:
    """The bundled subset (source None or "bundled") or a torchvision root; cached per process."""
    return _load(str(source or "bundled"))


@functools.cache
def _load(source: str) -> Dataset:
    return load_bundle() if source == "bundled" else load_idx_root(Path(source))


def sample(digits: Digits, size: int | None, seed: int) -> tuple[Digits, torch.Tensor]:
    """A seeded random subset of `size` digits (None: all, shuffled) and their indices."""
    if size is not None and not 1 <= size <= len(digits):
        raise ValueError(f"asked for {size} digits, but the set has {len(digits)}")
    g = torch.Generator().manual_seed(seed)
    index = torch.randperm(len(digits), generator=g)[:size]
    return digits[index], index


def to_tensors(digits: Digits, device: torch.device | str = "cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """Model inputs and targets: pixels in [0, 1] as (N, 1, 28, 28) and 4 -> 0.0, 9 -> 1.0 as (N,)."""
    x = digits.images.to(device).unsqueeze(1).float().div_(255)  # (N, 1, 28, 28)
    y = (digits.labels.to(device) == PAIR[1]).float()  # (N,)
    return x, y
