"""How closely an exported script can follow a run: two measures of the recipe (bundled 4s and
9s, CPU, one thread), each against the tolerance the script is held to (1e-5).

    uv run python benchmarks/export_fidelity.py [--seeds 0,1,2] [--epochs 40] [--replicates 3]

1. The chapter's loss. For each seed the recipe is trained by `train.fit` (BCEWithLogitsLoss),
   then again from the same initial weights and batches with the logits put through
   `torch.sigmoid` and `nn.BCELoss`, measured as the chapter does (BCELoss of the
   probabilities, p >= 0.5).
2. A run of several seeds. The exported script trains one seed alone, as `train.fit` does; the
   run trained its seeds together (`replicates.fit_replicates`, one batched model). For each
   replicate, its batched history against its lone one, set beside the spread of the seeds.

Each prints the largest difference of each history column and the first epoch whose figures
differ by more than the tolerance.
"""

import argparse

import torch
from torch import nn

from mnist49.config import Config
from mnist49.models import optimizers
from mnist49.training import replicates
from mnist49.training.train import Split, fit, make_model, prepare

TOLERANCE = 1e-5


def chapter_history(config: Config, split: Split) -> list[tuple[float, float, float]]:
    """`fit`'s loop with sigmoid + BCELoss: (train loss, test loss, test accuracy) per epoch."""
    model = make_model(config, split.x_train.device)
    optimizer = optimizers.make(config.optimizer, model.parameters(), config.lr, config.weight_decay)
    order = torch.Generator().manual_seed(config.training_seed)
    loss_fn, n, history = nn.BCELoss(), len(split.y_train), []
    for _ in range(config.epochs):
        model.train()
        total = 0.0
        for batch in torch.randperm(n, generator=order).split(config.batch_size):
            loss = loss_fn(torch.sigmoid(model(split.x_train[batch])), split.y_train[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        model.eval()
        with torch.no_grad():
            p = torch.sigmoid(torch.cat([model(part) for part in split.x_test.split(100)]))
        accuracy = ((p >= 0.5).float() == split.y_test).float().mean().item()
        history.append((total / n, loss_fn(p, split.y_test).item(), accuracy))
    return history


def gaps(a: list[tuple[float, ...]], b: list[tuple[float, ...]]) -> str:
    """The largest |difference| of each column of two histories, and the first epoch beyond."""
    diffs = [[abs(x - y) for x, y in zip(r, c, strict=True)] for r, c in zip(a, b, strict=True)]
    beyond = next((e for e, d in enumerate(diffs, 1) if max(d) > TOLERANCE), None)
    worst = [max(d[i] for d in diffs) for i in range(3)]
    return (
        f"max |diff| train loss {worst[0]:.2e}, test loss {worst[1]:.2e}, accuracy {worst[2]:.2e}; "
        f"first epoch beyond {TOLERANCE:g}: {beyond or 'none'}"
    )


def rows(history) -> list[tuple[float, float, float]]:
    return [(r.train_loss, r.test_loss, r.test_accuracy) for r in history]


def replicate_drift(seeds: int, epochs: int) -> None:
    config = Config(epochs=epochs, device="cpu", seeds=seeds)
    split = prepare(config)  # every replicate's: the train digits are shared
    batched = replicates.fit_replicates(config.replicates(), split)
    lone = [fit(c, split) for c in config.replicates()]
    print(f"recipe, {seeds} seeds, {epochs} epochs: each batched replicate against its lone run")
    for k, (b, a) in enumerate(zip(batched, lone, strict=True)):
        print(f"seed {k}: {gaps(rows(b.history), rows(a.history))}")
        drift = [abs(x.test_loss - y.test_loss) for x, y in zip(b.history, a.history, strict=True)]
        marks = [e for e in (10, 20, 30, 40) if e <= epochs]
        print(f"  test loss drift at epochs {marks}: {', '.join(f'{drift[e - 1]:.4f}' for e in marks)}")
    final = torch.tensor([[a.history[-1].test_loss, a.history[-1].test_accuracy] for a in lone])
    print(
        f"the lone seeds' spread at the end: test loss sd {final[:, 0].std():.4f}, "
        f"accuracy sd {final[:, 1].std():.4f} (range {final[:, 1].max() - final[:, 1].min():.4f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--replicates", type=int, default=3, help="seeds of the batched run (1: skip)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"recipe, {args.epochs} epochs: sigmoid + BCELoss against the run (BCEWithLogitsLoss)")
    for seed in map(int, args.seeds.split(",")):
        config = Config(epochs=args.epochs, device="cpu", seed=seed)
        split = prepare(config)
        print(f"seed {seed}: {gaps(rows(fit(config, split).history), chapter_history(config, split))}")
    if args.replicates > 1:
        replicate_drift(args.replicates, args.epochs)


if __name__ == "__main__":
    main()
