"""The downloader, against a server on loopback (tests/conftest.py): no test reaches the internet."""

import pytest

from mnist49 import data
from mnist49.download import download


def test_failed_download_says_where_to_put_the_files(tmp_path):
    # the autouse `offline` fixture leaves only a closed port on loopback as MNIST's mirror
    with pytest.raises(data.DataError, match="could not download.*copy the four MNIST IDX") as e:
        download(tmp_path)
    assert e.value.path == tmp_path / "MNIST" / "raw"


def test_download_fetches_full_mnist_with_progress(tmp_path, mnist_server):
    """Against a server on loopback (tests/conftest.py) whose first mirror is down."""
    import torchvision.datasets

    reports = []
    root = tmp_path / "data"
    download(root, lambda fraction, text: reports.append((fraction, text)))
    raw = root / "MNIST" / "raw"
    for name in (n for names in data.RAW_FILES.values() for n in names):
        assert (raw / name).read_bytes() == (mnist_server / name).read_bytes()
        assert (raw / f"{name}.gz").exists()  # as torchvision keeps them
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 5
    assert any("train-images-idx3-ubyte.gz" in text for _, text in reports)
    # torchvision itself reads what was downloaded: the chapter's code can use this folder
    ds = torchvision.datasets.MNIST(str(root), train=False)
    assert len(ds) == 200
    # a second call finds everything there and fetches nothing
    (mnist_server / "train-images-idx3-ubyte").unlink()
    download(root)


def test_a_folder_that_cannot_be_made_is_a_data_error(tmp_path, mnist_server):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(data.DataError, match="cannot make this folder.*MNIST49_DATA"):
        download(tmp_path / "file" / "data")


def test_download_refuses_a_file_that_fails_its_md5(tmp_path, mnist_server, monkeypatch):
    import torchvision.datasets

    bad = [(name, "0" * 32) for name, _ in torchvision.datasets.MNIST.resources]
    monkeypatch.setattr(torchvision.datasets.MNIST, "resources", bad)
    with pytest.raises(data.DataError, match="failed its MD5 check"):
        download(tmp_path)
    assert not (tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte").exists()
