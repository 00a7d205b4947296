import os

# Under pytest-xdist (`-n 2`, the fast layer in README) each worker is a process of its own: one
# torch thread each, or two workers' two threads apiece would wait on each other for 2 cores
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402
from helpers import write_blocks_root, write_root  # noqa: E402


@pytest.fixture
def idx_root(tmp_path):
    write_root(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def runs_dir(tmp_path, monkeypatch):
    """The app keeps its runs in a folder of the test's own."""
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """No test reaches the internet: MNIST's mirrors point at a closed port on loopback, and
    full MNIST (for digits other than 4 and 9) is looked for in a folder of the test's own."""
    import torchvision.datasets

    monkeypatch.setattr(torchvision.datasets.MNIST, "mirrors", ["http://127.0.0.1:9/"])
    monkeypatch.setenv("MNIST49_DATA", str(tmp_path / "mnist"))
    return tmp_path / "mnist"


@pytest.fixture
def fresh_pool():
    """The app's pool of training workers started anew, after this test has set where full MNIST
    lives: a worker reads $MNIST49_DATA as it was when the worker started (in a server it never
    changes), and the pool is cached for the whole test process."""
    from mnist49.app import common

    common.pool.clear()  # the old pool's spare worker exits when its stdin closes with it
    yield
    common.pool().close(timeout=1)  # this test's runs have ended; its spare need not warm up
    common.pool.clear()


@pytest.fixture
def mnist_server(tmp_path, monkeypatch):
    """An HTTP server on loopback serving gzipped IDX files that the test writes, set up as
    torchvision's MNIST mirror (with their MD5s). Yields the raw folder of what it serves."""
    import gzip
    import hashlib
    import http.server
    import threading
    from functools import partial

    import torchvision.datasets

    served = tmp_path / "served"
    raw = write_blocks_root(served)
    resources = []
    for path in sorted(raw.iterdir()):
        packed = gzip.compress(path.read_bytes())
        (served / f"{path.name}.gz").write_bytes(packed)
        resources.append((f"{path.name}.gz", hashlib.md5(packed).hexdigest()))
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    # the first mirror is down, as happens: the download must go on to the next one
    monkeypatch.setattr(
        torchvision.datasets.MNIST, "mirrors", ["http://127.0.0.1:9/", f"http://127.0.0.1:{port}/"]
    )
    monkeypatch.setattr(torchvision.datasets.MNIST, "resources", resources)
    yield raw
    server.shutdown()
