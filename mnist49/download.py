"""Full MNIST fetched over HTTP from torchvision's mirrors, checked against torchvision's MD5s."""

from __future__ import annotations

import gzip
import hashlib
import urllib.request
from collections.abc import Callable
from pathlib import Path

from mnist49.data import DataError

# what to do without a network; the app says it once, in its own words, and leaves it out here
OFFLINE = "without a network, copy the four MNIST IDX files into this folder"

Progress = Callable[[float, str], None]  # (fraction done, what is happening)


def download(root: Path | str, progress: Progress | None = None, timeout: float = 30) -> None:
    """Fetch full MNIST into `<root>/MNIST/raw` from torchvision's mirrors, as torchvision lays it
    out (each .gz, checked against torchvision's MD5, and unpacked beside it)."""
    from torchvision.datasets import MNIST  # its mirrors and MD5s; importing it takes seconds

    raw_dir = Path(root) / "MNIST" / "raw"
    try:
        raw_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataError(
            raw_dir, f"cannot make this folder ({e.strerror}); set MNIST49_DATA to a folder you can write to"
        ) from None
    resources = MNIST.resources
    for i, (filename, md5) in enumerate(resources):
        target = raw_dir / filename.removesuffix(".gz")
        if target.exists():
            continue
        errors = []

        def report(done: int, total: int, i=i, filename=filename) -> None:
            if progress:
                progress(
                    (i + (done / total if total else 0)) / len(resources),
                    f"{filename}: {done / 1e6:.1f} of {total / 1e6:.1f} MB",
                )

        for mirror in MNIST.mirrors:
            try:
                packed = _fetch(mirror + filename, report, timeout)
            except OSError as e:  # URLError, timeouts and HTTP errors are all OSErrors
                errors.append(f"{mirror}: {getattr(e, 'reason', e)}")
                continue
            if hashlib.md5(packed).hexdigest() != md5:
                errors.append(f"{mirror}: {filename} failed its MD5 check")
                continue
            try:  # the unpacked file first: a file is only ever there whole
                _write_atomic(target, gzip.decompress(packed))
                _write_atomic(raw_dir / filename, packed)
            except OSError as e:
                raise DataError(
                    raw_dir,
                    f"cannot write {filename} here ({e.strerror}); set "
                    "MNIST49_DATA to a folder you can write to",
                ) from None
            break
        else:
            raise DataError(
                raw_dir,
                f"could not download {filename} ({'; '.join(errors)}); {OFFLINE}",
            )
    if progress:
        progress(1.0, "MNIST is ready")


def _fetch(url: str, report: Callable[[int, int], None], timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        total, chunks, done = int(response.headers.get("Content-Length") or 0), [], 0
        while chunk := response.read(1 << 16):
            chunks.append(chunk)
            done += len(chunk)
            report(done, total)
    return b"".join(chunks)


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(path.name + ".part")  # a reader never sees half a file
    tmp.write_bytes(content)
    tmp.replace(path)
