"""What importing a module pulls in: the core never streamlit, and the app's first page not
the modules that only other pages need (torch, torchvision)."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import mnist49

# every module of the core and of the app's background training (its worker processes), found
# on disk so that a new one is covered without editing this list
# (__main__ runs the CLI when imported)
CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(mnist49.__path__, "mnist49.")
    if (not m.name.startswith("mnist49.app") or m.name.startswith("mnist49.app.background"))
    and m.name != "mnist49.__main__"
)


def imported_after(statement: str) -> set[str]:
    """The top-level packages in sys.modules after `statement`, in a fresh interpreter."""
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


# docs/architecture.md's layers, top first: a module may import from its own layer and the ones
# above it. Folders name their layer; the few modules at the top of the package are named here.
LAYERS = ["settings", "data", "models", "training", "runs", "analysis", "charts", "edges"]
TOP = {"config": "settings", "settings": "settings", "fields": "settings"}
TOP |= {"data": "data", "download": "data", "augment": "data", "images": "data"}
# the one exception the architecture names: the settings take the models', optimizers' and
# augmentations' names from their registries
ALLOWED = {("settings", "data"), ("settings", "models")}


def layer(module: str) -> str:
    part = module.split(".")[1]
    if part in LAYERS:
        return part
    return TOP.get(part, "charts" if part.startswith("charts") else "edges")


def imports_of(path: Path, module: str) -> set[str]:
    """The mnist49 modules `path` imports anywhere in it, lazily too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("mnist49.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mnist49"):
            found |= {
                f"{node.module}.{a.name}" if node.module == "mnist49" else node.module for a in node.names
            }
    return found


def test_imports_point_up_the_layers():
    root = Path(mnist49.__file__).parent
    wrong = []
    for path in sorted(root.rglob("*.py")):
        module = ".".join(("mnist49", *path.relative_to(root).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        if module in ("mnist49", "mnist49.__main__"):
            continue
        for other in sorted(imports_of(path, module)):
            mine, theirs = layer(module), layer(other)
            if LAYERS.index(theirs) > LAYERS.index(mine) and (mine, theirs) not in ALLOWED:
                wrong.append(f"{module} ({mine}) imports {other} ({theirs})")
    assert not wrong, "\n".join(wrong)


def test_the_core_does_not_import_streamlit():
    assert {
        "mnist49.cli",
        "mnist49.data",
        "mnist49.download",
        "mnist49.app.background.jobs",
        "mnist49.app.background.worker",
    } <= set(CORE)
    loaded = imported_after("import " + ", ".join(CORE))
    assert "torch" in loaded  # the imports did happen
    assert "streamlit" not in loaded


def test_the_first_page_does_not_wait_for_torchvision():
    """torchvision takes seconds to import, and only augmenting and downloading use it."""
    loaded = imported_after(
        "import mnist49.app.common, mnist49.config, mnist49.training.train, mnist49.app.background.worker"
    )
    assert "mnist49" in loaded and "torchvision" not in loaded


APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
# what streamlit_app.py and the Samples page import, directly or through mnist49.app.common
FIRST_PAGE = [
    "mnist49.app.common",
    "mnist49.app.progress",
    "mnist49.app.text",
    "mnist49.augment",
    "mnist49.charts",
    "mnist49.config",
    "mnist49.data",
    "mnist49.images",
    "mnist49.app.background.jobs",
    "mnist49.runs",
    "mnist49.settings",
]


def test_the_first_page_does_not_wait_for_torch():
    """Importing torch takes over a second of CPU: the pages that run a model import it, and the
    training worker, not the server for the first page."""
    loaded = imported_after("import " + ", ".join(FIRST_PAGE))
    assert "mnist49" in loaded and "streamlit" in loaded and "torch" not in loaded


def test_the_samples_page_is_drawn_without_torch():
    """The app's first script run, Samples with its defaults, the pool and its worker started."""
    drawn = (
        "from streamlit.testing.v1 import AppTest; "
        f"at = AppTest.from_file({APP!r}, default_timeout=60).run(); "
        "assert not at.exception, at.exception; "
        "assert [t.value for t in at.title] == ['Samples'] and len(at.get('image')) == 2"
    )
    assert "torch" not in imported_after(drawn)


# What a plain `train` needs none of: the analysis modules (each imported by its own command or
# page), scipy, and the app's libraries. pandas is needed: a run's history is read back as a
# DataFrame (runs.load_run), which `train` reports from.
NOT_FOR_TRAIN = {
    "scipy",
    "altair",
    "streamlit",
    "PIL",
    "mnist49.analysis.stats",
    "mnist49.analysis.compare",
    "mnist49.analysis.diagnose",
    "mnist49.analysis.inside",
    "mnist49.analysis.nearest",
    "mnist49.analysis.own",
    "mnist49.analysis.export",
    "mnist49.analysis.label_check",
    "mnist49.training.lr_find",
}


def test_the_cli_imports_only_what_train_needs(tmp_path):
    """Each module imported at start delays every command's first line; a run of one seed is
    trained, recorded and reported without the analysis."""
    assert {m for m in NOT_FOR_TRAIN if m.startswith("mnist49.")} <= set(CORE)  # none renamed away
    code = (
        "import sys\n"
        "names = lambda: {m for m in sys.modules} | {m.split('.')[0] for m in sys.modules}\n"
        "from mnist49 import cli\n"
        "imported = names()\n"
        "argv = ['train', '--epochs', '1', '--train-size', '100', '--test-size', '50', '--device', 'cpu']\n"
        f"assert cli.main([*argv, '--runs-dir', {str(tmp_path)!r}, '--json']) == 0\n"
        "print(' '.join(sorted(imported)))\n"
        "print(' '.join(sorted(names())))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported, trained = (set(line.split()) for line in out.stdout.splitlines()[-2:])
    assert "mnist49.runs.record" in imported and "torch" in imported  # what `train` needs is there
    assert "mnist49.models.nets" in trained and len(list(tmp_path.iterdir())) == 1  # and it trained
    assert not imported & NOT_FOR_TRAIN
    assert not trained & NOT_FOR_TRAIN
