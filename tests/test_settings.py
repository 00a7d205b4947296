"""The one mapping between a Config and text, flags, links and widgets: every field round-trips."""

import dataclasses
import random

import pytest
import torch

from mnist49 import settings
from mnist49.augment import AUGMENTATIONS
from mnist49.cli import _parser
from mnist49.config import DEVICES, Config, ConfigError
from mnist49.models import model, optimizers


def random_config(rng: random.Random) -> Config:
    """A valid Config with every field drawn at random."""
    digits = (
        tuple(range(10)) if rng.random() < 0.2 else tuple(sorted(rng.sample(range(10), rng.randint(2, 9))))
    )
    return Config(
        model=rng.choice(list(model.MODELS)),
        channels=tuple(rng.randint(1, 64) for _ in range(3)),
        hidden=tuple(rng.randint(1, 300) for _ in range(rng.randint(1, 3))),
        activation=rng.choice(list(model.ACTIVATIONS)),
        dropout=rng.choice([0.0, 0.05, 0.2, 0.5, rng.random() * 0.9]),
        digits=digits,
        train_size=rng.choice([None, rng.randint(1, 11791)]),
        test_size=rng.choice([None, rng.randint(1, 1991)]),
        batch_size=rng.randint(1, 1000),
        epochs=rng.randint(1, 500),
        optimizer=rng.choice(list(optimizers.OPTIMIZERS)),
        lr=10 ** rng.uniform(-6, 1),
        weight_decay=rng.choice([0.0, 1e-4, 10 ** rng.uniform(-7, 0)]),
        augment=tuple(rng.sample(list(AUGMENTATIONS), rng.randint(0, len(AUGMENTATIONS)))),
        seed=rng.randint(0, 2**31 - 1),
        seeds=rng.randint(1, 10),
        vary_data=rng.random() < 0.5,
        replicate=rng.randint(0, 9),
        device=rng.choice(DEVICES),
        data=rng.choice(["bundled", "mnist"]),
    )


CONFIGS = [Config(), Config(model="mlp", lr=0.0003)] + [random_config(random.Random(i)) for i in range(300)]


def test_every_config_field_has_one_entry():
    assert list(settings.FIELDS) == [f.name for f in dataclasses.fields(Config)]


def test_text_round_trips_every_field():
    for config in CONFIGS:
        for changed_only in (True, False):
            text = settings.to_text(config, changed_only=changed_only)
            assert settings.from_text(text) == (config, []), text


def test_flags_round_trip_every_field():
    parser = _parser()
    for config in CONFIGS:
        argv = settings.to_argv(config)
        assert settings.from_args(parser.parse_args(["train", *argv])) == config, argv


def test_the_link_round_trips_every_page_setting():
    for config in CONFIGS:
        query = settings.to_query(config)
        assert set(query) <= set(settings.PAGE_FIELDS)
        page_only = config.replace(device=Config.device, data=Config.data, replicate=0)
        assert settings.from_query(query) == (page_only, []), query


def test_widgets_round_trip_every_page_setting():
    available = {"train_size": 11791, "test_size": 1991}
    for config in CONFIGS:
        widgets = settings.to_widgets(config, available)
        back = settings.from_widgets(
            widgets, device=config.device, data=config.data, replicate=config.replicate
        )
        sizes = {name: getattr(config, name) or available[name] for name in available}
        assert back == config.replace(**sizes), widgets


def test_defaults_leave_an_empty_link_and_command_line():
    assert settings.to_query(Config(seeds=3)) == {}  # the page trains 3 seeds by default
    assert settings.to_query(Config()) == {"seeds": "1"}
    assert settings.from_query({})[0] == Config(seeds=3)
    assert settings.to_argv(Config()) == []
    # the MLP's own rate is its default: a link to the chapter's MLP says only the model
    assert settings.to_query(Config(model="mlp", lr=0.0003, seeds=3)) == {"model": "mlp"}
    assert settings.from_query({"model": "mlp"})[0].lr == 0.0003
    assert settings.from_query({"model": "mlp", "lr": "0.004"})[0].lr == 0.004


def test_a_link_names_its_fields_like_the_issue_example():
    config = Config(lr=0.01, dropout=0.2, channels=(8, 16, 32), seeds=3)
    assert settings.to_query(config) == {"lr": "0.01", "dropout": "0.2", "channels": "8,16,32"}


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"lr": "fast"}, "lr: expected a number like 0.004, got 'fast'"),
        ({"lr": "inf"}, "lr: expected a number like 0.004"),
        ({"model": "resnet"}, "model: expected one of cnn, mlp, got 'resnet'"),
        ({"channels": "4,x,16"}, "channels: expected numbers like 4,8,16"),
        ({"colour": "red"}, "colour: not a setting"),
        ({"device": "cuda"}, "device: not a setting"),  # the page does not choose devices
    ],
)
def test_a_bad_link_parameter_is_named_and_the_rest_still_count(params, problem):
    config, problems = settings.from_query({**params, "epochs": "7"})
    assert config.epochs == 7
    assert len(problems) == 1 and problems[0].startswith(problem)


@pytest.mark.parametrize(
    ("name", "text", "used"),
    [
        ("dropout", "0.95", 0.9),
        ("batch_size", "100000", 60000),
        ("seed", "-1", 0),
        ("seed", str(10**30), 2**31 - 1),
        ("epochs", str(10**9), settings.MAX_EPOCHS),
        ("seeds", "20", 10),
        ("train_size", "0", 1),
    ],
)
def test_a_link_value_beyond_its_limits_is_named_and_moved_to_the_limit(name, text, used):
    config, problems = settings.from_query({name: text, "epochs": "7"} if name != "epochs" else {name: text})
    assert getattr(config, name) == used
    (problem,) = problems
    assert problem.startswith(f"{name}: expected ") and repr(text) in problem
    assert problem.endswith(f"; using the nearest allowed value, {settings.FIELDS[name].show(used)}")


def test_one_reading_of_a_link_gives_each_value_beyond_its_limits_as_asked():
    """The Train page says a size beyond the problem's digits as the link asked it (99,999,999),
    from the same reading that moved it to MNIST's 60,000, not from a second parse of the link."""
    config, problems, beyond = settings.read_query({"train_size": "99999999", "seed": "-1", "epochs": "7"})
    assert (config.train_size, config.seed, config.epochs) == (60_000, 0, 7)
    assert beyond == {"train_size": 99_999_999, "seed": -1}
    assert (config, problems) == settings.from_query({"train_size": "99999999", "seed": "-1", "epochs": "7"})


def test_a_test_size_of_one_is_within_the_limits_and_kept():
    config, problems = settings.from_query({"test_size": "1"})
    assert config.test_size == 1 and problems == []


def test_the_cli_refuses_a_value_beyond_its_limits_with_them():
    with pytest.raises(SystemExit):
        _parser().parse_args(["train", "--dropout", "0.95"])


def test_a_link_value_the_config_refuses_is_left_at_its_default_and_the_rest_still_count():
    config, problems = settings.from_query({"channels": "4,8", "epochs": "7"})
    assert config == Config(seeds=3, epochs=7)
    assert problems == ["channels of the CNN must be 3 numbers, got 4,8; using the default, 4,8,16"]


def test_each_bad_link_value_is_said_once_with_the_value_truly_used():
    params = {"lr": "abc", "epochs": "-5", "channels": "9999999", "batch_size": "0", "seeds": "100"}
    config, problems = settings.from_query(params)
    assert (config.lr, config.epochs, config.channels) == (0.004, 1, (4, 8, 16))
    assert (config.batch_size, config.seeds) == (1, 10)
    assert problems == [
        "lr: expected a number like 0.004, got 'abc'; using the default, 0.004",
        "epochs: expected a whole number (from 1 to 1000), got '-5'; using the nearest allowed value, 1",
        "batch_size: expected a whole number (from 1 to 60000), got '0'; using the nearest allowed value, 1",
        "seeds: expected a whole number (from 1 to 10), got '100'; using the nearest allowed value, 10",
        "channels of the CNN must be 3 numbers, got 9999999; using the default, 4,8,16",
    ]


def test_widths_errors_name_the_field():
    with pytest.raises(settings.SettingError) as e:
        settings.from_widgets({"channels": "4, eight, 16"})
    assert e.value.name == "channels"
    with pytest.raises(ConfigError) as e:
        settings.from_widgets({"channels": "4, 8"})
    assert e.value.field == "channels"


def test_a_new_model_is_one_registry_entry(monkeypatch, capsys):
    """A toy model registered in one place shows in the config check and the CLI."""
    tiny = model.ModelSpec(
        lambda widths, activation, dropout, outputs: torch.nn.Sequential(
            torch.nn.Flatten(), torch.nn.Linear(784, widths[0]), torch.nn.Linear(widths[0], outputs)
        ),
        "Tiny",
        0.01,
        "hidden",
        (8,),
        1,
        False,
        lambda widths, outputs: [
            model.Layer("0", "Flatten", (784,), 0, 0),
            model.Layer("1", "Linear", (widths[0],), 785 * widths[0], 784 * widths[0]),
            model.Layer("2", "Linear", (outputs,), (widths[0] + 1) * outputs, widths[0] * outputs),
        ],
    )
    with pytest.raises(ConfigError, match="unknown model 'tiny'"):
        Config(model="tiny")
    monkeypatch.setitem(model.MODELS, "tiny", tiny)
    assert Config(model="tiny", hidden=(8,)).widths == (8,)
    planned = model.plan("tiny", (8,))
    assert planned["params"].sum() == model.n_params(model.build("tiny", (8,)))
    with pytest.raises(ConfigError, match="hidden of the Tiny must be 1 numbers"):
        Config(model="tiny", hidden=(8, 8))
    args = _parser().parse_args(["train", "--model", "tiny", "--hidden", "8"])
    config = settings.from_args(args)
    assert config.model == "tiny" and config.lr == 0.01  # its own default rate
    with pytest.raises(SystemExit):
        _parser().parse_args(["train", "--help"])
    assert "{cnn,mlp,tiny}" in capsys.readouterr().out


def test_a_new_optimizer_is_one_registry_entry(monkeypatch):
    plain = optimizers.OptimizerSpec(lambda optim, params, lr, wd: optim.SGD(params, lr=lr), "Plain SGD")
    with pytest.raises(ConfigError, match="unknown optimizer 'plain'"):
        Config(optimizer="plain")
    monkeypatch.setitem(optimizers.OPTIMIZERS, "plain", plain)
    config = settings.from_args(_parser().parse_args(["train", "--optimizer", "plain"]))
    assert config.optimizer == "plain"
    made = optimizers.make("plain", [torch.nn.Parameter(torch.zeros(1))], 0.5)
    assert isinstance(made, torch.optim.SGD) and made.defaults["momentum"] == 0


def test_the_page_starts_with_more_seeds_on_cuda_and_links_mean_the_same_everywhere():
    assert settings.build({}, settings.page_defaults(cuda=False)) == Config(seeds=3)
    assert settings.build({}, settings.page_defaults(cuda=True)) == Config(seeds=5)
    # a link is read against the machine-independent defaults: 5 seeds made on CUDA says so
    assert settings.to_query(Config(seeds=5)) == {"seeds": "5"}
    assert settings.from_query({"seeds": "5"})[0] == Config(seeds=5)
