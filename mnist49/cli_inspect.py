"""The CLI's commands that read runs and digits: samples, compare, errors, label-check and
export. Each imports its analysis module when it runs, so that a plain train never does."""

from __future__ import annotations

import argparse
import json
import sys
import time

from mnist49 import data, settings
from mnist49.cli import ensure, find_run
from mnist49.config import ConfigError
from mnist49.runs import RunError


def samples(args: argparse.Namespace) -> int:
    from mnist49 import images

    config = settings.from_args(args)  # checks the digits
    if args.digit is not None and args.digit not in config.digits:
        raise ConfigError(f"--digit {args.digit} is not one of --digits {config.digits}")
    ensure(config.data, config.digits)
    digits = getattr(data.arrays(config.data, config.digits), args.split)
    if args.digit is not None:
        digits = digits[digits.labels == args.digit]
    if not 1 <= args.count <= len(digits):
        raise ConfigError(f"--count must be between 1 and {len(digits)}, got {args.count}")
    chosen = data.draw(digits, args.count, config.seed)  # the digits the Samples page shows
    images.grid(chosen.images, [str(int(d)) for d in chosen.labels]).save(args.out)
    print(f"wrote {args.count} {args.split} digits to {args.out}")
    return 0


def compare(args: argparse.Namespace) -> int:
    from mnist49.analysis import compare

    a, b = find_run(args.run_a, args.runs_dir), find_run(args.run_b, args.runs_dir)
    found = compare.verdicts(a, b, a.name, b.name)
    if args.json:
        print(
            json.dumps(
                {
                    "a": str(a.path),
                    "b": str(b.path),
                    "verdicts": [
                        {
                            "kind": v.kind,
                            "test": v.test or None,
                            "text": v.text(),
                            **{k: x for k, x in v.facts.items() if k not in ("a", "b")},
                        }
                        for v in found
                    ],
                }
            )
        )
    else:
        print("\n".join(v.text() for v in found))
    return 0


def label_check(args: argparse.Namespace) -> int:
    from mnist49.analysis import label_check  # torch and cleanlab: only for this command

    config = settings.from_args(args)
    ensure(config.data, config.digits)
    if not 2 <= args.folds <= 10:
        raise ConfigError(f"--folds must be 2 to 10, got {args.folds}")
    start = time.perf_counter()
    split, index = label_check.split_of(config)
    probs = label_check.out_of_fold(config, split.x_train, split.y_train, args.folds)
    found = label_check.suspects(split.y_train.long().cpu().numpy(), probs, config.digits)
    seconds = time.perf_counter() - start
    for row in found.itertuples(index=False):
        i = int(index[row.position])
        if args.json:
            print(
                json.dumps(
                    {
                        "index": i,
                        "label": int(row.label),
                        "suggested": int(row.suggested),
                        "p_label": float(row.p_label),
                        "quality": float(row.quality),
                    }
                )
            )
        else:
            print(
                f"train digit {i:5d}  label {row.label}  suggested {row.suggested}  quality {row.quality:.3f}"
            )
    if args.json:
        print(
            json.dumps(
                {"suspects": len(found), "checked": len(index), "folds": args.folds, "seconds": seconds}
            )
        )
    else:
        n, k = len(found), args.folds
        print(f"{n} suspect labels of {len(index)} train digits ({k} folds) in {seconds:.1f} s")
    return 0


def errors(args: argparse.Namespace) -> int:
    from mnist49.analysis import reviews
    from mnist49.training import evaluate  # only for this command

    run = find_run(args.run, args.runs_dir)
    replicates = run.replicates()
    if args.seed is not None:
        numbers = [r.config.replicate for r in replicates]
        if args.seed not in numbers:
            raise RunError(f"{run.name} has seeds {', '.join(map(str, numbers))}, not {args.seed}")
        replicates = [replicates[numbers.index(args.seed)]]
    # the seeds with predictions are pooled: one without (stopped before its first epoch) is left out
    frames = [f for f in (r.predictions() for r in replicates) if f is not None]
    if not frames:
        raise RunError(f"{run.name} has no predictions yet (has it finished an epoch?)")
    digits = run.config.digits
    for row in evaluate.pooled_errors(evaluate.pool(frames)).itertuples(index=False):
        found = reviews.review(row.index, digits)
        review = (
            None
            if found is None
            else {
                "verdict": found.verdict,
                "suggested": found.suggested,
                "votes": list(found.votes),
                "mnist_index": found.mnist_index,
            }
        )
        if args.json:
            print(
                json.dumps(
                    {
                        "index": int(row.index),
                        "label": int(row.label),
                        "wrong_digit": int(row.wrong_digit),
                        "p_wrong": float(row.p_wrong),
                        "wrong_in": int(row.wrong_in),
                        "seeds": int(row.seeds),
                        "review": review,
                    }
                )
            )
        else:
            text = (
                ""
                if found is None
                else (
                    f"  review: {found.verdict}, votes label/{found.suggested}/neither "
                    + "/".join(map(str, found.votes))
                )
            )
            print(
                f"{row.index:>6}  label {row.label}  p({row.wrong_digit}) {row.p_wrong:.3f}  "
                f"wrong in {row.wrong_in} of {row.seeds}{text}"
            )
    return 0


def export(args: argparse.Namespace) -> int:
    from mnist49.analysis import export

    run = find_run(args.run, args.runs_dir)
    if args.seed is None:
        chosen = run.median()
    else:
        by_seed = {r.config.replicate: r for r in run.replicates()}  # {k: replicate k}; lone: itself
        if args.seed not in by_seed:
            found = ", ".join(map(str, sorted(by_seed)))
            raise RunError(f"{run.name} has no seed {args.seed}: --seed takes {found}")
        chosen = by_seed[args.seed]
    if run.config.seeds > 1:  # the script trains one seed alone
        how = "the one with the median final test loss" if args.seed is None else "as asked"
        print(
            f"{run.name} has {run.config.seeds} seeds: the script trains seed {chosen.config.replicate} "
            f"alone ({how}; --seed picks another)",
            file=sys.stderr,
        )
    code = export.script(chosen.config, run.name, args.out.name if args.out else "train_run.py")
    if args.out is None:
        print(code, end="")
        return 0
    args.out.write_text(code)
    print(f"wrote {args.out}: run {run.name} as a standalone script; run it with python {args.out}")
    return 0
