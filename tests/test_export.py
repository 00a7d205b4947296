import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import write_blocks_root
from torch import nn
from torchvision.transforms import v2

from mnist49 import augment, export, model
from mnist49.cli import main
from mnist49.config import Config

EPOCH_LINE = re.compile(r"Epoch: (\d+), Train Loss: ([\d.]+), Test Loss: ([\d.]+), Test Accuracy: ([\d.]+)")
RUFF = Path(sys.executable).parent / "ruff"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("mnist")
    write_blocks_root(root)
    return root


# Every model, loss and optimizer the script writes, dropout (the global RNG between batches) and
# every augmentation (drawn from the same RNG).
RUNS = {
    "cnn": ["--digits", "4,9", "--epochs", "3"],
    "mlp": ["--model", "mlp", "--optimizer", "sgd", "--lr", "0.01", "--dropout", "0.2", "--epochs", "3"],
    "ten": ["--digits", "all", "--optimizer", "adamw", "--weight-decay", "0.001", "--activation", "gelu"],
    "augmented": ["--digits", "3,8", "--optimizer", "radam", "--augment", "rotate,shift,scale,elastic"],
    # seed 2 of a run of seeds with their own train digits: weights, batches and digits each seeded
    "replicate": ["--seed", "3", "--replicate", "2", "--vary-data", "yes", "--dropout", "0.1"],
}


@pytest.mark.parametrize("name", RUNS)
def test_the_exported_script_reproduces_the_run(name, root, tmp_path, capsys):
    settings = RUNS[name] + (["--epochs", "3"] if "--epochs" not in RUNS[name] else [])
    common = ["--data", str(root), "--train-size", "100", "--test-size", "30", "--batch-size", "32"]
    runs_dir = tmp_path / "runs"
    assert main(["train", *common, *settings, "--device", "cpu", "--runs-dir", str(runs_dir)]) == 0
    run = next(runs_dir.iterdir())
    script = tmp_path / "train_run.py"
    assert main(["export", run.name, "--runs-dir", str(runs_dir), "--out", str(script)]) == 0
    assert f"wrote {script}" in capsys.readouterr().out

    done = subprocess.run(
        [sys.executable, str(script), "--data", str(root)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    printed = [[float(v) for v in m.groups()] for m in EPOCH_LINE.finditer(done.stdout)]
    history = pd.read_csv(run / "history.csv")
    assert len(printed) == len(history) == 3
    for (epoch, train_loss, test_loss, accuracy), row in zip(printed, history.itertuples(), strict=True):
        assert epoch == row.epoch - 1  # the chapter counts from 0
        assert train_loss == pytest.approx(row.train_loss, abs=1e-5)
        assert test_loss == pytest.approx(row.test_loss, abs=1e-5)
        assert accuracy == pytest.approx(row.test_accuracy, abs=1e-5)
    if importlib.util.find_spec("matplotlib") is None:  # show_results then prints
        assert "Final test accuracy" in done.stdout


def test_the_default_recipe_reads_like_the_chapter(tmp_path):
    code = export.script(Config(), "20261129-120000-cnn-abcdef")
    assert len(code.splitlines()) < 150
    tree = ast.parse(code)
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported == {"argparse", "numpy", "torch", "torchvision", "matplotlib"}  # no mnist49
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    assert {"load_data", "CNN", "train_model", "show_results"} <= functions
    assert "LR = 0.004" in code and "CHANNELS = (4, 8, 16)" in code and "EPOCHS = 40" in code
    assert "20261129-120000-cnn-abcdef" in code.splitlines()[0]


@pytest.mark.skipif(not RUFF.exists(), reason="ruff is a dev dependency")
@pytest.mark.parametrize(
    "config",
    [
        Config(),
        Config(model="mlp", digits=tuple(range(10)), augment=tuple(augment.AUGMENTATIONS), device="cpu"),
    ],
)
def test_the_script_is_ruff_clean_with_ruffs_defaults(config, tmp_path):
    script = tmp_path / "train_run.py"
    script.write_text(export.script(config, "r"))
    for command in (["format", "--diff"], ["check", "--select", "E,F,I,UP,B,SIM"]):
        done = subprocess.run([RUFF, *command, "--isolated", script], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_scripts_augmentations_are_mnist49s():
    names = {"v2": v2, "SMOOTH": v2.InterpolationMode.BILINEAR}
    assert set(export.AUGMENTATIONS) == set(augment.AUGMENTATIONS)
    for name, build in augment.AUGMENTATIONS.items():
        assert repr(eval(export.AUGMENTATIONS[name], names)) == repr(build(v2)), name


def test_settings_the_script_cannot_reproduce_are_refused(monkeypatch, tmp_path, capsys):
    class Wavy(nn.Module):  # an activation outside torch.nn
        def forward(self, x):
            return x.sin()

    monkeypatch.setitem(model.ACTIVATIONS, "wavy", lambda nn: Wavy)
    with pytest.raises(export.ExportError, match="does not know the wavy activation"):
        export.script(Config(activation="wavy"))
    monkeypatch.delitem(export.OPTIMIZERS, "radam")
    with pytest.raises(export.ExportError, match="does not know the radam optimizer") as e:
        export.script(Config(optimizer="radam"))
    assert e.value.kind == "optimizer" and e.value.facts == {"name": "radam"}
    monkeypatch.setitem(model.MODELS, "resnet", model.MODELS["cnn"])  # a model without a template
    with pytest.raises(export.ExportError, match="does not know the resnet model"):
        export.script(Config(model="resnet"))

    assert main(["export", "nowhere", "--runs-dir", str(tmp_path)]) == 2
    assert "no run folder nowhere" in capsys.readouterr().err
