import pytest
from helpers import write_root


@pytest.fixture
def idx_root(tmp_path):
    write_root(tmp_path)
    return tmp_path
