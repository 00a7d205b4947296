"""What importing a module pulls in: the core never streamlit, and the app's first page not
the modules that only other pages need (torch, torchvision)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import mnist49

# every module of the core, found on disk so that a new one is covered without editing this list
# (__main__ runs the CLI when imported)
CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(mnist49.__path__, "mnist49.")
    if not m.name.startswith("mnist49.app") and m.name != "mnist49.__main__"
)


def imported_after(statement: str) -> set[str]:
    """The top-level packages in sys.modules after `statement`, in a fresh interpreter."""
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_core_does_not_import_streamlit():
    assert {"mnist49.cli", "mnist49.data", "mnist49.download", "mnist49.jobs", "mnist49.worker"} <= set(CORE)
    loaded = imported_after("import " + ", ".join(CORE))
    assert "torch" in loaded  # the imports did happen
    assert "streamlit" not in loaded


def test_the_first_page_does_not_wait_for_torchvision():
    """torchvision takes seconds to import, and only augmenting and downloading use it."""
    loaded = imported_after("import mnist49.app.common, mnist49.config, mnist49.train, mnist49.worker")
    assert "mnist49" in loaded and "torchvision" not in loaded


APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
# what streamlit_app.py and the Samples page import, directly or through mnist49.app.common
FIRST_PAGE = [
    "mnist49.app.common",
    "mnist49.app.text",
    "mnist49.augment",
    "mnist49.charts",
    "mnist49.config",
    "mnist49.data",
    "mnist49.images",
    "mnist49.jobs",
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
    "mnist49.stats",
    "mnist49.compare",
    "mnist49.diagnose",
    "mnist49.inside",
    "mnist49.nearest",
    "mnist49.own",
    "mnist49.export",
    "mnist49.label_check",
    "mnist49.lr_find",
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
    assert "mnist49.record" in imported and "torch" in imported  # what `train` needs is there
    assert "mnist49.nets" in trained and len(list(tmp_path.iterdir())) == 1  # and it trained
    assert not imported & NOT_FOR_TRAIN
    assert not trained & NOT_FOR_TRAIN
