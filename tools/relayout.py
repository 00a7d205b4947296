# ruff: noqa: E501, E702
"""Move mnist49's flat modules into packages that name the layers (git mv), and rewrite every
import, dotted name and path that names them (issue 23, step 2). In a clean checkout:

    python tools/relayout.py . && uv run ruff check --fix . ; python tools/post_relayout.py .
    uv run ruff format . && uv run ruff check --fix . && uv run pytest

then fix docs/architecture.md's module names to their folders. Tried on 2026-12-05: on main
before the event stream's merge, ruff was clean and 104 tests of the imports, the texts, Samples,
Train, the CLI, the jobs, the faults and the export passed; on main after it, every module
imported and ruff was clean. The whole suite was not run on it, so it did not land."""

import re
import subprocess
import sys
from pathlib import Path

repo = Path(sys.argv[1]).resolve()
dry = "--dry" in sys.argv
PACKAGES = {
    "models": (
        "The models: the registry (model.py), the nets, the optimizers, R replicates as one batched model.",
        ["model", "nets", "optimizers", "stacked"],
    ),
    "training": (
        "Training: the loop (fit), what it measures after each epoch (evaluate), its step as a CUDA graph (graphed), replicates "
        "trained together and their shards, the LR range test, the events the loop reports in, "
        "and a run's history rows.",
        [
            "train",
            "evaluate",
            "graphed",
            "replicates",
            "shards",
            "lr_find",
            "events",
            "history",
            "steps",
            "schedule",
        ],
    ),
    "runs": None,  # runs.py becomes runs/__init__.py: the store is the package's API
    "analysis": (
        "What the pages and the CLI compute from runs; they return values, never print.",
        [
            "diagnose",
            "stats",
            "compare",
            "inside",
            "nearest",
            "own",
            "export",
            "reviews",
            "label_check",
        ],
    ),
}
RUNS = ["writer", "status", "atomic", "record", "sweep", "seeds", "cluster"]
BACKGROUND = ["jobs", "pool", "worker", "label_job", "cluster_worker"]
PAGES = ["samples", "train", "sweep", "errors", "label_check", "compare", "inside", "your_digit"]

moves = {}  # old dotted -> new dotted
for pkg, spec in PACKAGES.items():
    if spec:
        for m in spec[1]:
            moves[f"mnist49.{m}"] = f"mnist49.{pkg}.{m}"
for m in RUNS:
    moves[f"mnist49.{m}"] = f"mnist49.runs.{m}"
for m in BACKGROUND:
    moves[f"mnist49.{m}"] = f"mnist49.app.background.{m}"
for m in PAGES:
    moves[f"mnist49.app.{m}"] = f"mnist49.app.pages.{m}"
moves = {o: n for o, n in moves.items() if (repo / (o.replace(".", "/") + ".py")).exists()}
runs_init = (repo / "mnist49/runs/__init__.py").exists()


def doc(text):
    import textwrap

    return '"""' + "\n".join(textwrap.wrap(text, 100)) + '"""\n'


def path(dotted, init=False):
    return dotted.replace(".", "/") + ("/__init__.py" if init else ".py")


def sh(*a):
    print(" ".join(a))
    if not dry:
        subprocess.run(a, cwd=repo, check=True)


# 1. git mv
if not dry:
    for pkg, spec in PACKAGES.items():
        if spec:
            (repo / "mnist49" / pkg).mkdir(exist_ok=True)
            (repo / "mnist49" / pkg / "__init__.py").write_text(doc(spec[0]))
    (repo / "mnist49/app/background").mkdir(exist_ok=True)
    (repo / "mnist49/app/background/__init__.py").write_text(
        doc(
            "The app's training in the background: the job pool, its worker processes (or a Ray "
            "cluster's tasks), and the label check's own process."
        )
    )
    (repo / "mnist49/app/pages").mkdir(exist_ok=True)
    (repo / "mnist49/app/pages/__init__.py").write_text(
        '"""The pages, one module each, in the sidebar\'s order (streamlit_app.py)."""\n'
    )
if runs_init:
    if not dry:
        (repo / "mnist49/runs").mkdir(exist_ok=True)
    sh("git", "mv", "mnist49/runs/__init__.py", "mnist49/runs/__init__.py")
for o, n in moves.items():
    sh("git", "mv", path(o), path(n))

# 2. rewrite references
alias_of = {o.split(".")[-1]: n for o, n in moves.items() if o.count(".") == 1}
dotted = re.compile(r"\bmnist49((?:\.\w+)+)")
slashed = re.compile(r"\bmnist49((?:/\w+)+)\.py\b")
from_import = re.compile(
    r"^(?P<ind>[ \t]*)from mnist49 import (?P<names>\([^)]*\)|[^\n#]+)(?P<tail>[ \t]*(#[^\n]*)?)$", re.M
)
app_from_import = re.compile(
    r"^(?P<ind>[ \t]*)from mnist49\.app import (?P<names>\([^)]*\)|[^\n#]+)(?P<tail>[ \t]*(#[^\n]*)?)$", re.M
)


def new_dotted(name):
    # the longest moved prefix of name
    parts = name.split(".")
    for i in range(len(parts), 1, -1):
        head = ".".join(parts[:i])
        if head in moves:
            return ".".join([moves[head]] + parts[i:])
    return name


def sub_dotted(m):
    return new_dotted("mnist49" + m.group(1))


def sub_slashed(m):
    dots = "mnist49" + m.group(1).replace("/", ".")
    nd = new_dotted(dots)
    if dots == "mnist49.runs" and runs_init:
        return "mnist49/runs/__init__.py"
    return nd.replace(".", "/") + ".py"


def rewrite_from(m, base):
    names = [n.strip() for n in m.group("names").strip("()").replace("\n", " ").split(",") if n.strip()]
    ind, tail = m.group("ind"), m.group("tail") or ""
    keep, moved = [], {}
    for n in names:
        name, _, alias = n.partition(" as ")
        full = new_dotted(f"{base}.{name.strip()}")
        if full == f"{base}.{name.strip()}":
            keep.append(n)
        else:
            pkg, _, mod = full.rpartition(".")
            moved.setdefault(pkg, []).append(mod + (f" as {alias.strip()}" if alias else ""))
    lines = []
    if keep:
        lines.append(f"{ind}from {base} import {', '.join(keep)}")
    for pkg, mods in moved.items():
        lines.append(f"{ind}from {pkg} import {', '.join(mods)}")
    if tail.strip():
        lines[0] += tail
    return "\n".join(lines)


files = subprocess.run(
    ["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True
).stdout.split()
files += subprocess.run(
    ["git", "ls-files", "--others", "--exclude-standard"], cwd=repo, capture_output=True, text=True
).stdout.split()
changed = 0
for f in files:
    p = repo / f
    if dry:
        # before the move, read the old paths
        pass
    if (
        not p.exists()
        or p.suffix not in (".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".sh", "")
        or "uv.lock" in f
    ):
        continue
    try:
        text = p.read_text()
    except UnicodeDecodeError:
        continue
    new = text
    if p.suffix == ".py":
        new = from_import.sub(lambda m: rewrite_from(m, "mnist49"), new)
        new = app_from_import.sub(lambda m: rewrite_from(m, "mnist49.app"), new)
    new = dotted.sub(sub_dotted, new)
    new = slashed.sub(sub_slashed, new)
    new = new.replace("mnist49/app/pages/{", "mnist49/app/pages/{")  # f-strings that name a page
    if new != text:
        changed += 1
        if not dry:
            p.write_text(new)
        else:
            import difflib

            sys.stdout.writelines(
                list(difflib.unified_diff(text.splitlines(True), new.splitlines(True), f, f))[:40]
            )
print(f"{len(moves)} modules moved, {changed} files rewritten")
