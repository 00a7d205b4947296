"""MNIST digits: the bundled 4s and 9s, full MNIST from IDX files, seeded sampling, tensors.

Digits stay as one uint8 array from disk to the training loop (a torch tensor sharing its
memory from `load` on): no per-sample PIL or transform work anywhere.

torch is imported only by the functions that make tensors: the Samples page draws from the
NumPy arrays (`arrays`), before the server has loaded torch.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch

PAIR = (4, 9)  # the chapter's problem: 4 -> 0.0, 9 -> 1.0
BUNDLE = "mnist49.npz"  # inside mnist49/assets/
# What config.data names, never a path of one machine, so that a run folder means the same
# anywhere: "bundled" is the shipped 4/9 subset (other digits from full MNIST in default_root()),
# "mnist" is full MNIST in default_root() for any digits.
SOURCES = ("bundled", "mnist")
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
    """A set of labelled digits, as they are stored: uint8 pixels and the digit itself, as NumPy
    arrays (`arrays`) or as torch tensors sharing their memory (`load`)."""

    images: np.ndarray | torch.Tensor  # (N, 28, 28) uint8
    labels: np.ndarray | torch.Tensor  # (N,) int64, the digit itself (0-9)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index) -> Digits:
        return Digits(self.images[index], self.labels[index])


@dataclass(frozen=True)
class Dataset:
    """The digits of one problem (the 4/9 subset, say): train and test."""

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


def _raw_split(raw_dir: Path, train: bool) -> Digits:
    """One split of full MNIST from `raw_dir`, all ten digits."""
    images_name, labels_name = RAW_FILES[train]

    def find(name: str) -> Path:
        plain, packed = raw_dir / name, raw_dir / f"{name}.gz"
        return plain if plain.exists() or not packed.exists() else packed

    images = read_idx(find(images_name), IMAGES_MAGIC)
    labels_path = find(labels_name)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if len(images) != len(labels):
        raise DataError(labels_path, f"{len(labels)} labels for {len(images)} images")
    return Digits(images.copy(), labels.astype(np.int64))


def default_root() -> Path:
    """Where full MNIST is kept (the source "mnist", and "bundled" for digits other than 4 and 9):
    $MNIST49_DATA, else ./data."""
    return Path(os.environ.get("MNIST49_DATA", "data"))


def missing_files(root: Path | str) -> list[str]:
    """The IDX files (plain or gzipped) not yet in `<root>/MNIST/raw`."""
    raw_dir = Path(root) / "MNIST" / "raw"
    return [
        n
        for names in RAW_FILES.values()
        for n in names
        if not (raw_dir / n).exists() and not (raw_dir / f"{n}.gz").exists()
    ]


def load_idx_root(root: Path | str, digits: tuple[int, ...] = PAIR) -> Dataset:
    """MNIST from a torchvision root (`<root>/MNIST/raw/*-ubyte`) as arrays, keeping only `digits`."""
    raw_dir = Path(root) / "MNIST" / "raw"
    if missing := missing_files(root):
        raise DataError(
            raw_dir,
            f"MNIST files missing: {', '.join(missing)}; download them "
            "(mnist49 download, or the app offers it) or copy the four IDX files here",
        )
    full = _full(str(raw_dir.resolve()))
    return Dataset(*(split[np.isin(split.labels, digits)] for split in (full.train, full.test)))


@functools.lru_cache(maxsize=2)
def _full(raw_dir: str) -> Dataset:
    return Dataset(_raw_split(Path(raw_dir), True), _raw_split(Path(raw_dir), False))


def bundle_path() -> Path:
    return Path(str(resources.files("mnist49") / "assets" / BUNDLE))


def save_bundle(dataset: Dataset, path: Path) -> None:
    """Write the subset as one compressed .npz (what `tools/build_bundle.py` ships)."""
    np.savez_compressed(
        path,
        train_images=np.asarray(dataset.train.images),
        train_labels=np.asarray(dataset.train.labels).astype(np.uint8),
        test_images=np.asarray(dataset.test.images),
        test_labels=np.asarray(dataset.test.labels).astype(np.uint8),
    )


def load_bundle(path: Path | None = None) -> Dataset:
    """The 4/9 subset shipped inside the package, as arrays: 11,791 train and 1,991 test digits."""
    path = Path(path) if path else bundle_path()
    try:
        with np.load(io.BytesIO(path.read_bytes())) as f:
            arrays = {k: f[k] for k in ("train_images", "train_labels", "test_images", "test_labels")}
    except FileNotFoundError:
        raise DataError(
            path, "bundled data file not found (reinstall, or rebuild it with tools/build_bundle.py)"
        ) from None
    except Exception as e:
        raise DataError(path, f"damaged bundled data file ({type(e).__name__}: {e})") from None
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
            raise DataError(path, f"{split} arrays of shapes {images.shape} and {labels.shape}")

    def digits(split: str) -> Digits:
        return Digits(arrays[f"{split}_images"], arrays[f"{split}_labels"].astype(np.int64))

    return Dataset(digits("train"), digits("test"))


def root_of(source: str | Path | None, digits: tuple[int, ...] = PAIR) -> Path | None:
    """The torchvision root that `load(source, digits)` reads, or None for the bundled file.

    A source other than those in SOURCES is read as a root folder: run folders may hold one in
    their config.json, and the CLI's `--data` accepts one.
    """
    source = str(source or "bundled")
    if source not in SOURCES:
        return Path(source)
    return None if source == "bundled" and tuple(digits) == PAIR else default_root()


def origin(source: str | Path | None, digits: tuple[int, ...] = PAIR) -> str:
    """Where `load(source, digits)` reads its digits from on this machine: "bundled" or the
    root folder's absolute path. Two runs of the same digits and origin saw the same test set."""
    root = root_of(source, digits)
    return "bundled" if root is None else str(root.resolve())


def arrays(source: str | Path | None = None, digits: tuple[int, ...] = PAIR) -> Dataset:
    """`digits` from a source of SOURCES (None: "bundled") or a torchvision root, as NumPy
    arrays; cached per process.

    Never downloads: see `mnist49.download`.
    """
    root = root_of(source, digits)
    return _arrays(None if root is None else str(root.resolve()), tuple(digits))


@functools.lru_cache(maxsize=8)  # a server whose users try many pairs keeps only the latest few
def _arrays(root: str | None, digits: tuple[int, ...]) -> Dataset:
    return load_bundle() if root is None else load_idx_root(Path(root), digits)


def load(source: str | Path | None = None, digits: tuple[int, ...] = PAIR) -> Dataset:
    """`arrays(source, digits)` as torch tensors that share the arrays' memory."""
    import torch

    dataset = arrays(source, digits)
    return Dataset(
        *(
            Digits(torch.from_numpy(split.images), torch.from_numpy(split.labels))
            for split in (dataset.train, dataset.test)
        )
    )


def draw(digits: Digits, size: int, seed: int) -> Digits:
    """A seeded random `size` of the digits, to show them; by NumPy, so that the Samples page
    needs no torch. Training draws its digits with `sample`."""
    index = np.random.default_rng(seed).permutation(len(digits))[:size]
    return digits[index]


def sample(
    digits: Digits, size: int | None, seed: int, exclude: tuple[int, ...] = ()
) -> tuple[Digits, torch.Tensor]:
    """A seeded random subset of tensor `digits` (from `load`) of `size` (None: all, shuffled)
    and their indices: the draw a config's train and test digits are made of.

    The indices in `exclude` are skipped in the same shuffled order, so the draw is the one
    without them, each left-out digit's place taken by the next digit of that order."""
    import torch

    g = torch.Generator().manual_seed(seed)
    index = torch.randperm(len(digits), generator=g)
    if exclude:
        index = index[~torch.isin(index, torch.as_tensor(exclude, dtype=index.dtype))]
    if size is not None and not 1 <= size <= len(index):
        raise ValueError(f"asked for {size} digits, but the set has {len(index)}")
    index = index[:size]
    return digits[index], index


def check_exclude(source: str | Path | None, train: Digits, exclude: tuple[int, ...]) -> None:
    """DataError unless every excluded index is a digit of `train` and some digits are left."""
    if exclude and exclude[-1] >= len(train):
        raise DataError(
            source,
            f"exclude names train digit {exclude[-1]}, but there are {len(train)} train digits "
            f"(0 to {len(train) - 1}); leave it out of exclude",
        )
    if exclude and len(exclude) >= len(train):
        raise DataError(source, f"exclude leaves none of the {len(train)} train digits to train on")


def to_inputs(images: np.ndarray | torch.Tensor, device: torch.device | str = "cpu") -> torch.Tensor:
    """uint8 digits (N, 28, 28) -> model inputs (N, 1, 28, 28), pixels in [0, 1]."""
    import torch

    return torch.as_tensor(images).to(device).unsqueeze(1).float().div_(255)


def to_tensors(
    digits: Digits, classes: tuple[int, ...] = PAIR, device: torch.device | str = "cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Model inputs and targets: pixels in [0, 1] as (N, 1, 28, 28), and (N,) targets.

    Two classes: 0.0 for the first digit and 1.0 for the second (4 -> 0.0, 9 -> 1.0), for BCE.
    More: each digit's position in `classes` as int64, for cross-entropy.
    """
    import torch

    x = to_inputs(digits.images, device)  # (N, 1, 28, 28)
    position = torch.full((10,), -1, dtype=torch.int64)
    position[list(classes)] = torch.arange(len(classes))
    y = position[torch.as_tensor(digits.labels)].to(device)  # (N,)
    return x, (y.float() if len(classes) == 2 else y)
