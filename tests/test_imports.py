"""What importing a module pulls in: the core never streamlit, and the app's first page not
the modules that only other pages need."""

import pkgutil
import subprocess
import sys

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
