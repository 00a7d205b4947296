import numpy as np
import pytest

from mnist49 import data


def write_root(root, n_train=30, n_test=12, seed=0):
    """A torchvision-style MNIST root with small random IDX files; returns the raw folder."""
    rng = np.random.default_rng(seed)
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for train, n in ((True, n_train), (False, n_test)):
        images_name, labels_name = data.RAW_FILES[train]
        data.write_idx(raw / images_name, rng.integers(0, 256, (n, 28, 28), dtype=np.uint8))
        data.write_idx(raw / labels_name, (np.arange(n) % 10).astype(np.uint8))
    return raw


@pytest.fixture
def idx_root(tmp_path):
    write_root(tmp_path)
    return tmp_path
