import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from mnist49 import data, runs
from mnist49.cli import main


def test_train_prints_epochs_and_a_json_line(tmp_path, capsys):
    code = main(
        [
            "train",
            "--epochs",
            "2",
            "--train-size",
            "300",
            "--test-size",
            "100",
            "--runs-dir",
            str(tmp_path),
            "--json",
            "--device",
            "cpu",
        ]
    )
    captured = capsys.readouterr()
    out, err = captured.out.strip().splitlines(), captured.err.splitlines()
    assert code == 0
    assert len(out) == 1  # under --json the epoch lines go to stderr, so stdout pipes into jq
    assert err[0].startswith("epoch   1  train loss") and err[1].startswith("epoch   2")
    result = json.loads(out[-1])
    assert result["epochs"] == 2 and result["status"] == "finished"
    assert 0 <= result["test_accuracy"] <= 1
    # The figure per epoch is the epochs' own time (history.csv); start-up is reported apart.
    history = runs.load_run(tmp_path / result["run_dir"].split("/")[-1]).history
    assert result["seconds_per_epoch"] == pytest.approx(history["seconds"].mean())
    assert result["startup_seconds"] == pytest.approx(result["seconds"] - history["seconds"].sum())
    assert result["startup_seconds"] > 0
    assert (tmp_path / result["run_dir"].split("/")[-1] / "weights.pt").exists()


def test_train_uses_the_chapter_lr_of_the_model_unless_given(tmp_path, capsys):
    main(
        [
            "train",
            "--model",
            "mlp",
            "--epochs",
            "1",
            "--train-size",
            "100",
            "--test-size",
            "50",
            "--runs-dir",
            str(tmp_path),
            "--json",
        ]
    )
    run_dir = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["run_dir"]
    config = json.loads((tmp_path / run_dir.split("/")[-1] / "config.json").read_text())
    assert config["lr"] == 0.0003 and config["model"] == "mlp"


def test_train_size_all_uses_the_whole_subset(tmp_path, capsys):
    assert (
        main(
            [
                "train",
                "--epochs",
                "1",
                "--train-size",
                "all",
                "--test-size",
                "all",
                "--batch-size",
                "1000",
                "--runs-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    config = json.loads(next(tmp_path.iterdir()).joinpath("config.json").read_text())
    assert config["train_size"] is None and config["test_size"] is None


def test_bad_input_is_one_line_and_exit_code_2(tmp_path, capsys):
    assert main(["train", "--train-size", "20000", "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "larger than the 11791 train digits" in err
    assert main(["train", "--data", str(tmp_path / "nowhere"), "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err  # a line saying it downloads, then why that failed
    assert err.count("\n") == 2 and "could not download" in err.splitlines()[-1]
    assert "copy the four MNIST IDX files" in err
    assert main(["train", "--digits", "4", "--runs-dir", str(tmp_path)]) == 2
    assert "two or more different digits" in capsys.readouterr().err
    assert main(["train", "--lr", "-1", "--runs-dir", str(tmp_path)]) == 2
    assert "learning rate must be positive" in capsys.readouterr().err
    assert not list(tmp_path.glob("2*"))  # no run folder for refused settings


def test_train_reads_a_torchvision_root_and_records_the_source_not_the_path(tmp_path, offline):
    from helpers import write_root

    write_root(tmp_path / "data", n_train=400, n_test=100)
    assert (
        main(
            [
                "train",
                "--data",
                str(tmp_path / "data"),
                "--epochs",
                "1",
                "--train-size",
                "50",
                "--test-size",
                "10",
                "--runs-dir",
                str(tmp_path / "runs"),
            ]
        )
        == 0
    )
    (run,), _ = runs.list_runs(tmp_path / "runs")
    assert run.config.data == "mnist"  # config.json holds no path of this machine
    assert os.environ["MNIST49_DATA"] == str(offline)  # the folder was read for this command only


def test_samples_writes_a_png_grid(tmp_path, capsys):
    out = tmp_path / "grid.png"
    assert main(["samples", "--out", str(out), "--count", "20", "--digit", "9"]) == 0
    image = Image.open(out)
    assert image.width > 28 * 10 and image.height > 28 * 2
    assert main(["samples", "--out", str(out), "--count", "20", "--digit", "all"]) == 0
    assert "wrote 20 train digits" in capsys.readouterr().out
    assert main(["samples", "--out", str(out), "--count", "0"]) == 2
    assert "--count must be between 1 and" in capsys.readouterr().err


def test_other_digits_are_downloaded_on_first_use(tmp_path, capsys, mnist_server, offline):
    assert (
        main(
            [
                "train",
                "--digits",
                "all",
                "--epochs",
                "1",
                "--train-size",
                "all",
                "--test-size",
                "all",
                "--runs-dir",
                str(tmp_path / "runs"),
                "--json",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "downloading MNIST 100%" in captured.err and not data.missing_files(offline)
    result = json.loads(captured.out.splitlines()[-1])
    config = json.loads((Path(result["run_dir"]) / "config.json").read_text())
    assert config["digits"] == list(range(10))
    # the second time, nothing is downloaded
    assert (
        main(["samples", "--digits", "3,8", "--digit", "8", "--out", str(tmp_path / "g.png"), "--count", "5"])
        == 0
    )
    assert "downloading" not in capsys.readouterr().err
    assert main(["samples", "--digits", "3,8", "--digit", "4", "--out", str(tmp_path / "g.png")]) == 2
    assert "--digit 4 is not one of" in capsys.readouterr().err


def test_download_command(tmp_path, capsys, mnist_server):
    assert main(["download", "--root", str(tmp_path / "d")]) == 0
    assert not data.missing_files(tmp_path / "d")
    assert "full MNIST is in" in capsys.readouterr().out


def test_augment_flag(tmp_path, capsys):
    assert (
        main(
            [
                "train",
                "--epochs",
                "1",
                "--train-size",
                "200",
                "--test-size",
                "50",
                "--augment",
                "rotate,shift",
                "--runs-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    config = json.loads(next(tmp_path.iterdir()).joinpath("config.json").read_text())
    assert config["augment"] == ["rotate", "shift"]
    assert main(["train", "--augment", "blur", "--runs-dir", str(tmp_path)]) == 2
    assert "unknown augmentation blur" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("sent, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_stop_a_cli_run_like_stop(tmp_path, sent, code):
    from mnist49 import runs

    cli = subprocess.Popen(
        [sys.executable, "-m", "mnist49", "train", "--epochs", "500", "--train-size", "300"]
        + ["--test-size", "100", "--device", "cpu", "--runs-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    for line in cli.stdout:  # the run is under way once two epochs are done
        lines.append(line)
        if line.startswith("epoch   2"):
            break
    cli.send_signal(sent)
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == code and err == ""
    last = out.strip().splitlines()[-1]
    assert last.startswith(f"stopped (stopped: interrupted ({sent.name}))") and str(tmp_path) in last
    (run,), _ = runs.list_runs(tmp_path)
    assert run.status == "stopped" and run.reason == "interrupted" and run.facts["signal"] == sent.name
    assert len(run.history) >= 2 and run.has_predictions and run.load_model() is not None


def _json_lines(*argv: str) -> list[dict]:
    """Runs `mnist49 ARGV --json` as a learner's shell would and parses each stdout line as JSON,
    as `| jq` does: a human line there fails it."""
    done = subprocess.run(
        [sys.executable, "-m", "mnist49", *argv, "--json"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines, done.stderr
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(p, dict) for p in parsed)
    return parsed


@pytest.mark.slow
def test_json_means_json_on_every_stdout_line(tmp_path):
    small = ["--train-size", "200", "--test-size", "100", "--device", "cpu", "--runs-dir", str(tmp_path)]
    one = _json_lines("train", "--epochs", "2", *small)
    several = _json_lines("train", "--epochs", "2", "--seeds", "2", *small)
    assert len(one) == 1 and one[0]["epochs"] == 2 and several[-1]["seeds"] == 2
    swept = _json_lines(
        "sweep", "--knob", "lr", "--seeds", "1", "--values", "0.001,0.004", "--epochs", "1", *small
    )
    assert [row.get("value") for row in swept[:2]] == [0.001, 0.004] and swept[-1]["knob"] == "lr"
    found = _json_lines("lr-find", "--train-size", "200", "--test-size", "100", "--device", "cpu")
    assert "suggested_lr" in found[-1]
    verdicts = _json_lines("compare", one[0]["run_dir"], several[-1]["run_dir"])
    assert len(verdicts) == 1 and verdicts[0]["verdicts"]


@pytest.mark.parametrize(
    "flag, value, said",
    [
        ("--dropout", "0.95", "a number (from 0 to 0.9)"),
        ("--epochs", str(10**9), "a whole number (from 1 to 1000)"),
        ("--seed", "-1", "a whole number (from 0 to 2147483647)"),
    ],
)
def test_the_cli_refuses_a_setting_beyond_the_limits_the_pages_use(tmp_path, flag, value, said):
    done = subprocess.run(
        [sys.executable, "-m", "mnist49", "train", flag, value, "--runs-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and f"expected {said}, got {value!r}" in done.stderr
    assert "Traceback" not in done.stderr and not list(tmp_path.iterdir())


def test_ctrl_c_while_the_cli_imports_exits_130_with_one_line(tmp_path):
    cli = subprocess.Popen(
        [sys.executable, "-m", "mnist49", "train", "--runs-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)  # Python is up; torch takes seconds to import
    cli.send_signal(signal.SIGINT)
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 130 and err == "mnist49: interrupted\n" and out == ""
