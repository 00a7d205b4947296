"""How far the chapter's sigmoid + BCELoss leaves a run trained with BCEWithLogitsLoss.

    uv run python benchmarks/export_fidelity.py [--seeds 0,1,2] [--epochs 40]

For each seed, the recipe (bundled 4s and 9s, CPU, one thread) is trained by `train.fit`, then
again from the same initial weights and batches with the model's logits put through
`torch.sigmoid` and `nn.BCELoss`, measured as the chapter does (BCELoss of the probabilities,
p >= 0.5). It prints the largest difference of each history column and the first epoch whose
figures differ by more than 1e-5: the tolerance the exported script is held to.
"""

import argparse

import torch
from torch import nn

from mnist49 import optimizers
from mnist49.config import Config
from mnist49.train import Split, fit, make_model, prepare

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"recipe, {args.epochs} epochs: sigmoid + BCELoss against the run (BCEWithLogitsLoss)")
    for seed in map(int, args.seeds.split(",")):
        config = Config(epochs=args.epochs, device="cpu", seed=seed)
        split = prepare(config)
        run = [(r.train_loss, r.test_loss, r.test_accuracy) for r in fit(config, split).history]
        chapter = chapter_history(config, split)
        gaps = [[abs(a - b) for a, b in zip(r, c, strict=True)] for r, c in zip(run, chapter, strict=True)]
        beyond = next((e for e, g in enumerate(gaps, 1) if max(g) > TOLERANCE), None)
        worst = [max(g[i] for g in gaps) for i in range(3)]
        print(
            f"seed {seed}: max |diff| train loss {worst[0]:.2e}, test loss {worst[1]:.2e}, "
            f"accuracy {worst[2]:.2e}; first epoch beyond {TOLERANCE:g}: {beyond or 'none'}"
        )


if __name__ == "__main__":
    main()
