import gzip
from pathlib import Path

import numpy as np
import pytest
import torch

from mnist49 import data

SHARED_MNIST = Path(__file__).resolve().parents[2] / "shared" / "mnist"


def test_bundle_holds_every_4_and_9():
    ds = data.load_bundle()
    assert (len(ds.train), len(ds.test)) == (11791, 1991)
    for digits in (ds.train, ds.test):
        assert digits.images.dtype == np.uint8 and digits.images.shape[1:] == (28, 28)
        assert set(np.unique(digits.labels).tolist()) == {4, 9}
    # MNIST's own label counts: 5842 fours and 5949 nines in train, 982 and 1009 in test
    assert np.bincount(ds.train.labels)[[4, 9]].tolist() == [5842, 5949]
    assert np.bincount(ds.test.labels)[[4, 9]].tolist() == [982, 1009]


@pytest.mark.skipif(not SHARED_MNIST.exists(), reason="needs the original IDX files in ../shared/mnist")
def test_bundle_rebuilds_identically_from_the_original_files():
    rebuilt, shipped = data.load_idx_root(SHARED_MNIST), data.load_bundle()
    for split in ("train", "test"):
        assert np.array_equal(getattr(rebuilt, split).images, getattr(shipped, split).images)
        assert np.array_equal(getattr(rebuilt, split).labels, getattr(shipped, split).labels)


def test_torchvision_root_is_read_and_filtered(idx_root):
    ds = data.load_idx_root(idx_root)
    # labels are 0..9 repeating: 30 train images hold three 4s and three 9s
    assert len(ds.train) == 6 and len(ds.test) == 2
    assert set(ds.train.labels.tolist()) == {4, 9}
    raw = np.frombuffer((idx_root / "MNIST/raw/train-images-idx3-ubyte").read_bytes()[16:], np.uint8)
    assert np.array_equal(ds.train.images[0], raw.reshape(-1, 28, 28)[4])


def test_gzipped_root_is_read(idx_root):
    for path in (idx_root / "MNIST/raw").iterdir():
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
    assert len(data.load_idx_root(idx_root).train) == 6


def _corrupt(raw, name, how):
    path = raw / name
    b = path.read_bytes()
    if how == "missing":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(b[:-100])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "magic":
        path.write_bytes((1234).to_bytes(4, "big") + b[4:])
    elif how == "shape":
        data.write_idx(path, np.zeros((3, 27, 27), np.uint8))
    elif how == "count":
        data.write_idx(path, np.full(5, 4, np.uint8))
    elif how == "badgzip":
        path.write_bytes(b"\x1f\x8b" + b"not gzip at all")


@pytest.mark.parametrize(
    ("name", "how", "message"),
    [
        ("train-images-idx3-ubyte", "missing", "missing"),
        ("train-images-idx3-ubyte", "truncated", "truncated"),
        ("t10k-labels-idx1-ubyte", "empty", "too short"),
        ("train-images-idx3-ubyte", "magic", "magic number 1234, expected 2051"),
        ("t10k-labels-idx1-ubyte", "magic", "magic number 1234, expected 2049"),
        ("train-images-idx3-ubyte", "shape", "expected 28x28"),
        ("train-labels-idx1-ubyte", "count", "5 labels for 30 images"),
        ("t10k-images-idx3-ubyte", "badgzip", "cannot read"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path, name, how, message):
    from helpers import write_root

    raw = write_root(tmp_path)
    _corrupt(raw, name, how)
    with pytest.raises(data.DataError, match=message) as e:
        data.load_idx_root(tmp_path)
    assert name in str(e.value) or how == "missing"


def test_a_missing_root_is_a_data_error_that_says_what_to_do(tmp_path):
    with pytest.raises(data.DataError, match="MNIST files missing: train-images.*download them"):
        data.load_idx_root(tmp_path)


def test_damaged_bundle_is_a_data_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(data.DataError, match="damaged"):
        data.load_bundle(bad)
    with pytest.raises(data.DataError, match="not found"):
        data.load_bundle(tmp_path / "absent.npz")


def test_sample_is_seeded():
    train = data.load().train
    a, ia = data.sample(train, 2000, seed=3)
    b, ib = data.sample(train, 2000, seed=3)
    c, ic = data.sample(train, 2000, seed=4)
    assert torch.equal(ia, ib) and torch.equal(a.images, b.images)
    assert not torch.equal(ia, ic)
    assert len(ia.unique()) == 2000 and torch.equal(a.labels, train.labels[ia])
    assert len(data.sample(train, None, 0)[0]) == 11791
    with pytest.raises(ValueError, match="asked for 20000 digits, but the set has 11791"):
        data.sample(train, 20000, 0)


def test_load_gives_the_arrays_as_tensors_sharing_their_memory():
    arrays, tensors = data.arrays().test, data.load().test
    assert tensors.images.dtype == torch.uint8 and tensors.labels.dtype == torch.int64
    assert np.shares_memory(tensors.images.numpy(), arrays.images)
    assert np.array_equal(tensors.labels.numpy(), arrays.labels)


def test_draw_is_seeded():
    train = data.arrays().train
    a, b, c = (data.draw(train, 50, seed) for seed in (3, 3, 4))
    assert np.array_equal(a.images, b.images) and not np.array_equal(a.images, c.images)
    assert len(np.unique(a.images.reshape(50, -1), axis=0)) == 50  # 50 different digits
    assert set(np.unique(a.labels).tolist()) == {4, 9}


def test_to_tensors_scales_pixels_and_maps_labels():
    digits = data.Digits(
        torch.tensor([[[0] * 28] * 28, [[255] * 28] * 28], dtype=torch.uint8), torch.tensor([4, 9])
    )
    x, y = data.to_tensors(digits)
    assert x.shape == (2, 1, 28, 28) and x.dtype == torch.float32
    assert x[0].max() == 0.0 and x[1].min() == 1.0
    assert y.tolist() == [0.0, 1.0]


def test_other_digits_come_from_full_mnist_in_the_data_folder(offline):
    from helpers import write_blocks_root

    with pytest.raises(data.DataError, match="MNIST files missing"):
        data.load(digits=(3, 8))
    assert data.root_of("bundled", (3, 8)) == offline and data.root_of("bundled", (4, 9)) is None
    write_blocks_root(offline)
    ds = data.load(digits=(3, 8))
    assert set(ds.train.labels.tolist()) == {3, 8} and set(ds.test.labels.tolist()) == {3, 8}
    ten = data.load(digits=tuple(range(10)))
    assert (len(ten.train), len(ten.test)) == (600, 200)
    assert len(data.load().train) == 11791  # 4 and 9 still come from the bundle


def test_to_tensors_maps_more_digits_to_class_positions():
    digits = data.Digits(torch.zeros(4, 28, 28, dtype=torch.uint8), torch.tensor([0, 9, 3, 0]))
    _, y = data.to_tensors(digits, (0, 3, 9))
    assert y.dtype == torch.int64 and y.tolist() == [0, 2, 1, 0]
    _, y = data.to_tensors(digits[[1, 2]], (3, 9))
    assert y.tolist() == [1.0, 0.0]


def test_sources_are_names_and_a_stored_path_still_reads(offline, tmp_path):
    assert data.root_of("mnist", (4, 9)) == offline and data.root_of("bundled", (3, 8)) == offline
    # a run folder's config.json may hold a root folder: it is read from there
    assert data.root_of(str(tmp_path / "elsewhere"), (3, 8)) == tmp_path / "elsewhere"
    # the same digits from the same place, however the source was written
    here = str(offline.resolve())
    assert data.origin("bundled", (3, 8)) == data.origin("mnist", (3, 8)) == data.origin(here, (3, 8))
    assert data.origin("bundled", (4, 9)) == "bundled" != data.origin("mnist", (4, 9))
