import pytest
from helpers import write_root


@pytest.fixture
def idx_root(tmp_path):
    write_root(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def runs_dir(tmp_path, monkeypatch):
    """The app keeps its runs in a folder of the test's own."""
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(tmp_path))
    return tmp_path
