"""A run as one standalone training script in the chapter's style (torch, torchvision, numpy).

The script is `templates/train_run.py.tmpl` with the run's settings filled in as constants and
the model's class (`templates/cnn.py.tmpl` or `mlp.py.tmpl`) put in. It reproduces the run:
the same seeded digits, initial weights, batch order, loss and optimizer as `train.fit`.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from string import Template

from mnist49.config import Config
from mnist49.models import model

# Each optimizer as `optimizers.OPTIMIZERS` builds it (fused Adam and AdamW: the run's arithmetic).
OPTIMIZERS = {
    "adam": "torch.optim.Adam(params, lr=LR, weight_decay=WEIGHT_DECAY, fused=True)",
    "adamw": "torch.optim.AdamW(params, lr=LR, weight_decay=WEIGHT_DECAY, fused=True)",
    "radam": "torch.optim.RAdam(params, lr=LR, weight_decay=WEIGHT_DECAY)",
    "sgd": "torch.optim.SGD(params, lr=LR, momentum=0.9, weight_decay=WEIGHT_DECAY)",
}
# Each augmentation as `augment.AUGMENTATIONS` builds it (a test compares the two).
AUGMENTATIONS = {
    "rotate": "v2.RandomRotation(15, interpolation=SMOOTH)",
    "shift": "v2.RandomAffine(degrees=0, translate=(0.1, 0.1))",
    "scale": "v2.RandomAffine(degrees=0, scale=(0.85, 1.15), interpolation=SMOOTH)",
    "elastic": "v2.ElasticTransform(alpha=20.0, sigma=4.0)",
}
# What can keep a run from being exported, as templates over facts (a UI says it in its language).
MESSAGES = {
    "model": "The script does not know the {name} model yet.",
    "optimizer": "The script does not know the {name} optimizer yet.",
    "activation": "The script does not know the {name} activation yet.",
    "augment": "The script does not know the {name} augmentation yet.",
    "exclude": "The script does not leave train digits out yet (this run leaves out {n}).",
}


class ExportError(ValueError):
    """A run whose settings the script cannot reproduce; the message says which."""

    def __init__(self, kind: str, **facts):
        self.kind, self.facts = kind, facts
        super().__init__(MESSAGES[kind].format(**facts))


def _template(name: str) -> Template:
    return Template((resources.files("mnist49") / "templates" / name).read_text())


def _activation(name: str) -> str:
    from torch import nn  # here: the pages import this module for its messages before torch

    cls = model.activation_class(name) if name in model.ACTIVATIONS else None
    if cls is None or getattr(nn, cls.__name__, None) is not cls:
        raise ExportError("activation", name=name)
    return f"nn.{cls.__name__}"


# A run name written into the docstring as it is: no quote, backslash or line break can end the
# docstring early. Any other name is left out of the docstring and kept only as a repr'd literal.
PLAIN_NAME = re.compile(r"[\w.+-]{1,200}")


def _literal(text: str) -> str:
    """`text` as a Python string literal in double quotes (a JSON string is one), as ruff writes it."""
    return json.dumps(str(text))


def _problem(digits: tuple[int, ...]) -> str:
    digits = tuple(int(d) for d in digits)  # numbers only: the title is in the docstring
    if len(digits) == 10:
        return "telling all ten digits apart"
    if len(digits) == 2:
        return f"telling {digits[0]}s from {digits[1]}s"
    return f"telling the digits {', '.join(map(str, digits))} apart"


# What the script reproduces, for the docstring. A run of several seeds trained them together,
# as one batched model, which rounds otherwise than a lone run: measured by
# benchmarks/export_fidelity.py on the recipe (5 seeds, 40 epochs).
LONE_RUN = """It draws the same digits, starts from the same weights and sees the same batches in
the same order as the run, so it prints the figures of the run's history.csv (on a
CPU; a GPU may differ in the last digits)."""
ONE_SEED = """The run trained its {seeds} seeds together, as one batched model, and its history.csv
is their mean. This script trains seed {k} of them alone: the same digits, initial
weights and batches in the same order as that seed. It prints exactly the figures of
seed {k} trained alone (mnist49 train with the run's settings, --seeds 1 and
--replicate {k}; on a CPU). The run's replicates/{k}/history.csv came from the batched
model: it equals these figures for the first epochs, then may drift within seed
noise. On the recipe over 40 epochs, 4 seeds of 5 stayed within 1e-5 and one drifted
from epoch 17, by up to 0.003 in test loss, where the seeds' final test losses have
an sd of 0.008."""


def _settings(config: Config) -> str:
    if config.model == "cnn":
        widths = f"CHANNELS = {config.channels!r}  # output channels of the three conv stages"
        dropout = "before the last Linear layer"
    else:
        widths = f"HIDDEN = {config.hidden!r}  # the hidden layers' widths"
        dropout = "after each hidden layer"
    device = (
        '"cuda" if torch.cuda.is_available() else "cpu"'
        if config.device == "auto"
        else _literal(config.device)
    )
    lines = [
        f"DIGITS = {config.digits!r}  # the digits told apart",
        f"TRAIN_SIZE = {config.train_size!r}  # digits drawn from MNIST's train set (None: all)",
        f"TEST_SIZE = {config.test_size!r}  # and from its test set",
        widths,
        f"ACTIVATION = {_activation(config.activation)}",
        f"DROPOUT = {config.dropout!r}  # {dropout}",
        f"BATCH_SIZE = {config.batch_size!r}",
        f"EPOCHS = {config.epochs!r}",
        f"LR = {config.lr!r}",
        f"WEIGHT_DECAY = {config.weight_decay!r}",
        f"SEED = {config.training_seed!r}  # the initial weights and the batches' order"
        + (
            f" (seed {config.replicate!r}: {config.seed!r} + {config.replicate!r})"
            if config.seeds > 1
            else ""
        ),
        f"TRAIN_SEED = {config.train_digits_seed!r}  # which train digits are drawn",
        f"TEST_SEED = {config.test_digits_seed!r}  # and which test digits",
    ]
    if config.augment:
        unknown = [a for a in config.augment if a not in AUGMENTATIONS]
        if unknown:
            raise ExportError("augment", name=unknown[0])
        steps = "".join(f"        {AUGMENTATIONS[a]},\n" for a in config.augment)
        lines += [
            "SMOOTH = v2.InterpolationMode.BILINEAR  # nearest-neighbour would leave jagged strokes",
            "# one random draw per batch: every digit in a batch moves the same way",
            f"AUGMENT = v2.Compose(\n    [\n{steps}    ]\n)",
        ]
    lines += [
        "OUTPUTS = 1 if len(DIGITS) == 2 else len(DIGITS)  # logits: one (BCE) or one a digit",
        f"DEVICE = {device}",
    ]
    return "\n".join(lines)


def script(config: Config, name: str = "", filename: str = "train_run.py") -> str:
    """The run `name` with settings `config` as the text of a standalone Python script.

    For a run of several seeds, `config` is one replicate's (`replicate` k): the script trains
    that seed alone, and its docstring says what that reproduces. Raises ExportError for
    settings the script cannot reproduce.
    """
    if config.model not in ("cnn", "mlp"):  # the model templates; never a path from config.json
        raise ExportError("model", name=config.model)
    if config.optimizer not in OPTIMIZERS:
        raise ExportError("optimizer", name=config.optimizer)
    if config.exclude:
        raise ExportError("exclude", n=len(config.exclude))
    plain = PLAIN_NAME.fullmatch(name) is not None
    title = f"the mnist49 run {name}" if plain else "an mnist49 run"
    title = f"Train {title} again" if config.seeds == 1 else f"Train seed {config.replicate!r} of {title}"
    if config.model == "cnn":
        model_line = (
            "    # channels-last, as the run's model: faster convolutions on a CPU\n"
            "    model = CNN().to(DEVICE, memory_format=torch.channels_last)"
        )
    else:
        model_line = "    model = MLP().to(DEVICE)"
    imports = "from torchvision import datasets, transforms"
    if config.augment:
        imports += "\nfrom torchvision.transforms import v2"
    return _template("train_run.py.tmpl").substitute(
        title=f"{title}: a{'n' if config.model == 'mlp' else ''} {config.model.upper()} "
        f"{_problem(config.digits)}.",
        filename=filename if PLAIN_NAME.fullmatch(filename) else "train_run.py",
        run_name=_literal(name),
        reproduces=LONE_RUN if config.seeds == 1 else ONE_SEED.format(seeds=config.seeds, k=config.replicate),
        imports=imports,
        settings=_settings(config),
        model_class=_template(f"{config.model}.py.tmpl").substitute().rstrip("\n"),
        optimizer=OPTIMIZERS[config.optimizer],
        model_input="AUGMENT(x)" if config.augment else "x",
        model_line=model_line,
    )
