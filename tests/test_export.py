import ast
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import torch
from helpers import write_blocks_root
from torch import nn
from torchvision.transforms import v2

from mnist49 import augment
from mnist49.analysis import export
from mnist49.cli import main
from mnist49.config import Config
from mnist49.models import model
from mnist49.runs import load_run

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
        assert epoch == row.epoch  # counted from 1, as history.csv
        assert train_loss == pytest.approx(row.train_loss, abs=1e-5)
        assert test_loss == pytest.approx(row.test_loss, abs=1e-5)
        assert accuracy == pytest.approx(row.test_accuracy, abs=1e-5)
    if importlib.util.find_spec("matplotlib") is None:  # show_results then prints
        assert "Final test accuracy" in done.stdout
        assert f"at epoch {history.epoch[history.test_loss.idxmin()]}\n" in done.stdout


def test_the_default_recipe_reads_like_the_chapter(tmp_path):
    code = export.script(Config(), "20261129-120000-cnn-abcdef")
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())  # as one line
    assert f"comes to {len(code.splitlines())} lines" in readme  # README's count is the script's
    tree = ast.parse(code)
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported == {"argparse", "numpy", "torch", "torchvision", "matplotlib"}  # no mnist49
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    assert {"load_data", "CNN", "train_model", "show_results"} <= functions
    assert "LR = 0.004" in code and "CHANNELS = (4, 8, 16)" in code and "EPOCHS = 40" in code
    assert "20261129-120000-cnn-abcdef" in code.splitlines()[0]


def test_the_default_recipe_loads_its_digits_the_chapters_way():
    code = export.script(Config(), "r")
    tree = ast.parse(code)
    calls = {n.func: n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    by_name = {ast.unparse(f): c for f, c in calls.items()}
    # the chapter's dataset, transform and target_transform
    (mnist,) = [c for name, c in by_name.items() if name == "datasets.MNIST"]
    keywords = {k.arg: ast.unparse(k.value) for k in mnist.keywords}
    assert keywords["target_transform"] == "target"
    compose = by_name["transforms.Compose"]
    assert ast.unparse(compose.args[0]) == "[transforms.ToTensor(), transforms.functional.rgb_to_grayscale]"
    assert {"Subset", "DataLoader", "torch.sigmoid"} <= set(by_name)
    loaders = [c for f, c in calls.items() if ast.unparse(f) == "DataLoader"]
    sizes = [ast.unparse(k.value) for c in loaders for k in c.keywords if k.arg == "batch_size"]
    assert sizes == ["BATCH_SIZE", "BATCH_SIZE"]  # train and test
    # the steps kept from the run say why: the batches' order and the loss
    sampler = ast.get_docstring(next(n for n in tree.body if getattr(n, "name", "") == "RunOrder"))
    assert "DataLoader(shuffle=True, generator=...) shuffles the same way" in sampler
    assert "its batches would not be the run's" in " ".join(sampler.split())
    assert "The chapter's model ends in torch.sigmoid and trains with nn.BCELoss" in code
    assert "random.sample" in code
    # the targets are the chapter's: 4 -> tensor(0.0), 9 -> tensor(1.0)
    names = {"__name__": "exported"}  # its module level only
    exec(compile(code, "train_run.py", "exec"), names)
    target = names["target"]
    assert target(4).dtype == torch.float32 and target(4).item() == 0.0 and target(9).item() == 1.0
    names = {"__name__": "exported"}
    exec(compile(export.script(Config(digits=tuple(range(10))), "r"), "train_run.py", "exec"), names)
    assert [names["target"](d) for d in (0, 3, 9)] == [0, 3, 9]  # ten digits: the class position


@pytest.mark.skipif(not RUFF.exists(), reason="ruff is a dev dependency")
@pytest.mark.parametrize(
    "config",
    [
        Config(),
        Config(model="mlp", digits=tuple(range(10)), augment=tuple(augment.AUGMENTATIONS), device="cpu"),
        Config(seed=5, seeds=10, replicate=9),  # one seed of several: its docstring and SEED
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


def _calls(tree: ast.AST) -> set[str]:
    """What each call in the script calls, as written (`torch.randperm`, `nn.Linear`, ...)."""
    return {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}


def _hostile() -> list[str]:
    """Run names that would touch `pwned` in the working folder if they became code."""
    touch = '__import__("os").system("touch pwned")'
    return [
        f'x""";{touch};"""',
        f"x''';{touch};'''",
        f'x\\""";{touch};#',
        f"x\\\n{touch}\n",
        f'x\n"""\n{touch}\n"""',
        f'x\x00""";{touch};\'\\',
    ]


@pytest.mark.parametrize("index", range(6))
def test_a_hostile_run_name_never_becomes_code(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    name = _hostile()[index]
    benign = _calls(ast.parse(export.script(Config(), "20261129-120000-cnn-abcdef")))
    config = Config(device="cpu")
    object.__setattr__(config, "device", name)  # a device config.json's check would have refused
    code = export.script(config, name, name)
    tree = ast.parse(code)  # compiles, and holds no call of its own
    assert _calls(tree) <= benign  # the default script also asks for CUDA
    assert "system" not in {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names = {}
    exec(compile(code, "train_run.py", "exec"), {"__name__": "exported"}, names)  # module level, no training
    assert names["RUN_NAME"] == name  # the name kept, as a literal
    assert not marker.exists()


def test_a_hostile_run_folder_exports_a_safe_script(root, tmp_path, capsys):
    marker = tmp_path / "pwned"
    runs_dir = tmp_path / "runs"
    common = ["--data", str(root), "--train-size", "100", "--test-size", "30", "--epochs", "1"]
    assert main(["train", *common, "--device", "cpu", "--runs-dir", str(runs_dir)]) == 0
    run = next(runs_dir.iterdir())
    hostile = run.rename(runs_dir / _hostile()[0])
    script = tmp_path / "train_run.py"
    assert main(["export", hostile.name, "--runs-dir", str(runs_dir), "--out", str(script)]) == 0
    # the script's module level, not its training (that needs MNIST)
    done = subprocess.run(
        [sys.executable, "-c", f"import runpy; runpy.run_path({str(script)!r})"], cwd=tmp_path
    )
    assert done.returncode == 0
    assert not marker.exists()
    assert _calls(ast.parse(script.read_text())) <= _calls(ast.parse(export.script(Config(), "r")))


@pytest.mark.parametrize("seed", ['"x"', "1.5", "null", "true"])
def test_an_ill_typed_seed_is_one_line_and_exit_2(seed, root, tmp_path):
    runs_dir = tmp_path / "runs"
    common = ["--data", str(root), "--train-size", "100", "--test-size", "30", "--epochs", "1"]
    assert main(["train", *common, "--device", "cpu", "--runs-dir", str(runs_dir)]) == 0
    run = next(runs_dir.iterdir())
    config = run / "config.json"
    config.write_text(re.sub(r'"seed": \d+', f'"seed": {seed}', config.read_text()))
    done = subprocess.run(
        [sys.executable, "-m", "mnist49", "export", str(run)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"seed must be a whole number, got {json.loads(seed)!r}" in lines[0]
    assert "fix that file, or train the run again" in lines[0]


def _printed(script: Path, root: Path) -> list[list[float]]:
    done = subprocess.run(
        [sys.executable, str(script), "--data", str(root)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return [[float(v) for v in m.groups()] for m in EPOCH_LINE.finditer(done.stdout)]


def test_each_seed_of_a_run_of_several_exports_that_seed_trained_alone(root, tmp_path, capsys):
    common = ["--data", str(root), "--train-size", "100", "--test-size", "30", "--batch-size", "32"]
    common += ["--epochs", "3", "--seed", "5", "--device", "cpu"]
    runs_dir, alone_dir = tmp_path / "runs", tmp_path / "alone"
    assert main(["train", *common, "--seeds", "3", "--runs-dir", str(runs_dir)]) == 0
    run = next(runs_dir.iterdir())
    assert main(["train", *common, "--replicate", "2", "--runs-dir", str(alone_dir)]) == 0
    alone = pd.read_csv(next(alone_dir.iterdir()) / "history.csv")  # seed 2 trained alone
    capsys.readouterr()

    script = tmp_path / "seed2.py"
    assert main(["export", run.name, "--runs-dir", str(runs_dir), "--seed", "2", "--out", str(script)]) == 0
    assert f"{run.name} has 3 seeds: the script trains seed 2 alone (as asked" in capsys.readouterr().err
    code = script.read_text()
    assert code.startswith(f'"""Train seed 2 of the mnist49 run {run.name}: ')
    assert "This script trains seed 2 of them alone" in code and "SEED = 7  #" in code  # 5 + 2
    printed = _printed(script, root)
    batched = pd.read_csv(run / "replicates" / "2" / "history.csv")
    assert len(printed) == len(alone) == len(batched) == 3
    rows = zip(printed, alone.itertuples(), batched.itertuples(), strict=True)
    for (epoch, *figures), lone, together in rows:
        assert epoch == lone.epoch
        # exactly the lone run of seed 2; and, in the first epochs, the batched replicate too
        for run_row in (lone, together):
            expected = (run_row.train_loss, run_row.test_loss, run_row.test_accuracy)
            assert figures == pytest.approx(expected, abs=1e-5)

    # the default is the median seed, named on stderr; a seed the run lacks is one line, exit 2
    assert main(["export", run.name, "--runs-dir", str(runs_dir)]) == 0
    median = load_run(run).median().config.replicate
    out = capsys.readouterr()
    assert f"trains seed {median} alone (the one with the median final test loss" in out.err
    assert f'"""Train seed {median} of the mnist49 run {run.name}: ' in out.out
    done = subprocess.run(
        [sys.executable, "-m", "mnist49", "export", str(run), "--seed", "3"], capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == f"mnist49: error: {run.name} has no seed 3: --seed takes 0, 1, 2"
