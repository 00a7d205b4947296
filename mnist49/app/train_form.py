"""The Train page's settings: every knob of the config as a widget (a shared link fills them), the LR
range test in a popover beside the learning rate, and the model's size before Train."""

import math

import streamlit as st

from mnist49 import charts_sweep, data, settings
from mnist49.app import common, links
from mnist49.app.text import chart_labels, md, t
from mnist49.config import Config, ConfigError
from mnist49.models import model
from mnist49.models.optimizers import OPTIMIZERS
from mnist49.training import lr_find, train

DEFAULTS = Config()


def available(digits: tuple[int, ...]) -> data.Dataset:
    """All the train and test digits of a problem (cached by the core)."""
    return data.load(DEFAULTS.data, digits)


FIELDS = settings.FIELDS
MNIST_SIZES = settings.MNIST_SIZES  # what "all" digits of a problem can be, until it is known


def steps(low: float, high: float) -> list[float]:
    """1-2-5 steps from low to high (both powers of ten): the learning rate's slider."""
    exponents = range(round(math.log10(low)), round(math.log10(high)) + 1)
    return [float(f"{m}e{e}") for e in exponents for m in (1, 2, 5) if low <= float(f"{m}e{e}") <= high]


def slider_options(ladder: list[float], key: str, *also: float) -> list[float]:
    """A slider's steps, with the kept value among them: a link or Try this may set an exact
    value between two steps, and the slider keeps it."""
    return sorted({*ladder, *also, st.session_state[key]})


LR_STEPS = steps(1e-5, 1.0)
WEIGHT_DECAY_STEPS = [0.0, *steps(1e-6, 0.1)]


def apply_link() -> None:
    """Once per session: the settings in the page's link (a shared one, say) fill the widgets."""
    if st.session_state.get("link_read"):
        return
    st.session_state["link_read"] = True
    # the language is the app's, not a setting of Train's (language_ui reads it)
    params = {k: v for k, v in st.query_params.to_dict().items() if k != links.LANG}
    if not params:
        return
    config, problems, beyond = settings.read_query(params)
    for name, value in settings.to_widgets(config, MNIST_SIZES).items():
        st.session_state[common.KEEP + name] = value
    # a size beyond MNIST's digits, as asked, is cut to this problem's (in _size_ui) and said so
    # there, once, in place of the settings' cut to MNIST's
    cut = {n: size for n, size in beyond.items() if n in MNIST_SIZES and size > FIELDS[n].high}
    asked = {n: cut.get(n) or getattr(config, n) for n in MNIST_SIZES}
    st.session_state["link_sizes"] = {n: size for n, size in asked.items() if size}
    problems = [p for p in problems if not p.startswith(tuple(f"{n}:" for n in cut))]
    if problems:
        st.session_state["link_problems"] = problems


def _size_ui(column, name: str, n: int, defaults: dict) -> int:
    key = common.kept(name, defaults[name])
    # a size kept from a bigger problem (all ten digits, or "all" in a link) is cut to this one's
    st.session_state[key] = min(st.session_state[key], n)
    linked = st.session_state.get("link_sizes", {}).pop(name, None)
    if linked is not None and linked > n:
        column.warning(t("train.size_cut", name=name, size=linked, n=n), icon=":material/link_off:")
    if name == "test_size":
        return column.number_input(t(f"train.{name}", n=n), FIELDS[name].low, n, step=100, key=key)
    ladder = [v for v in steps(10, 10_000) if v < n]
    return column.select_slider(
        t(f"train.{name}", n=n),
        [int(v) for v in slider_options(ladder, key, n)],
        key=key,
        format_func="{:,}".format,
    )


def _switch_lr() -> None:
    # the chapter trains each model at its own rate: follow the model if the rate is untouched
    chosen = st.session_state[common.KEEP + "model"]
    if st.session_state[common.KEEP + "lr"] in {spec.lr for spec in model.MODELS.values()}:
        st.session_state[common.KEEP + "lr"] = model.MODELS[chosen].lr


def config_ui() -> Config | None:
    """The settings as a Config, or None after saying in words what is wrong."""
    apply_link()
    for problem in st.session_state.pop("link_problems", []):
        st.warning(t("train.bad_link", problem=md(problem)), icon=":material/link_off:")
    digits = common.digits_ui()
    if digits is None:
        return None
    everything = available(digits)
    defaults = common.train_widgets()

    def kept(name: str) -> str:
        return common.kept(name, defaults[name])

    c1, c2, c3, c4 = st.columns(4)
    name = c1.selectbox(
        t("train.model"),
        list(model.MODELS),
        format_func=lambda m: model.MODELS[m].label,
        key=kept("model"),
        on_change=_switch_lr,
    )
    spec = model.MODELS[name]
    c2.selectbox(
        t("train.activation"),
        list(model.ACTIVATIONS),
        format_func=lambda a: model.activation_class(a).__name__,  # ReLU, Mish, ...: names in any language
        key=kept("activation"),
    )
    c3.slider(
        t("train.dropout"), FIELDS["dropout"].low, FIELDS["dropout"].high, step=0.05, key=kept("dropout")
    )
    c4.text_input(t(f"train.{spec.widths}"), key=kept(spec.widths), help=t(f"train.{spec.widths}_help"))
    c1, c2, c3, c4 = st.columns([1, 2, 1, 1])  # the finder's words fit under the rate at 1000 px
    c1.selectbox(
        t("train.optimizer"),
        list(OPTIMIZERS),
        format_func=lambda o: OPTIMIZERS[o].label,
        key=kept("optimizer"),
    )
    lr_options = slider_options(LR_STEPS, kept("lr"), *(m.lr for m in model.MODELS.values()))
    c2.select_slider(t("train.lr"), lr_options, format_func="{:g}".format, key=kept("lr"))
    finder = c2.popover(t("train.lr_find"), icon=":material/search:", help=t("train.lr_find_help"))
    wd_options = slider_options(WEIGHT_DECAY_STEPS, kept("weight_decay"))
    c3.select_slider(t("train.weight_decay"), wd_options, format_func="{:g}".format, key=kept("weight_decay"))
    # the slider spans 300 epochs, or up to a larger kept value (a link's, within the limit)
    epochs = FIELDS["epochs"]
    c4.slider(t("train.epochs"), epochs.low, max(300, st.session_state[kept("epochs")]), key=kept("epochs"))
    c1, c2, c3, c4 = st.columns(4)
    _size_ui(c1, "train_size", len(everything.train), defaults)
    _size_ui(c2, "test_size", len(everything.test), defaults)
    batch, seed, seeds = FIELDS["batch_size"], FIELDS["seed"], FIELDS["seeds"]
    c3.number_input(t("train.batch_size"), batch.low, batch.high, step=10, key=kept("batch_size"))
    c4.number_input(t("train.seed"), seed.low, seed.high, key=kept("seed"), help=t("train.seed_help"))
    c1, c2 = st.columns([1, 3])  # the toggles one above the other: their words fit at 1000 px
    c1.slider(t("train.seeds"), seeds.low, seeds.high, key=kept("seeds"), help=t("train.seeds_help"))
    c2.toggle(t("train.vary_data"), key=kept("vary_data"), help=t("train.vary_data_help"))
    c2.toggle(t("train.show_seeds"), key=common.kept("show_seeds", False), help=t("train.show_seeds_help"))
    common.augment_ui(shared_with="samples")
    widgets = {field: st.session_state[common.KEEP + field] for field in settings.page_fields(name)}
    try:
        config = settings.from_widgets(widgets)
    except (settings.SettingError, ConfigError) as e:
        field = e.name if isinstance(e, settings.SettingError) else e.field
        if field == spec.widths:  # said with an example of good widths
            st.error(t(f"train.bad_{field}", text=widgets[field]))
        else:
            st.error(t("train.bad_config", error=e))
        with finder:
            st.caption(t("train.bad_config", error=e))
        return None
    with finder:
        lr_find_ui(config)
    return config


def gpu_ui() -> None:
    """Where runs train on CUDA: says so, what seeds cost there, and why the page starts with more."""
    name = common.gpu()
    if name is not None:
        seeds, cpu_seeds = settings.CUDA_PAGE_DEFAULTS["seeds"], settings.PAGE_DEFAULTS["seeds"]
        st.info(t("train.cuda", name=name, seeds=seeds, cpu_seeds=cpu_seeds), icon=":material/memory:")


def _use_lr(lr: float) -> None:
    st.session_state[common.KEEP + "lr"] = lr


def lr_find_ui(config: Config) -> None:
    """The LR range test of these settings (all but the rate): its curve, the suggested rate (the
    valley) and the steepest point marked, and a button that puts the suggestion in the learning rate."""
    st.caption(t("train.lr_find_help"))
    asked = config.replace(lr=DEFAULTS.lr, seeds=1)  # the test sets the rate; one seed is enough
    if st.button(t("train.lr_find_run"), icon=":material/play_arrow:", key="lr_find_run"):
        with st.spinner(t("train.lr_find_running")):
            try:
                st.session_state["lr_found"] = (asked, lr_find.lr_find(asked))
            except Exception as e:  # bad data, a device, memory: said, not a traceback
                st.session_state["lr_found"] = (asked, e)
    found = st.session_state.get("lr_found")
    if found is None or found[0] != asked:  # none yet, or one of other settings
        return
    result = found[1]
    if isinstance(result, Exception) or result.suggested is None:
        st.warning(
            t("train.lr_find_none", error=result if isinstance(result, Exception) else len(result.lrs))
        )
        return
    st.altair_chart(
        charts_sweep.lr_range(result.lrs, result.losses, result.suggested, chart_labels(), result.steepest),
        width="stretch",
    )
    exploded = t("train.lr_find_exploded", lr=result.lrs[-1]) if result.exploded else ""
    st.markdown(t("train.lr_find_result", lr=result.suggested, exploded=exploded))
    if result.steepest is not None:
        st.caption(t("train.lr_find_steepest", lr=result.steepest))
    rounded = float(f"{result.suggested:.2g}")
    st.button(
        t("train.lr_find_use", lr=rounded),
        on_click=_use_lr,
        args=(rounded,),
        icon=":material/check:",
        key="lr_find_use",
    )


# A model this many times the recipe's parameters gets its count and a rough time per epoch
# before Train: such a run can take minutes an epoch.
BIG = 20


def size_ui(config: Config) -> Config | None:
    """The layer summary worked out from the widths (no model is built), and for a model much
    larger than the recipe its size and about how long an epoch takes; None after refusing a
    model too large to allocate here."""
    layers = model.plan(config.model, config.widths, config.activation, config.outputs)
    with st.expander(t("train.summary", n=layers["params"].sum())):
        shown = layers[["layer", "output shape", "params"]]
        st.dataframe(shown.rename(columns=lambda c: t(f"summary.{c}")), hide_index=True)
    n_train = config.train_size or len(available(config.digits).train)
    cost = train.estimate(config, n_train)
    memory = train.memory_bytes()
    if cost.bytes > memory:
        st.error(
            t("train.too_big", n=cost.params, gb=cost.bytes / 1e9, memory=memory / 1e9, seeds=config.seeds),
            icon=":material/memory:",
        )
        return None
    recipe = model.plan(DEFAULTS.model, DEFAULTS.widths)["params"].sum()
    if cost.params >= BIG * recipe:
        st.warning(
            t(
                "train.big",
                n=cost.params,
                times=cost.params / recipe,
                seconds=cost.seconds,
                minutes=cost.seconds * config.epochs / 60,
                seeds=config.seeds,
            ),
            icon=":material/timer:",
        )
    return config
