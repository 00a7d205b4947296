"""A full disk is told truthfully: a failed start leaves no folder, a failed last write marks the
run failed with why, and training first checks that the run fits. ENOSPC is simulated by
making the writes fail as a full disk does: a file is made, empty or partial, then OSError."""

import errno
import json
import shutil
from pathlib import Path

import pytest

FAST = ["--epochs", "2", "--train-size", "100", "--test-size", "50", "--device", "cpu"]


def _full(path) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path))


def _one_clear_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("seeds", [1, 3])
def test_a_start_on_a_full_disk_leaves_no_folder(tmp_path, monkeypatch, capsys, seeds):
    from mnist49.cli import main

    real = Path.write_text
    # with several seeds the disk fills at the first replicate, after the run's own folder
    where = "replicates" if seeds > 1 else ""

    def write_text(self, text, *args, **kwargs):
        if where not in str(self):
            return real(self, text, *args, **kwargs)
        real(self, "")  # what a full disk leaves: the file, empty
        raise _full(self)

    monkeypatch.setattr(Path, "write_text", write_text)
    assert main(["train", *FAST, "--seeds", str(seeds), "--runs-dir", str(tmp_path)]) == 2
    line = _one_clear_line(capsys.readouterr().err)
    assert "the disk is full" in line and "free some space" in line
    assert list(tmp_path.iterdir()) == []  # nothing listed as unreadable


def _failing_last_write(monkeypatch, status_too: bool = False) -> None:
    """torch.save (and with `status_too` the status too) fails once the run is finishing."""
    import torch

    from mnist49.runs import atomic, writer

    finishing = []
    finish, save, write_json = writer.RunWriter.finish, torch.save, atomic.write_json

    def finishing_finish(self, *args, **kwargs):
        finishing.append(True)
        return finish(self, *args, **kwargs)

    def full_save(obj, f, *args, **kwargs):
        if not finishing:
            return save(obj, f, *args, **kwargs)
        Path(f).write_bytes(b"PK\x03")  # a partial file
        raise _full(f)

    def full_json(path, obj):
        if finishing and status_too:
            raise _full(path)
        return write_json(path, obj)

    monkeypatch.setattr(writer.RunWriter, "finish", finishing_finish)
    monkeypatch.setattr(torch, "save", full_save)
    monkeypatch.setattr(atomic, "write_json", full_json)


@pytest.mark.parametrize("seeds", [1, 3])
def test_a_failed_last_write_marks_the_run_failed_with_why(tmp_path, monkeypatch, capsys, seeds):
    from mnist49 import runs
    from mnist49.cli import main

    _failing_last_write(monkeypatch)
    assert main(["train", *FAST, "--seeds", str(seeds), "--runs-dir", str(tmp_path)]) == 2
    line = _one_clear_line(capsys.readouterr().err)
    assert "the disk is full" in line and "weights.pt.tmp" in line
    (run,), problems = runs.list_runs(tmp_path)
    assert problems == []
    assert run.status == "failed" and "could not be written" in run.message
    assert "No space left on device" in run.message
    assert len(run.history) == 2  # the finished epochs stay
    assert run.weights_path() is not None and run.load_model() is not None  # as saved after epoch 1
    assert not list(tmp_path.rglob("*.tmp"))  # no half file is left to fill the disk
    for replicate in run.replicates():
        assert replicate.status == "failed"


def test_when_even_the_status_cannot_be_written_nothing_finished_is_removed(tmp_path, monkeypatch, capsys):
    from mnist49 import runs
    from mnist49.cli import main

    _failing_last_write(monkeypatch, status_too=True)
    assert main(["train", *FAST, "--runs-dir", str(tmp_path)]) == 2
    assert "the disk is full" in _one_clear_line(capsys.readouterr().err)
    (path,) = tmp_path.iterdir()
    status = json.loads((path / "status.json").read_text())
    assert status["status"] == "running"  # the last status written: its owner's end tells the rest
    run = runs.load_run(path)
    assert len(run.history) == 2 and run.load_model() is not None and run.has_predictions


def _little_room(monkeypatch, free: int) -> None:
    usage = shutil.disk_usage("/")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=free))


def test_the_cli_says_the_disk_is_too_full_before_it_starts(tmp_path, monkeypatch, capsys):
    from mnist49 import runs
    from mnist49.cli import main
    from mnist49.config import Config

    needed = runs.space_needed(Config(epochs=2, train_size=100, test_size=50, device="cpu"))
    _little_room(monkeypatch, needed - 1)
    assert main(["train", *FAST, "--runs-dir", str(tmp_path)]) == 2
    line = _one_clear_line(capsys.readouterr().err)
    assert "MB free" in line and "free some space" in line
    assert list(tmp_path.iterdir()) == []
    _little_room(monkeypatch, needed)
    assert main(["train", *FAST, "--runs-dir", str(tmp_path)]) == 0


def test_space_needed_bounds_what_a_run_writes(tmp_path):
    from mnist49 import runs
    from mnist49.config import Config
    from mnist49.runs import record

    for config in (Config(epochs=3, train_size=100, test_size=50, device="cpu", seeds=s) for s in (1, 3)):
        run, _ = record.train_run(config, tmp_path)
        written = sum(f.stat().st_size for f in run.path.rglob("*") if f.is_file())
        assert written < runs.space_needed(config) < 20 * written


@pytest.mark.parametrize(("lang", "words"), [("en", "has 0.1 MB free"), ("ja", "ディスクの空きは 0.1 MB")])
def test_train_says_the_disk_is_too_full_before_it_starts(monkeypatch, lang, words):
    from helpers import open_app

    _little_room(monkeypatch, 100_000)
    at = open_app()
    at.session_state["k_lang"] = lang
    at.switch_page("mnist49/app/pages/train.py").run()
    assert not at.exception
    assert any(words in e.value for e in at.error)
    assert at.button(key="train").disabled
