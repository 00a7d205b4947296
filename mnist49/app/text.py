"""Every word the app shows, one table per language. English is the default.

Keys are grouped by page. Values are `str.format` templates; both languages use the same fields.
The readings and remedies come from `diagnose.READINGS` / `diagnose.REMEDIES` in English.
"""

from __future__ import annotations

import re
from pathlib import PurePath

import streamlit as st

from mnist49 import charts, diagnose, export, own, stats

LANGUAGES = {"en": "English", "ja": "日本語"}

EN = {
    # the app
    "page.samples": "Samples",
    "page.sweep": "Sweep",
    "compare.sweep": "All the runs of a sweep",
    "compare.sweep_placeholder": "Pick a sweep to compare its values",
    "sweep.caption": "Turn one knob over several values, each trained with several seeds, all at once "
    'where one batched model can hold them. The chart then answers "what does this knob do?": '
    "final test accuracy and lowest test loss against the value, with the seeds' spread as a band.",
    "sweep.base": "**Base:** the Train page's settings: `{settings}`",
    "sweep.recipe": "the chapter's recipe",
    "sweep.change_base": "Change on Train",
    "sweep.bad_base": "The Train page's settings cannot be trained: {error}",
    "sweep.fix_base": "Fix them on Train",
    "sweep.knob": "Knob",
    "sweep.knob_help": "The setting to turn. Learning rate, weight decay and dropout train all "
    "values together in one batched model; the others train one value after another.",
    "sweep.values": "Values (comma-separated)",
    "sweep.bad": "This sweep cannot be trained: {error}. Change the values and try again.",
    "sweep.together": "all values train together",
    "sweep.in_turn": "the values train one after another, each value's seeds together",
    "sweep.plan": "{values} values × {seeds} seeds = {runs} runs; {how}.",
    "sweep.train": "Train sweep",
    "sweep.progress_together": "Training: epoch {epoch} of {epochs}, all {values} values at once",
    "sweep.progress_in_turn": "Training value {value} of {values}: epoch {epoch} of {epochs}",
    "sweep.ended": "Sweep: {status}",
    "sweep.results": "Results",
    "sweep.results_later": "The knob chart appears here when the sweep ends.",
    "sweep.none_yet": "No sweeps yet: pick a knob above and press Train sweep.",
    "sweep.pick": "Sweep",
    "sweep.label": "{knob}, {values} values × {seeds} seeds, started {started} ({status})",
    "sweep.nothing": "No value of this sweep finished an epoch, so there is nothing to draw.",
    "sweep.chart_caption": "Line: the mean over the seeds; band: the lowest to the highest seed; "
    "diamond: the best value (highest mean final test accuracy, ties to the lower test loss).",
    "sweep.best": "**Best {knob}: {value}** (the highest mean), final test accuracy {accuracy:.1%} ± "
    "{sd:.1%} and lowest test loss {loss:.4f} ± {loss_sd:.4f} (each seed's lowest: mean and sd over "
    "{seeds} seeds). Is it better than its "
    "neighbours beyond seed noise?",
    "sweep.unfinished": "Did not finish, so not ranked (value: epochs done): {values}.",
    "sweep.best_unfinished": "No value finished, so this best is of values cut short (value: epochs "
    "done): {values}. Train the sweep again to compare whole runs.",
    "sweep.one_seed": "With one seed per value there is no seed spread to measure the differences "
    "against: use 3 or more seeds before trusting a best value.",
    "sweep.use": "Use {knob} = {value} on Train",
    "sweep.table": "The figures",
    "knob.lr": "learning rate",
    "knob.lr_help": "Log-spaced around the chapter's 0.004: too low trains slowly, too high jumps "
    "about. The classic U of loss against the rate.",
    "knob.weight_decay": "weight decay",
    "knob.weight_decay_help": "Log-spaced: regularisation that pulls the weights towards zero.",
    "knob.dropout": "dropout",
    "knob.dropout_help": "The share of units switched off at random while training (0 to 0.9).",
    "knob.train_size": "train size",
    "knob.train_size_help": "The learning curve: how many train digits, doubling up to all of them. "
    'The chapter\'s "more data" remedy, drawn.',
    "knob.width": "width (× recipe)",
    "knob.width_help": "A factor on the model's widths: 0.5 makes the CNN's 4-8-16 channels 2-4-8, "
    "2 makes them 8-16-32. More parameters overfit sooner.",
    "knob.batch_size": "batch size",
    "knob.batch_size_help": "Digits per step: smaller batches take more, noisier steps per epoch.",
    "knob.epochs": "epochs",
    "knob.epochs_help": "Passes over the train digits.",
    "knob.optimizer": "optimizer",
    "knob.optimizer_help": "Names, comma-separated, from: {names}.",
    "knob.activation": "activation",
    "knob.activation_help": "Names, comma-separated, from: {names}.",
    "train.lr_find": "Find a learning rate",
    "train.lr_find_help": "The learning-rate range test (fastai's lr_find): one short run with the rate "
    "rising from 1e-6 to 1, batch by batch. The suggestion follows fastai's valley rule: two thirds of the "
    "way down the longest fall of the loss, well before it explodes.",
    "train.lr_find_run": "Run the range test",
    "train.lr_find_running": "Training 300 batches with a rising learning rate...",
    "train.lr_find_result": "Suggested learning rate: **{lr:.2g}** (fastai's valley rule{exploded}).",
    "train.lr_find_steepest": "The loss falls steepest at {lr:.2g} (the grey line). With Adam that "
    "trains well too; with SGD it can be too high for some seeds ever to learn.",
    "train.lr_find_exploded": "; the loss exploded at {lr:.2g}",
    "train.lr_find_none": "Too few batches trained to suggest a rate: {error}",
    "train.lr_find_use": "Use {lr:.2g}",
    "train.sweep_group": "Sweep {name}: {knob}, {values} values ({runs} runs)",
    "page.train": "Train",
    "page.errors": "Errors",
    "page.compare": "Compare",
    "page.inside": "Inside",
    "page.your_digit": "Your digit",
    "badge.last": "Last run: {status}, epoch {n} of {total}",
    "badge.training": "Training: epoch {n} of {total}",
    "badge.queued": "Queued: place {place} in line",
    "badge.sweep_last": "Last sweep: {status}, {n} of {total} epochs",
    "badge.sweep_training": "Sweep training: {n} of {total} epochs",
    "badge.sweep_queued": "Sweep queued: place {place} in line",
    "status.starting": "Starting",
    "status.running": "Running",
    "status.finished": "Finished",
    "status.stopped": "Stopped",
    "status.diverged": "Diverged",
    "status.failed": "Failed",
    "status.queued": "Queued",
    "status.interrupted": "Interrupted",
    "common.run": "Run",
    "common.replicate": "Seed",
    "common.replicate_label": "seed {k}: {n} epochs, final test loss {loss:.4f}, accuracy {accuracy:.1%}",
    "common.replicate_median": " (the median)",
    "common.replicate_help": "this run trained several seeds together; each is a model of its own. "
    "The one with the median final test loss is shown first, as a typical one.",
    "common.run_label": "{name}  ({digits}, {status}, {n} epochs, accuracy {accuracy:.1%})",
    "common.go_train": "Go to Train",
    "common.noted": "{n} run(s) read with a part left out: see why",
    "common.skipped": "{n} run folder(s) could not be read and are skipped",
    "common.data_error": "The run's data cannot be read: {error}",
    "common.runs_dir.not a folder": "Runs cannot be saved: the runs folder `{path}` cannot be made, "
    "because `{blocker}` is a file, not a folder. Set MNIST49_RUNS_DIR to a folder you can write "
    "to and start the app again.",
    "common.runs_dir.read-only": "Runs cannot be saved: `{blocker}` cannot be written to (the runs "
    "folder is `{path}`). Set MNIST49_RUNS_DIR to a folder you can write to and start the app again.",
    "common.disk_full": "Runs cannot be saved: the disk of the runs folder `{path}` has {free:,.1f} MB "
    "free, and this run writes up to {needed:,.1f} MB. Free some space (delete old runs), or set "
    "MNIST49_RUNS_DIR to a folder on another disk and start the app again.",
    "common.run_error": "This run cannot be shown: {error}. Pick another run above, or train again.",
    "common.not_finite": "The model's answer is not a number (NaN or infinite): its weights are "
    "broken, as after a diverged run. Pick another run above.",
    "common.augment": "Augmentation (per batch, off by default)",
    "common.augment_none": "none",
    "common.augment_help": "random rotation, shift, scale or elastic wobble, drawn anew for every "
    "batch: the chapter's 'more data' without new digits",
    "common.all": "all",
    "common.digits": "Digits to tell apart",
    "common.digits_link": "The link asks for the digits '{digits}', which are not among the choices (two "
    "digits, or all ten): 4 vs 9 is picked.",
    "common.digits_help": "4 vs 9 is the chapter's problem and ships with the app; any other pair, "
    "or all ten digits (softmax and cross-entropy), comes from full MNIST, "
    "downloaded once",
    "common.pair": "{a} vs {b}",
    "common.chapter": " (the chapter's)",
    "common.all_ten": "all ten digits (0-9)",
    "common.needs_mnist": "These digits come from full MNIST (about 12 MB), which is not in "
    "`{path}` yet. Download it once, or, without a network, copy the four "
    "MNIST IDX files (train-images-idx3-ubyte and the others, .gz or not) "
    "into that folder.",
    "common.download": "Download MNIST",
    "common.bad_mnist": "The MNIST files cannot be read: {error}. Delete the broken file and "
    "download again, or copy a good one in its place.",
    "common.downloading": "Downloading MNIST ...",
    "common.download_failed": "The download failed: {error}. Once the files are copied as said "
    "above, press Download MNIST again: it finds them and keeps the digits you picked.",
    # Samples
    "samples.caption": "The digits the model learns from: every 4 and 9 of MNIST (a 4 is the "
    "target 0.0, a 9 is 1.0), or the digits you pick below.",
    "samples.caption_picked": "The digits the model learns from: {digits}, from MNIST, as picked below.",
    "samples.split": "Split",
    "samples.train": "train",
    "samples.test": "test",
    "samples.digit": "Digit",
    "samples.count": "How many",
    "samples.reshuffle": "Reshuffle",
    "samples.reshuffle_help": "draw other digits (the seed goes up by one)",
    "samples.shown": "{n} of {total:,} {split} digits, drawn with seed {seed}; pixels shown 3x, "
    "without smoothing.",
    "samples.counts": "Class counts ({split})",
    "samples.counts_caption": "Close to balanced, so guessing scores about {baseline:.0%}: the "
    "baseline a model must beat.",
    "samples.means": "Mean image of each digit",
    "samples.mean": "mean {digit}",
    "samples.augmented": "What the model sees with augmentation",
    "samples.augment_hint": "Pick an augmentation to see ten random versions of the first digit "
    "above, as training would show them.",
    "samples.original": "original",
    # Train
    "train.caption": "The chapter's recipe is the default: the CNN, Adam at lr 0.004, 40 epochs "
    "on 2,000 digits. Change a knob, press Train, and watch the curves.",
    "train.model": "Model",
    "train.activation": "Activation",
    "train.dropout": "Dropout",
    "train.channels": "Conv channels",
    "train.channels_help": "output channels of the three conv stages",
    "train.hidden": "Hidden widths",
    "train.hidden_help": "widths of the MLP's hidden layers",
    "train.optimizer": "Optimizer",
    "train.lr": "Learning rate",
    "train.weight_decay": "Weight decay",
    "train.epochs": "Epochs",
    "train.train_size": "Train size (of {n:,})",
    "train.test_size": "Test size (of {n:,})",
    "train.batch_size": "Batch size",
    "train.seed": "Seed",
    "train.seed_help": "picks the digits; seed k of several also picks that replicate's initial weights, "
    "batch order and random draws (seed + k)",
    "train.seeds": "Seeds",
    "train.seeds_help": "how many times to train the same settings, each from its own random start, "
    "all at once: the spread between them shows how large the noise is",
    "train.vary_data": "Each seed its own train digits",
    "train.vary_data_help": "off: every seed learns from the same train digits, so only the random start "
    "differs; on: each also draws its own train sample. The test digits are always shared.",
    "train.show_seeds": "Show single seeds",
    "train.show_seeds_help": "draw each seed's curves as thin lines around the mean",
    "train.cuda": "Training runs on the GPU here ({name}). Seeds are nearly free on a GPU: they train "
    "together as one batched model, and on an NVIDIA H200 10 seeds of the recipe took 1.23 times the "
    "time of one (measured for issue 27). So this page starts with {seeds} seeds here, not {cpu_seeds}.",
    "train.zoom": "Zoom in on the lowest test loss",
    "train.zoom_help": "the epochs around the lowest test loss, on a loss axis that spans the test loss "
    "there: a rise too small to see on the whole chart shows (the train loss may drop below it). On "
    "when the reading says overfitting",
    "train.spread": "The {seeds} seeds differ by up to {points:.1f} points of final test accuracy: smaller "
    "differences between settings are noise here.",
    "train.seeds_disagree": "The seeds do not read the same: {situations}. The reading below is of the mean "
    "curves.",
    "situation.not learning": "not learning",
    "situation.at baseline": "at the baseline",
    "situation.overfitting": "overfitting",
    "situation.still learning": "still learning",
    "situation.no history": "no epoch yet",
    "train.bad_channels": "Conv channels must be three whole numbers of 1 or more, separated by "
    "commas, like 4, 8, 16; got {text!r}.",
    "train.bad_hidden": "Hidden widths must be one or more whole numbers of 1 or more, separated "
    "by commas, like 128, 64; got {text!r}.",
    "train.busy": "The server is busy: {n} runs are already waiting (the most is {cap}). Try again "
    "in a few minutes.",
    "train.cluster": "Cannot train on the Ray cluster this app is set to (MNIST49_RAY_ADDRESS): "
    "{error}. Start the cluster, or unset MNIST49_RAY_ADDRESS to train on this machine.",
    "train.bad_config": "{error}. Change the setting above to train.",
    "train.summary": "Layer summary: {n} parameters, shapes for one 28x28 digit",
    "train.big": "A large model: {n:,} parameters, {times:,.0f} times the recipe's. One epoch of its "
    "{seeds} seed(s) takes roughly {seconds:,.0f} s here (estimated from its size), so the run about "
    "{minutes:,.0f} min.",
    "train.size_cut": "The link asks for {name} {size:,}, more than the {n:,} digits of this problem; "
    "using {n:,}.",
    "train.too_big": "This model is too large to train here: {n:,} parameters, about {gb:,.1f} GB "
    "while training its {seeds} seed(s), more than this machine's {memory:,.1f} GB of memory. Use "
    "fewer or smaller widths, or fewer seeds.",
    "train.train": "Train",
    "train.stop": "Stop",
    "train.cancel": "Cancel",
    "train.press_train": "Press **Train** to start a run; its curves appear here as it learns.",
    "train.ended": "**{status}** after {n} of {total} epochs",
    "train.running": "**Running**: epoch {n} of {total}",
    "train.left": ", about {seconds:.0f} s left",
    "train.batch": " (batch {done} of {batches} in epoch {epoch})",
    "train.queued": "**Queued**: place {place} in line; it starts by itself. Cancel takes it out.",
    "train.queue_wait": " About {seconds:.0f} s to wait.",
    "train.starting": "**Starting**: the training process is getting ready (a few seconds).",
    "train.why.user": "stopped by you",
    "train.why.gone": "the app went away",
    "train.why.abandoned": "nobody watched it for {seconds:.0f} s: was the tab closed?",
    "train.why.diverged": "the loss became NaN or infinite in epoch {epoch}",
    "train.why.cancelled": "cancelled before it started",
    "train.why.interrupted": "interrupted ({signal})",
    "train.why.died": "the training process ended unexpectedly (exit code {code})",
    "train.why.lost": "the process training it (pid {pid} on {host}) is gone",
    "train.why.silent": "no sign of life from its process for {seconds:.0f} s",
    "train.why.ahead": "its last sign of life is dated {seconds:,.0f} s ahead of this machine's clock, "
    "and no process here is training it",
    "train.hardest": "**Hardest test digits** right now: the model's guess and how sure it is, "
    "least sure first",
    "train.final_accuracy": "Final test accuracy",
    "train.vs_baseline": "{delta:+.1%} vs {baseline:.0%} baseline",
    "train.best_accuracy": "Best test accuracy",
    "train.at_epoch": "epoch {epoch}",
    "train.at_epochs": "epochs {first}-{last}",
    "train.lowest_loss_help": "Each seed's own lowest test loss, wherever it fell: their mean ± sd. The "
    "lowest point of the mean curve is higher, as the seeds reach their lowest at different epochs.",
    "train.lowest_loss": "Lowest test loss",
    "train.final_train_loss": "Final train loss",
    "train.try_this": "**Try this** (fills in the settings above; then press Train):",
    "train.tried": "Settings changed: {changes}. Press Train to run the experiment.",
    "train.share": "Share",
    "train.versus": "**Did the remedy help?** This run against the run it came from ({before}):",
    "train.versus_before": "the run before",
    "train.versus_remedy": "the remedy",
    "train.share_link": "These settings as a link: whoever opens it sees the same settings.",
    "train.share_cli": "The same run from the command line:",
    "train.bad_link": "The link has a setting that cannot be used, so it is left at its default: {problem}.",
    "train.runs": "Runs",
    "train.no_runs": "No runs yet in `{path}`.",
    "train.download_of": "Download the files of",
    "train.history_csv": "History (CSV)",
    "train.weights": "Weights (.pt)",
    "train.no_weights": "this run saved no weights",
    "train.code": "Code: this run as a training script",
    "train.code_caption": "One Python file in the chapter's style, needing only torch, torchvision "
    "and numpy. It reads MNIST from ./data (downloading it the first time; --data to change it) and "
    "reproduces this run: the same digits, initial weights and batches, and so the same figures.",
    "train.code_download": "Download the script (.py)",
    "train.code_unfinished": "The training script of a run is offered once the run has finished.",
    "train.code_seed": "One Python file in the chapter's style, needing only torch, torchvision and "
    "numpy, that trains the seed picked above alone. It reads MNIST from ./data "
    "(downloading it the first time; --data to change it). It gives exactly the figures of seed {k} "
    "trained alone. This run trained its {seeds} seeds together as one batched model, which rounds a "
    "little differently: its seed {k} has the same figures for the first epochs, then may drift "
    "within seed noise. The run's own curves are the mean of its seeds.",
    "train.col.run": "run",
    "train.col.status": "status",
    "train.col.digits": "digits",
    "train.col.model": "model",
    "train.col.epochs": "epochs",
    "train.col.accuracy": "final test accuracy",
    "train.col.loss": "lowest test loss",
    "train.col.optimizer": "optimizer",
    "train.col.lr": "lr",
    "train.col.train_size": "train size",
    "train.col.started": "started",
    # Errors
    "errors.caption": "The test digits the model gets wrong, most confidently wrong first.",
    "errors.no_run": "No finished run to study yet. Train one on the **Train** page, then come back.",
    "errors.epoch": "Epoch",
    "errors.epoch_help": "replay: the predictions as they were after this epoch",
    "errors.threshold": "Threshold on p({digit})",
    "errors.threshold_help": "p({digit}) at or above it counts as a {digit}",
    "errors.most_likely": "With more than two digits, the model's answer is its most likely digit.",
    "errors.true_digit": "True digit",
    "errors.saliency": "Saliency",
    "errors.saliency_help": "colour the pixels that move the model's answer most (final weights)",
    "errors.show": "Show",
    "errors.show_help": "or click a cell of the confusion matrix",
    "errors.cell.all": "all errors",
    "errors.cell": "true {true}, predicted {predicted}",
    "errors.count": "**{n} errors** out of {total} test digits: accuracy **{accuracy:.1%}**",
    "errors.at_threshold": " at threshold {threshold:.2f}",
    "errors.confusion": "**Confusion matrix**, {view} (click a cell)",
    "errors.histogram": "**p({b}) for true {a}s and true {b}s**, {view}, threshold in black",
    "errors.confidence": "**How sure the model is**, when right and when wrong, {view}",
    "errors.p_true": "p(true {digit})",
    "errors.errors": "Errors: {n}",
    "errors.cell_title": "True {true}, predicted {predicted}: {n}",
    "errors.none": "None at this threshold and filter.",
    "errors.gallery_caption": "Each digit: true label > the model's answer, and its probability.",
    "errors.first_shown": " The first {n} are shown.",
    "errors.one_digit": "One digit across the epochs",
    "errors.digit": "Digit",
    "errors.digit_label": "test digit #{index} (true {true}, predicted {predicted}, {confidence:.0%} sure)",
    "errors.flip": "Its prediction last changed at epoch {epoch}.",
    "errors.no_flip": "Its prediction never changed.",
    "errors.view": "View",
    "errors.view_help": "pooled: each test digit's probabilities averaged over the seeds, and how many "
    "seeds got it wrong; or one seed's model on its own",
    "errors.pooled": "Pooled (all {n} seeds)",
    "errors.view_pooled": "pooled over {n} seeds",
    "errors.view_seed": "seed {k}",
    "errors.of_view": " ({view})",
    "errors.no_pooled_replay": "The seeds ran different numbers of epochs, so the pooled view has no "
    "replay; pick one seed to replay it.",
    "errors.threshold_view": " (here: {view})",
    "errors.filter": "Digits",
    "errors.filter_help": "wrong in every seed: hard or mislabelled digits; in only some: the "
    "model's noise; questioned: the digits whose label MNIST's reviewers doubted",
    "errors.filter.all": "all",
    "errors.filter.every": "wrong in every seed",
    "errors.filter.some": "in some seeds",
    "errors.filter.questioned": "questioned by reviewers",
    "errors.split": "**{every}** digits are wrong in every seed: they are hard or mislabelled. "
    "**{some}** are wrong in only some of the {n} seeds: that is the model's noise, not the digit.",
    "errors.wrong_in": "wrong in {k} of {n} seeds",
    "errors.gallery_k_of_n": " Pooled: the mean probability over the seeds; k/{n}: wrong in k of "
    "the {n} seeds.",
    "errors.replay_pooled": " (the mean over {n} seeds)",
    "errors.reviewed": "People reviewed {n} of these digits' labels (Northcutt et al., 2021):",
    "review.error": "Label error: {n} of {total} reviewers read it as {digit}",
    "review.split": "Reviewers split ({votes})",
    "review.kept": "Reviewers kept the label",
    # Compare
    "compare.caption": "Pick runs to lay their curves over each other: a colour per run, solid "
    "train loss, dashed test loss, dotted test accuracy (right axis).",
    "compare.too_few": "Comparing needs at least two runs with finished epochs. Train some on the "
    "**Train** page (the **Try this** buttons make good pairs).",
    "compare.runs": "Runs",
    "compare.choose_two": "Choose at least two runs.",
    "compare.differ": "Settings that differ",
    "compare.verdicts": "Is the difference real?",
    "compare.verdicts_caption": "Seeds differ by chance, and so do runs: each pair below is tested "
    "against that noise. Final test accuracy and lowest test loss against the spread of each run's "
    "seeds (Welch's 95% interval); the test digits only one of the two classifies correctly, against "
    "chance (McNemar's exact test, or a sign test over the digits when the runs have several seeds).",
    "compare.pair": "**{b}** against **{a}**",
    "compare.same": "None: the runs used the same settings.",
    "compare.split": "Digits one run gets right and the other wrong ({a} vs {b})",
    "compare.split_basis": "Counted on each run's median seed (its seed with the median final test "
    "loss), the seed whose files the other pages show. The verdict above counts the digits of every "
    "seed, so its numbers differ from these.",
    "compare.not_same_digits": "These two runs were not tested on the same digits (the digits, "
    "test size or seed differ), so their answers cannot be set side "
    "by side.",
    "compare.agree": "None: both runs are right and wrong on the same digits.",
    "compare.right_in": "**Right in {right}, wrong in {wrong}: {n}**",
    "compare.gallery_caption": "Each digit: its true label, then what {a} / {b} answered.",
    # Inside
    "inside.caption": "What the trained CNN computes for one digit: each stage's feature maps and "
    "shape, the 3x3 kernels it learned, and which pixels move its answer most.",
    "inside.no_cnn": "No trained CNN yet. Train one on the **Train** page, then come back.",
    "inside.digit": "Test digit (errors first)",
    "inside.digit_label": "#{index}: true {true}, predicted {predicted} ({confidence:.0%})",
    "inside.wrong": " (wrong)",
    "inside.saliency": "Saliency",
    "inside.saliency_caption": "Red: pixels where a small change moves the logit most (|d logit / d pixel|).",
    "inside.maps": "Feature maps",
    "inside.input": "input: 1x28x28",
    "inside.stage": "**{name}** -> {shape}",
    "inside.kernels": "Learned kernels",
    "inside.kernel_layer": "**conv {i}**: {out} kernels of {inp}x3x3",
    "inside.kernel_rows": " (a row per output channel)",
    "inside.kernel_dark": "; dark = large weight",
    # Your digit
    "own.caption": "Draw a digit with the mouse (or a finger), or upload a photo or drawing of one "
    "(PNG or JPEG, any size, light or dark background). It is made into a 28x28 digit the way "
    "MNIST's were: cropped to its ink, scaled to fit 20x20, and centred on its centre of mass.",
    "own.no_model": "No trained model yet. Train one on the **Train** page, then come back.",
    "own.upload": "Or upload a picture of a digit",
    "own.picture": "**Your picture**",
    "own.sees": "**What the model sees** (28x28)",
    "own.saliency": "**Saliency**",
    "own.says": "The model says",
    "own.sure": "{sure:.0%} sure. A model of {digits} can only answer one of those digits, "
    "whatever the picture.",
    "own.little_ink": "Very little ink was found; a thicker pen usually reads better.",
    "own.draw": "**Draw a digit**",
    "own.draw_help": "The answer follows every stroke. The toolbar above the box undoes a stroke "
    "(arrow) or clears the box (bin). Try turning a 4 into a 9 by closing its top.",
    "own.drawing_first": "Showing your drawing; clear the box to see the uploaded picture.",
    "own.empty": "The box is empty: draw a digit (or upload a picture) and the model's answer appears here.",
    "own.nearest": "**The training digits nearest to it** (pixel distance of the 28x28 images; "
    "label and distance under each): the examples this model learned from that look most like yours.",
    "augment.rotate": "rotate",
    "augment.shift": "shift",
    "augment.scale": "scale",
    "augment.elastic": "elastic",
    "summary.layer": "layer",
    "summary.output shape": "output shape",
    "summary.params": "params",
    "compare.setting": "setting",
    "field.model": "model",
    "field.channels": "channels",
    "field.hidden": "hidden units",
    "field.activation": "activation",
    "field.dropout": "dropout",
    "field.digits": "digits",
    "field.train_size": "train digits",
    "field.test_size": "test digits",
    "field.batch_size": "batch size",
    "field.epochs": "epochs",
    "field.optimizer": "optimizer",
    "field.lr": "learning rate",
    "field.weight_decay": "weight decay",
    "field.augment": "augmentation",
    "field.seed": "seed",
    "field.seeds": "seeds",
    "field.vary_data": "each seed its own data",
    "field.replicate": "replicate",
    "field.device": "device",
    "field.data": "data folder",
    "field.exclude": "train digits left out",
    "remedy.what.channels": "channels",
    "remedy.what.hidden": "hidden units",
    "stage.conv": "conv {n}",
    "stage.activation": "activation {n}",
    "stage.pool": "pool {n}",
}
EN |= {f"chart.{k}": v for k, v in charts.LABELS.items()}
EN |= {f"reading.{k}": v for k, v in diagnose.READINGS.items()}
EN |= {f"remedy.{k}": v for k, v in diagnose.REMEDIES.items()}
EN |= {f"verdict.{k}": v for k, v in stats.VERDICTS.items()}
EN |= {f"test.{k}": v for k, v in stats.TESTS.items()}
EN |= {f"own.error.{k}": v for k, v in own.MESSAGES.items()}
EN |= {f"export.error.{k}": v for k, v in export.MESSAGES.items()}

# The Label check page
EN |= {
    "page.labels": "Label check",
    "labels.caption": "Are some train labels wrong? Each train digit is predicted by a model that never "
    "saw it (K-fold cross-validation), and cleanlab's confident learning (Northcutt, Jiang and Chuang, "
    "JAIR 2021) lists the labels those models doubt.",
    "labels.folds": "Folds (K)",
    "labels.folds_help": "The train digits are split into K parts. K models, trained together as one "
    "batched model, each learn from the other K-1 parts and predict the part they never saw.",
    "labels.what": "Checks the {n:,} train digits of **{run}** with its settings ({epochs} epochs for each "
    "fold). It trains, about as long as a run of {folds} seeds.",
    "labels.check": "Check the train labels",
    "labels.not_checked": "Not checked yet with these settings.",
    "labels.starting": "Starting the check…",
    "labels.checking": "Checking: epoch {n} of {total} ({folds} folds together)",
    "labels.stop": "Stop the check",
    "labels.stopped": "The check was stopped before it finished.",
    "labels.failed": "The check failed: {error}",
    "labels.none": "cleanlab finds no suspect label among the {n:,} train digits.",
    "labels.found": "**{n} suspect labels** among the {total:,} train digits ({folds} folds, "
    "{seconds:.0f} s), most suspect first.",
    "labels.gallery_caption": "Each digit: its label > the digit the model that never saw it reads, then "
    "that model's probability of it.",
    "labels.first_shown": " The first {n} are drawn; the table lists them all.",
    "labels.col.digit": "Digit",
    "labels.col.index": "Train index",
    "labels.col.label": "Label",
    "labels.col.suggested": "Model reads",
    "labels.col.p_suggested": "Probability (out of fold)",
    "labels.col.quality": "Label quality",
    "labels.p_help": "The probability of the digit the model reads, from the fold's model that never saw "
    "this digit.",
    "labels.quality_help": "cleanlab's label quality: 0 = surely wrong, 1 = surely right (its "
    "self-confidence: the out-of-fold probability of the given label).",
    "labels.without": "Train without them",
    "labels.without_help": "Trains the settings of **{run}** again with these {n} digits left out (each "
    "one's place taken by the next digit of the same seeded draw), then says whether that beats the run "
    "they came from, beyond seed noise.",
    "labels.without_busy": "A run of this tab is training: wait for it to end, or stop it on Train.",
    "labels.without_queued": "Training without the suspects: waiting for a free place.",
    "labels.without_running": "Training without the {n} suspects: epoch {k} of {total}.",
    "labels.see_train": "Watch it on Train",
    "labels.without_ended": "The run without them ended: {status}. {why}",
    "labels.versus": "**Did leaving them out help?** {child} against {parent}, the run they came from:",
    "labels.versus_before": "the run with them",
    "labels.versus_after": "the run without them",
    "badge.labels": "Checking train labels: epoch {n} of {total}",
}

JA = {
    "page.samples": "サンプル",
    "page.sweep": "スイープ",
    "compare.sweep": "スイープの全実行",
    "compare.sweep_placeholder": "値を比べるスイープを選ぶ",
    "sweep.caption": "1 つのつまみを複数の値で回し、それぞれを複数のシードで学習します（1 つのまとめた"
    "モデルに収まる値は同時に）。グラフが「このつまみは何をするのか」に答えます: 値ごとの最終テスト"
    "正解率と最小テスト損失、シードのばらつきを帯で。",
    "sweep.base": "**基準:** 学習ページの設定: `{settings}`",
    "sweep.recipe": "本章のレシピ",
    "sweep.change_base": "学習ページで変更",
    "sweep.bad_base": "学習ページの設定では学習できません: {error}",
    "sweep.fix_base": "学習ページで直す",
    "sweep.knob": "つまみ",
    "sweep.knob_help": "回す設定。学習率・重み減衰・ドロップアウトはすべての値を 1 つのまとめたモデルで"
    "同時に学習し、それ以外は値を 1 つずつ順に学習します。",
    "sweep.values": "値（カンマ区切り）",
    "sweep.bad": "このスイープは学習できません: {error}。値を変えてもう一度どうぞ。",
    "sweep.together": "すべての値を同時に学習",
    "sweep.in_turn": "値を 1 つずつ順に学習（各値のシードは同時に）",
    "sweep.plan": "{values} 個の値 × {seeds} シード = {runs} 回の学習。{how}。",
    "sweep.train": "スイープを学習",
    "sweep.progress_together": "学習中: {epochs} エポック中 {epoch}（{values} 個の値を同時に）",
    "sweep.progress_in_turn": "学習中: {values} 個の値の {value} 番目、{epochs} エポック中 {epoch}",
    "sweep.ended": "スイープ: {status}",
    "sweep.results": "結果",
    "sweep.results_later": "スイープが終わると、ここにつまみのグラフが出ます。",
    "sweep.none_yet": "スイープはまだありません。上でつまみを選び「スイープを学習」を押してください。",
    "sweep.pick": "スイープ",
    "sweep.label": "{knob}、{values} 個の値 × {seeds} シード、{started} 開始（{status}）",
    "sweep.nothing": "このスイープで 1 エポックを終えた値がないため、描くものがありません。",
    "sweep.chart_caption": "線: シードの平均、帯: 最も低いシードから最も高いシードまで、"
    "ひし形: 最良の値（平均最終テスト正解率が最も高いもの。同じならテスト損失の低いもの）。",
    "sweep.best": "**最良の{knob}: {value}**（平均が最も高い値）。最終テスト正解率 {accuracy:.1%} ± "
    "{sd:.1%}、最小テスト損失 {loss:.4f} ± {loss_sd:.4f}（シードごとの最小値の、{seeds} シードでの平均と"
    "標準偏差）。シードのばらつきを超えて隣の値より"
    "よいのでしょうか。",
    "sweep.unfinished": "最後まで学習しなかったため順位から外した値（値: 終えたエポック）: {values}。",
    "sweep.best_unfinished": "最後まで学習した値がないため、この最良は途中で止まった値の中でのものです"
    "（値: 終えたエポック）: {values}。全体を比べるにはスイープをもう一度学習してください。",
    "sweep.one_seed": "値ごとにシードが 1 つでは、差と比べるシードのばらつきを測れません。"
    "最良の値を信じる前に 3 シード以上にしましょう。",
    "sweep.use": "{knob} = {value} を学習ページで使う",
    "sweep.table": "数値",
    "knob.lr": "学習率",
    "knob.lr_help": "本章の 0.004 の前後を対数間隔で。低すぎると学習が遅く、高すぎると跳ね回ります。"
    "学習率に対する損失の典型的な U 字です。",
    "knob.weight_decay": "重み減衰",
    "knob.weight_decay_help": "対数間隔で: 重みを 0 に引き寄せる正則化です。",
    "knob.dropout": "ドロップアウト",
    "knob.dropout_help": "学習中にランダムに止めるユニットの割合（0 から 0.9）。",
    "knob.train_size": "訓練データ数",
    "knob.train_size_help": "学習曲線: 訓練画像の数を全部まで倍々に。本章の「データを増やす」を"
    "グラフにしたものです。",
    "knob.width": "幅（レシピの倍率）",
    "knob.width_help": "モデルの幅にかける倍率: 0.5 で CNN のチャネル 4-8-16 が 2-4-8、2 で 8-16-32 "
    "になります。パラメータが多いほど早く過学習します。",
    "knob.batch_size": "バッチサイズ",
    "knob.batch_size_help": "1 ステップの画像数: 小さいほど 1 エポックのステップが多く、ノイズも大きく"
    "なります。",
    "knob.epochs": "エポック数",
    "knob.epochs_help": "訓練画像を何周するか。",
    "knob.optimizer": "最適化手法",
    "knob.optimizer_help": "名前（カンマ区切り）: {names}。",
    "knob.activation": "活性化関数",
    "knob.activation_help": "名前（カンマ区切り）: {names}。",
    "train.lr_find": "学習率を探す",
    "train.lr_find_help": "学習率の範囲テスト（fastai の lr_find）: 学習率を 1e-6 から 1 までバッチごとに"
    "上げながら短く学習します。おすすめは fastai の valley 規則によるもので、損失が下がり続ける最も長い区間の"
    "約 3 分の 2 の位置、損失が発散するよりずっと手前です。",
    "train.lr_find_run": "範囲テストを実行",
    "train.lr_find_running": "学習率を上げながら 300 バッチ学習しています...",
    "train.lr_find_result": "おすすめの学習率: **{lr:.2g}**（fastai の valley 規則{exploded}）。",
    "train.lr_find_steepest": "損失が最も急に下がるのは {lr:.2g} です（灰色の線）。Adam ならそこでもよく学習"
    "しますが、SGD では高すぎて、学習しないシードが出ることがあります。",
    "train.lr_find_exploded": "。損失は {lr:.2g} で発散しました",
    "train.lr_find_none": "学習したバッチが少なすぎて、学習率を提案できません: {error}",
    "train.lr_find_use": "{lr:.2g} を使う",
    "train.sweep_group": "スイープ {name}: {knob}、{values} 個の値（{runs} 回の学習）",
    "chart.final_accuracy": "最終テスト正解率",
    "chart.lowest_loss": "最小テスト損失",
    "chart.best": "最良",
    "chart.lr": "学習率",
    "chart.smoothed_loss": "損失（平滑化）",
    "chart.suggested": "おすすめ {lr:.2g}",
    "chart.steepest": "最急 {lr:.2g}",
    "page.train": "学習",
    "page.errors": "誤り",
    "page.compare": "比較",
    "page.inside": "CNNの中",
    "page.your_digit": "あなたの数字",
    "badge.last": "前回の学習: {status}、エポック {n} / {total}",
    "badge.training": "学習中: エポック {n} / {total}",
    "badge.queued": "順番待ち: {place} 番目",
    "badge.sweep_last": "前回のスイープ: {status}、{total} エポック中 {n}",
    "badge.sweep_training": "スイープ学習中: {total} エポック中 {n}",
    "badge.sweep_queued": "スイープ順番待ち: {place} 番目",
    "status.starting": "開始中",
    "status.running": "実行中",
    "status.finished": "完了",
    "status.stopped": "停止",
    "status.diverged": "発散",
    "status.failed": "失敗",
    "status.queued": "順番待ち",
    "status.interrupted": "中断",
    "common.run": "実行",
    "common.replicate": "シード",
    "common.replicate_label": "シード {k}: {n} エポック、最終テスト損失 {loss:.4f}、正解率 {accuracy:.1%}",
    "common.replicate_median": "（中央値）",
    "common.replicate_help": "この実行は複数のシードを同時に学習しました。それぞれが別のモデルです。"
    "最終テスト損失が中央値のシードを、典型的なものとして最初に表示します。",
    "common.run_label": "{name}  （{digits}、{status}、{n} エポック、正解率 {accuracy:.1%}）",
    "common.go_train": "学習ページへ",
    "common.noted": "{n} 件の実行は一部を除いて読み込みました: 理由を見る",
    "common.skipped": "読めない実行フォルダが {n} 個あり、飛ばしました",
    "common.data_error": "この実行のデータを読めません: {error}",
    "common.runs_dir.not a folder": "実行を保存できません: `{blocker}` がフォルダーではなくファイルなので、"
    "実行フォルダー `{path}` を作れません。MNIST49_RUNS_DIR に書き込めるフォルダーを設定して、"
    "アプリを起動し直してください。",
    "common.runs_dir.read-only": "実行を保存できません: `{blocker}` に書き込めません（実行フォルダーは "
    "`{path}`）。MNIST49_RUNS_DIR に書き込めるフォルダーを設定して、アプリを起動し直してください。",
    "common.disk_full": "実行を保存できません: 実行フォルダー `{path}` のディスクの空きは {free:,.1f} MB "
    "で、この実行は最大 {needed:,.1f} MB を書き込みます。空きを作る（古い実行を消す）か、MNIST49_RUNS_DIR "
    "に別のディスクのフォルダーを設定して、アプリを起動し直してください。",
    "common.run_error": "この実行は表示できません: {error}。上で別の実行を選ぶか、もう一度学習してください。",
    "common.not_finite": "モデルの答えが数値になりません（NaN か無限大）。発散した実行のように重みが壊れて"
    "います。上で別の実行を選んでください。",
    "common.augment": "データ拡張（バッチごと、初期値はオフ）",
    "common.augment_none": "なし",
    "common.augment_help": "回転・平行移動・拡大縮小・弾性変形をバッチごとに新しく乱数で適用します。"
    "新しい数字なしで「データを増やす」方法です",
    "common.all": "すべて",
    "common.digits": "見分ける数字",
    "common.digits_link": "リンクの数字「{digits}」は選べる組み合わせ（2 つの数字か 10 個すべて）に"
    "ありません。4 と 9 を選びました。",
    "common.digits_help": "4 と 9 は本章の問題で、アプリに同梱されています。ほかの 2 つの数字や 10 個"
    "すべて（ソフトマックスと交差エントロピー）は、一度だけダウンロードする完全"
    "な MNIST を使います",
    "common.pair": "{a} と {b}",
    "common.chapter": "（本章の問題）",
    "common.all_ten": "10 個すべての数字（0-9）",
    "common.needs_mnist": "これらの数字には完全な MNIST（約 12 MB）が必要ですが、まだ `{path}` に"
    "ありません。一度ダウンロードするか、ネットワークがなければ MNIST の IDX "
    "ファイル 4 つ（train-images-idx3-ubyte など、.gz でも可）をそのフォルダに"
    "コピーしてください。",
    "common.download": "MNIST をダウンロード",
    "common.bad_mnist": "MNIST のファイルを読めません: {error}。壊れたファイルを削除してダウンロード"
    "し直すか、正しいファイルをその場所にコピーしてください。",
    "common.downloading": "MNIST をダウンロード中 ...",
    "common.download_failed": "ダウンロードに失敗しました: {error}。上のとおりファイルをコピーしたら、"
    "もう一度「MNIST をダウンロード」を押してください。ファイルを見つけ、選んだ数字はそのままです。",
    "samples.caption": "モデルが学ぶ数字: MNIST のすべての 4 と 9（4 の目標値は 0.0、9 は 1.0）、"
    "または下で選んだ数字です。",
    "samples.caption_picked": "モデルが学ぶ数字: 下で選んだ MNIST の {digits}。",
    "samples.split": "データ",
    "samples.train": "訓練",
    "samples.test": "テスト",
    "samples.digit": "数字",
    "samples.count": "表示数",
    "samples.reshuffle": "引き直す",
    "samples.reshuffle_help": "別の数字を選びます（シードが 1 増えます）",
    "samples.shown": "{split}データ {total:,} 個のうち {n} 個（シード {seed}）。画素は 3 倍、"
    "補間なしで表示。",
    "samples.counts": "クラスごとの数（{split}）",
    "samples.counts_caption": "ほぼ同数なので、当てずっぽうでも約 {baseline:.0%} 当たります。"
    "これがモデルの超えるべきベースラインです。",
    "samples.means": "数字ごとの平均画像",
    "samples.mean": "{digit} の平均",
    "samples.augmented": "データ拡張したときにモデルが見るもの",
    "samples.augment_hint": "データ拡張を選ぶと、上の最初の数字を学習時と同じように"
    "ランダムに変えた 10 通りを表示します。",
    "samples.original": "元の画像",
    "train.caption": "初期値は本章のレシピです: CNN、Adam（学習率 0.004）、2,000 個の数字で "
    "40 エポック。設定を変えて「学習」を押し、曲線を見てください。",
    "train.model": "モデル",
    "train.activation": "活性化関数",
    "train.dropout": "ドロップアウト",
    "train.channels": "畳み込みのチャネル数",
    "train.channels_help": "3 つの畳み込み段の出力チャネル数",
    "train.hidden": "隠れ層の幅",
    "train.hidden_help": "MLP の隠れ層のユニット数",
    "train.optimizer": "最適化手法",
    "train.lr": "学習率",
    "train.weight_decay": "重み減衰",
    "train.epochs": "エポック数",
    "train.train_size": "訓練データ数（最大 {n:,}）",
    "train.test_size": "テストデータ数（最大 {n:,}）",
    "train.batch_size": "バッチサイズ",
    "train.seed": "シード",
    "train.seed_help": "使う数字を決めます。複数シードの k 番目は、その重"
    "みの初期値・バッチの順番・乱数も決めます（シード +"
    " k）",
    "train.seeds": "シード数",
    "train.seeds_help": "同じ設定を、それぞれ別の乱数から何回学習するか（同"
    "時に学習します）。ばらつきの大きさがノイズの大きさ"
    "です",
    "train.vary_data": "シードごとに訓練データを変える",
    "train.vary_data_help": "オフ: どのシードも同じ訓練データで学習し、違うのは"
    "乱数の初期値だけです。オン: 訓練データもシードごと"
    "に選び直します。テストデータは常に共通です。",
    "train.show_seeds": "各シードの曲線も表示",
    "train.show_seeds_help": "シードごとの曲線を平均の周りに細い線で描きます",
    "train.cuda": "ここでは GPU（{name}）で学習します。GPU ではシードはほとんど"
    "時間を取りません: 全シードを 1 つのまとめたモデルとして同時に学習し、NVIDIA "
    "H200 ではレシピの 10 シードが 1 シードの 1.23 倍の時間で済みました（issue 27 "
    "での計測）。そのため、このページはここでは {cpu_seeds} ではなく {seeds} シードから始めます。",
    "train.zoom": "最小テスト損失のあたりを拡大",
    "train.zoom_help": "最小テスト損失の前後のエポックを、そこでのテスト損失に合わせた損失の軸で描きます。"
    "全体のグラフでは見えない小さな上昇が見えます（訓練損失は下にはみ出すことがあります）。読み取りが"
    "過学習のときはオン",
    "train.spread": "{seeds} 個のシードの最終テスト正解率は最大 {points"
    ":.1f} ポイント違います。設定どうしの差がこれより小"
    "さければ、ここではノイズです。",
    "train.seeds_disagree": "シードによって読み取りが違います: {situations}。下"
    "の読み取りは平均の曲線についてです。",
    "situation.not learning": "学習していない",
    "situation.at baseline": "ベースラインのまま",
    "situation.overfitting": "過学習",
    "situation.still learning": "まだ学習中",
    "situation.no history": "まだエポックなし",
    "train.bad_channels": "畳み込みのチャネル数は 4, 8, 16 のように、1 以上の整数 3 つをカンマ区切りで"
    "入力してください（入力: {text!r}）。",
    "train.bad_hidden": "隠れ層の幅は 128, 64 のように、1 以上の整数 1 つ以上をカンマ区切りで入力して"
    "ください（入力: {text!r}）。",
    "train.busy": "サーバーが混み合っています: すでに {n} 件が順番を待っています（上限 {cap} 件）。"
    "数分後にもう一度試してください。",
    "train.cluster": "この app に設定された Ray クラスター（MNIST49_RAY_ADDRESS）で学習できません: "
    "{error}。クラスターを起動するか、MNIST49_RAY_ADDRESS を外してこのマシンで学習してください。",
    "train.bad_config": "{error}。上の設定を直すと学習できます。",
    "train.summary": "層の一覧: パラメータ {n} 個、28x28 の数字 1 つに対する形",
    "train.big": "大きなモデルです: パラメータ {n:,} 個で、レシピの {times:,.0f} 倍です。ここでは "
    "{seeds} シードの 1 エポックにおよそ {seconds:,.0f} 秒（大きさからの見積もり）、実行全体で約 "
    "{minutes:,.0f} 分かかります。",
    "train.size_cut": "リンクの {name} は {size:,} ですが、この問題の数字は {n:,} 個しかありません。"
    "{n:,} を使います。",
    "train.too_big": "このモデルは大きすぎてここでは学習できません: パラメータ {n:,} 個で、{seeds} "
    "シードの学習中に約 {gb:,.1f} GB 必要となり、このマシンのメモリ {memory:,.1f} GB を超えます。"
    "幅を小さく・少なくするか、シードを減らしてください。",
    "train.train": "学習",
    "train.stop": "停止",
    "train.cancel": "取り消し",
    "train.press_train": "「**学習**」を押すと実行が始まり、学習の様子が曲線でここに表示されます。",
    "train.ended": "**{status}**（{total} エポック中 {n} エポック）",
    "train.running": "**実行中**: エポック {n} / {total}",
    "train.left": "、残り約 {seconds:.0f} 秒",
    "train.batch": "（エポック {epoch} のバッチ {done} / {batches}）",
    "train.queued": "**順番待ち**: {place} 番目です。順番が来ると自動で始まります。「取り消し」で"
    "列から外せます。",
    "train.queue_wait": "待ち時間は約 {seconds:.0f} 秒です。",
    "train.starting": "**開始中**: 学習用のプロセスを準備しています（数秒かかります）。",
    "train.why.user": "あなたが止めました",
    "train.why.gone": "アプリとの接続が切れました",
    "train.why.abandoned": "{seconds:.0f} 秒間だれも見ていませんでした。タブを閉じましたか？",
    "train.why.diverged": "エポック {epoch} で損失が NaN か無限大になりました",
    "train.why.cancelled": "始まる前に取り消されました",
    "train.why.interrupted": "中断されました（{signal}）",
    "train.why.died": "学習用のプロセスが突然終了しました（終了コード {code}）",
    "train.why.lost": "学習していたプロセス（{host} の pid {pid}）がもうありません",
    "train.why.silent": "学習していたプロセスから {seconds:.0f} 秒間応答がありません",
    "train.why.ahead": "最後の応答の時刻がこのマシンの時計より {seconds:,.0f} 秒先で、"
    "このマシンで学習しているプロセスもありません",
    "train.hardest": "**いま最も難しいテスト数字**: モデルの答えと確信度（確信度の低い順）",
    "train.final_accuracy": "最終テスト正解率",
    "train.vs_baseline": "ベースライン {baseline:.0%} との差 {delta:+.1%}",
    "train.best_accuracy": "最高テスト正解率",
    "train.at_epoch": "エポック {epoch}",
    "train.at_epochs": "エポック {first}-{last}",
    "train.lowest_loss_help": "シードごとの最小テスト損失（どのエポックでも）の平均 ± 標準偏差です。"
    "シードが最小になるエポックはそれぞれ違うので、平均の曲線の最小値はこれより高くなります。",
    "train.lowest_loss": "最小テスト損失",
    "train.final_train_loss": "最終訓練損失",
    "train.try_this": "**試してみよう**（上の設定に入力されます。そのあと「学習」を押してください）:",
    "train.tried": "設定を変更しました: {changes}。「学習」を押すと実験できます。",
    "train.share": "共有",
    "train.versus": "**改善策は効いたか？** この実行と、元の実行（{before}）との比較:",
    "train.versus_before": "元の実行",
    "train.versus_remedy": "改善策",
    "train.share_link": "この設定のリンクです。開いた人には同じ設定が表示されます。",
    "train.share_cli": "コマンドラインで同じ実行をするには:",
    "train.bad_link": "リンクに使えない設定があったため、その設定は既定値のままです: {problem}。",
    "train.runs": "これまでの実行",
    "train.no_runs": "`{path}` にはまだ実行がありません。",
    "train.download_of": "ファイルをダウンロードする実行",
    "train.history_csv": "履歴（CSV）",
    "train.weights": "重み（.pt）",
    "train.no_weights": "この実行は重みを保存していません",
    "train.code": "コード: この実行を学習スクリプトに",
    "train.code_caption": "本章と同じ書き方の Python ファイル 1 つで、必要なのは torch、torchvision、"
    "numpy だけです。MNIST を ./data から読み（初回はダウンロード、--data で変更）、この実行を再現します。"
    "同じ数字、同じ初期の重み、同じバッチなので、同じ数値になります。",
    "train.code_download": "スクリプトをダウンロード（.py）",
    "train.code_unfinished": "学習スクリプトは、実行が完了してから表示されます。",
    "train.code_seed": "本章と同じ書き方の Python ファイル 1 つで、必要なのは torch、torchvision、numpy "
    "だけです。上で選んだシードを単独で学習します。MNIST を ./data から読みます"
    "（初回はダウンロード、--data で変更）。シード {k} を単独で学習したときの数値をそのまま再現します。"
    "この実行は {seeds} 個のシードを 1 つのまとめたモデルで同時に学習したため、丸め方がわずかに異なります。"
    "この実行のシード {k} は最初のエポックでは同じ数値で、その後はシードのばらつきの範囲でずれることがあり"
    "ます。この実行自体の曲線はシードの平均です。",
    "train.col.run": "実行",
    "train.col.digits": "数字",
    "train.col.status": "状態",
    "train.col.model": "モデル",
    "train.col.epochs": "エポック",
    "train.col.accuracy": "最終テスト正解率",
    "train.col.loss": "最小テスト損失",
    "train.col.optimizer": "最適化手法",
    "train.col.lr": "学習率",
    "train.col.train_size": "訓練データ数",
    "train.col.started": "開始時刻",
    "errors.caption": "モデルが間違えたテスト数字。自信をもって間違えたものから順に並べます。",
    "errors.no_run": "調べられる実行がまだありません。「**学習**」ページで学習してから戻ってきてください。",
    "errors.epoch": "エポック",
    "errors.epoch_help": "リプレイ: このエポック終了時点の予測を表示します",
    "errors.threshold": "p({digit}) のしきい値",
    "errors.threshold_help": "p({digit}) がこの値以上なら {digit} と判定します",
    "errors.most_likely": "数字が 3 つ以上のときは、最も確率の高い数字がモデルの答えです。",
    "errors.true_digit": "正解の数字",
    "errors.saliency": "サリエンシー",
    "errors.saliency_help": "モデルの答えを最も動かす画素に色を付けます（最終的な重み）",
    "errors.show": "表示",
    "errors.show_help": "混同行列のセルをクリックしても選べます",
    "errors.cell.all": "すべての誤り",
    "errors.cell": "正解 {true}、予測 {predicted}",
    "errors.count": "テスト数字 {total} 個のうち **誤り {n} 個**: 正解率 **{accuracy:.1%}**",
    "errors.at_threshold": "（しきい値 {threshold:.2f}）",
    "errors.confusion": "**混同行列**、{view}（セルをクリック）",
    "errors.histogram": "**正解が {a} と {b} の数字の p({b}) の分布**、{view}（黒線がしきい値）",
    "errors.confidence": "**モデルの確信度**（正解のときと誤りのとき）、{view}",
    "errors.p_true": "p(正解 {digit})",
    "errors.errors": "誤り: {n}",
    "errors.cell_title": "正解 {true}、予測 {predicted}: {n}",
    "errors.none": "このしきい値と条件では該当なし。",
    "errors.gallery_caption": "各数字の下: 正解ラベル > モデルの答え、とその確率。",
    "errors.first_shown": " 最初の {n} 個を表示しています。",
    "errors.one_digit": "1 つの数字のエポックごとの変化",
    "errors.digit": "数字",
    "errors.digit_label": "テスト数字 #{index}（正解 {true}、予測 {predicted}、確信度 {confidence:.0%}）",
    "errors.flip": "予測が最後に変わったのはエポック {epoch} です。",
    "errors.no_flip": "予測は一度も変わっていません。",
    "errors.view": "表示",
    "errors.view_help": "まとめ: 各テスト数字の確率をシードで平均し、何個のシードが間違えたかを数えます。"
    "または 1 つのシードのモデルだけを表示します",
    "errors.pooled": "まとめ（全 {n} シード）",
    "errors.view_pooled": "{n} シードのまとめ",
    "errors.view_seed": "シード {k}",
    "errors.of_view": "（{view}）",
    "errors.no_pooled_replay": "シードごとにエポック数が違うため、まとめの表示ではリプレイできません。"
    "リプレイするにはシードを 1 つ選んでください。",
    "errors.threshold_view": "（ここでは {view}）",
    "errors.filter": "数字",
    "errors.filter_help": "すべてのシードで誤り: 難しいかラベルが誤っている数字。一部のシードだけ: "
    "モデルのばらつき。レビューで疑問: MNIST のレビューでラベルが疑われた数字",
    "errors.filter.all": "すべて",
    "errors.filter.every": "すべてのシードで誤り",
    "errors.filter.some": "一部のシードで誤り",
    "errors.filter.questioned": "レビューで疑問",
    "errors.split": "**{every}** 個の数字はすべてのシードで誤り: 難しいか、ラベルが誤っています。"
    "**{some}** 個は {n} シードの一部でだけ誤り: それは数字ではなくモデルのばらつきです。",
    "errors.wrong_in": "{n} シード中 {k} シードで誤り",
    "errors.gallery_k_of_n": " まとめ: シードで平均した確率。k/{n}: {n} シード中 k シードで誤り。",
    "errors.replay_pooled": "（{n} シードの平均）",
    "errors.reviewed": "このうち {n} 個のラベルは人が確認しています (Northcutt ら, 2021):",
    "review.error": "ラベルの誤り: {total} 人中 {n} 人が {digit} と読みました",
    "review.split": "レビューの判定が割れました ({votes})",
    "review.kept": "レビューではラベルどおりでした",
    "compare.caption": "実行を選んで曲線を重ねます: 実行ごとに色、訓練損失は実線、テスト損失は破線、"
    "テスト正解率は点線（右の軸）。",
    "compare.too_few": "比較には、エポックを終えた実行が 2 つ以上必要です。「**学習**」ページで"
    "学習してください（「**試してみよう**」のボタンでよい組ができます）。",
    "compare.runs": "実行",
    "compare.choose_two": "実行を 2 つ以上選んでください。",
    "compare.differ": "異なる設定",
    "compare.verdicts": "その差は本物か？",
    "compare.verdicts_caption": "シードによって結果は偶然に変わり、実行どうしも同じです。"
    "下の各組は、そのノイズに対して検定しています。最終テスト正解率と最小テスト損失は各実行の"
    "シードのばらつきに対して（Welch の 95% 区間）、一方だけが正解したテスト画像の数は偶然に対して"
    "（McNemar の正確検定、複数シードなら画像ごとの符号検定）。",
    "compare.pair": "**{a}** に対する **{b}**",
    "compare.same": "なし: どの実行も同じ設定です。",
    "compare.split": "一方だけが正解した数字（{a} と {b}）",
    "compare.split_basis": "各実行の中央値のシード（最終テスト損失が中央値のシード、他のページで表示する"
    "シード）で数えています。上の判定はすべてのシードの画像を数えるので、数が異なります。",
    "compare.not_same_digits": "この 2 つの実行は同じテスト数字で評価されていない（数字、テストデータ数"
    "かシードが違う）ため、答えを並べて比べられません。",
    "compare.agree": "なし: 2 つの実行は同じ数字で正解し、同じ数字で間違えています。",
    "compare.right_in": "**{right} は正解、{wrong} は不正解: {n} 個**",
    "compare.gallery_caption": "各数字の下: 正解ラベル、続いて {a} / {b} の答え。",
    "inside.caption": "学習済み CNN が 1 つの数字に対して計算するもの: 各段の特徴マップとその形、"
    "学習した 3x3 カーネル、答えを最も動かす画素。",
    "inside.no_cnn": "学習済みの CNN がまだありません。「**学習**」ページで学習してから戻ってきてください。",
    "inside.digit": "テスト数字（誤りが先）",
    "inside.digit_label": "#{index}: 正解 {true}、予測 {predicted}（{confidence:.0%}）",
    "inside.wrong": "（誤り）",
    "inside.saliency": "サリエンシー",
    "inside.saliency_caption": "赤: 少し変えるとロジットが最も大きく動く画素（|d ロジット / d 画素|）。",
    "inside.maps": "特徴マップ",
    "inside.input": "入力: 1x28x28",
    "inside.stage": "**{name}** -> {shape}",
    "inside.kernels": "学習したカーネル",
    "inside.kernel_layer": "**畳み込み {i}**: {inp}x3x3 のカーネルが {out} 個",
    "inside.kernel_rows": "（出力チャネルごとに 1 行）",
    "inside.kernel_dark": "。濃いほど重みが大きい",
    "own.caption": "マウス（または指）で数字を書くか、数字 1 つの写真や絵をアップロードしてください（PNG か "
    "JPEG、大きさ自由、背景は明るくても暗くても可）。MNIST と同じ方法で 28x28 の数字にします: インクの"
    "部分を切り抜き、20x20 に収まるよう縮小し、重心を中心に置きます。",
    "own.no_model": "学習済みのモデルがまだありません。「**学習**」ページで学習してから戻ってきてください。",
    "own.upload": "または数字の画像をアップロード",
    "own.picture": "**あなたの画像**",
    "own.sees": "**モデルが見るもの**（28x28）",
    "own.saliency": "**サリエンシー**",
    "own.says": "モデルの答え",
    "own.sure": "確信度 {sure:.0%}。{digits} のモデルは、どんな画像にもそのどれかでしか答えられません。",
    "own.little_ink": "インクがほとんど見つかりませんでした。太いペンで書くと読みやすくなります。",
    "own.draw": "**数字を書く**",
    "own.draw_help": "1 画書くごとに答えが変わります。枠の上のツールバーで 1 画取り消したり（矢印）、"
    "全部消したり（ごみ箱）できます。4 の上を閉じて 9 にしてみましょう。",
    "own.drawing_first": "書いた数字を表示しています。アップロードした画像を見るには枠を消してください。",
    "own.empty": "枠が空です。数字を書く（または画像をアップロードする）と、ここにモデルの答えが出ます。",
    "own.nearest": "**いちばん近い学習用の数字**（28x28 画像のピクセル距離。下にラベルと距離）: このモデルが"
    "学んだ例のうち、あなたの数字にいちばん似ているものです。",
    "export.error.model": "スクリプトはまだ {name} モデルを知りません。",
    "export.error.optimizer": "スクリプトはまだ {name} オプティマイザーを知りません。",
    "export.error.activation": "スクリプトはまだ {name} 活性化関数を知りません。",
    "export.error.augment": "スクリプトはまだ {name} データ拡張を知りません。",
    "export.error.exclude": "スクリプトはまだ訓練数字の除外に対応していません（この実行では {n} 個を除外）。",
    "own.error.empty": "ファイルが空です。数字 1 つの PNG か JPEG の画像をアップロードしてください。",
    "own.error.too big": "ファイルが {mb:.0f} MB あります。上限は {limit:.0f} MB です。画像を切り抜くか"
    "縮小して、もう一度アップロードしてください。",
    "own.error.too many pixels": "画像が {megapixels:,.0f} 百万ピクセルあり、安全に読むには多すぎます"
    "（上限は {limit:.0f} 百万ピクセル）。縮小して、もう一度アップロードしてください。",
    "own.error.not an image": "このファイルは読める画像ではありません（PNG か JPEG ですか？）。",
    "own.error.blank": "数字が見つかりません: 画像が白紙のようです。濃いペンを使うか、明るい場所で"
    "撮ってください。",
    "chart.epoch": "エポック",
    "chart.loss": "損失",
    "chart.train_loss": "訓練損失",
    "chart.test_loss": "テスト損失",
    "chart.accuracy": "テスト正解率",
    "chart.baseline": "ベースライン",
    "chart.marker": "最小テスト損失（エポック {epoch}）",
    "chart.lowest_point": "最小 {loss:.4f}",
    "chart.rise": "{loss:.4f} まで上昇",
    "chart.true": "正解",
    "chart.predicted": "予測",
    "chart.count": "個数",
    "chart.digits": "数字の数",
    "chart.true_digit": "正解 {digit}",
    "chart.digit": "数字",
    "chart.run": "実行",
    "chart.metric": "指標",
    "chart.threshold": "しきい値",
    "chart.last_flip": "最後の入れ替わり",
    "chart.right": "正解",
    "chart.wrong": "誤り",
    "chart.confidence": "答えの確信度",
    "chart.probability": "確率",
    "reading.no history": "まだ終わったエポックがありません。",
    "reading.lr too high": (
        "訓練損失が {last_train:.3f} のまま動きません。これは ln {classes} = {chance:.3f}（どの数字にも "
        "1/{classes} と答えたときの損失）に近く、テスト正解率もベースライン {baseline:.0%} のままです。"
        "学習率 {lr:g} がこのモデルの {default:g} の {ratio:.0f} 倍もあるため、一歩ごとに行き過ぎて、"
        "モデルは当てずっぽうに落ち着いてしまいました。学習率を下げましょう。"
    ),
    "reading.not learning": (
        "訓練損失がほとんど下がっていません（{first_train:.3f} -> {last_train:.3f}）。モデルが学習"
        "できていません。本章のステップ 1: パラメータ（チャネル数）を増やすか、学習率が大きすぎたり"
        "小さすぎたりしないか確かめましょう。"
    ),
    "reading.at baseline": (
        "テスト正解率は {accuracy:.1%} で、{classes} クラス問題のベースライン {baseline:.0%} と同じです。"
        "当てずっぽうと変わりません。本章のステップ 2: 問題設定、ラベル、コードを確かめましょう。"
    ),
    "reading.overfitting": (
        "エポック {best} から過学習しています: テスト損失はそこで最小（{best_loss:.4f}）になり、"
        "エポック {last} には {last_loss:.4f} まで上がりましたが、訓練損失は下がり続けています"
        "（{last_train:.4f}）。これは想定どおりで、悪いことではありません。エポック {best} の重みが"
        "最もよく汎化します。過学習を遅らせるには（ステップ 4）: データを増やす、学習率を下げる、"
        "パラメータを減らす、重み減衰やドロップアウトを使う。"
    ),
    "reading.still learning": (
        "まだ学習中です: テスト損失はエポック {last} でほぼ最小（{last_loss:.4f}、正解率 "
        "{accuracy:.1%}）で、過学習はまだ見えません。本章のステップ 3: テスト損失が上がり始めるまで"
        "エポックを増やす、学習率を上げる、パラメータを増やす。それでも上がらないなら、テストの数字が"
        "訓練データに混ざっていないか確かめましょう。"
    ),
    "remedy.more params": "パラメータを増やす（{what} {value}）",
    "remedy.fewer params": "パラメータを減らす（{what} {value}）",
    "remedy.lower lr": "学習率を下げる（{value:g}）",
    "remedy.higher lr": "学習率を上げる（{value:g}）",
    "remedy.more epochs": "エポックを増やす（{value}）",
    "remedy.more data": "データを増やす（訓練データ {value:,} 個）",
    "remedy.recipe": "本章のレシピに戻す",
    "remedy.weight decay": "AdamW で重み減衰 0.0001",
    "remedy.dropout": "ドロップアウト 0.2",
    "remedy.mish": "Mish 活性化関数",
}

JA |= {
    "verdict.accuracy better": "{b} は {a} より正解率が {points:.1f} ポイント高く（{confidence:.0%} 区間 "
    "{low:+.1f}〜{high:+.1f}）、シードのばらつきを超えて良くなっています（p = {p:.2g}）。",
    "verdict.accuracy worse": "{b} は {a} より正解率が {points:.1f} ポイント低く（{confidence:.0%} 区間 "
    "{low:+.1f}〜{high:+.1f}）、シードのばらつきを超えて悪くなっています（p = {p:.2g}）。",
    "verdict.accuracy noise up": "{b} は {a} より正解率が {points:.1f} ポイント高いものの（{confidence:.0%} "
    "区間 {low:+.1f}〜{high:+.1f}）、シードのばらつきの範囲内です。"
    "変更が効いたという根拠はありません。",
    "verdict.accuracy noise down": "{b} は {a} より正解率が {points:.1f} ポイント低いものの"
    "（{confidence:.0%} "
    "区間 {low:+.1f}〜{high:+.1f}）、シードのばらつきの範囲内です。"
    "変更が悪かったという根拠はありません。",
    "verdict.loss better": "{b} の最小テスト損失は {a} より {delta:.4f} 低く（{confidence:.0%} 区間 "
    "{low:+.4f}〜{high:+.4f}）、シードのばらつきを超えて良くなっています（p = {p:.2g}）。",
    "verdict.loss worse": "{b} の最小テスト損失は {a} より {delta:.4f} 高く（{confidence:.0%} 区間 "
    "{low:+.4f}〜{high:+.4f}）、シードのばらつきを超えて悪くなっています（p = {p:.2g}）。",
    "verdict.loss noise": "{b} の最小テスト損失と {a} との差は {signed:+.4f}（{confidence:.0%} 区間 "
    "{low:+.4f}〜{high:+.4f}）で、シードのばらつきの範囲内です。",
    "verdict.no spread": "{a} はどのシードも {mean_a:.4g}、{b} はどのシードも {mean_b:.4g} でした。"
    "シード間のばらつきがないのでノイズを測れません。シードを増やしてください。",
    "test.welch": "［シードをまたいだウェルチの t 検定］",
    "test.paired": "［シードごとに対応: シード k どうしを比べる対応のある t 検定］",
    "verdict.a diverged": "{a} は発散しました。{n} シードのうち {count} シードが数値でない値（nan か inf）"
    "で終わったので、差は測れません。学習率を下げて {a} を学習し直してください。",
    "verdict.b diverged": "{b} は発散しました。{n} シードのうち {count} シードが数値でない値（nan か inf）"
    "で終わったので、差は測れません。学習率を下げて {b} を学習し直してください。",
    "verdict.both diverged": "{a} も {b} も発散しました。数値でない値（nan か inf）で"
    "終わったシードがあるので、差は測れません。学習率を下げて学習し直してください。",
    "verdict.no epochs": "{side} には終わったエポックがないので、比べられません。学習し直してください。",
    "verdict.too few seeds": "{b} と {a} の差は {signed:+.4g} ですが、シード数が {n_a} と {n_b} では"
    "ばらつきを測れません。それぞれ 2 つ以上のシードで学習してください。",
    "verdict.digits better": "{b} だけが正解したテスト画像は {b_only} 枚、"
    "{a} だけが正解したのは {a_only} 枚: "
    "これらの画像では {b} の方が偶然を超えて良くなっています（p = {p:.2g}）。",
    "verdict.digits worse": "{b} だけが正解したテスト画像は {b_only} 枚、{a} だけが正解したのは {a_only} 枚: "
    "これらの画像では {b} の方が偶然を超えて悪くなっています（p = {p:.2g}）。",
    "verdict.digits noise": "{b} だけが正解したテスト画像は {b_only} 枚、{a} だけが正解したのは {a_only} 枚: "
    "この程度の偏りは偶然でも起こります（p = {p:.2g}）。",
    "augment.rotate": "回転",
    "augment.shift": "平行移動",
    "augment.scale": "拡大縮小",
    "augment.elastic": "弾性変形",
    "summary.layer": "層",
    "summary.output shape": "出力の形",
    "summary.params": "パラメータ数",
    "compare.setting": "設定",
    "field.model": "モデル",
    "field.channels": "チャネル数",
    "field.hidden": "隠れ層のユニット数",
    "field.activation": "活性化関数",
    "field.dropout": "ドロップアウト",
    "field.digits": "数字",
    "field.train_size": "訓練データ数",
    "field.test_size": "テストデータ数",
    "field.batch_size": "バッチサイズ",
    "field.epochs": "エポック数",
    "field.optimizer": "最適化手法",
    "field.lr": "学習率",
    "field.weight_decay": "重み減衰",
    "field.augment": "データ拡張",
    "field.seed": "シード",
    "field.seeds": "シード数",
    "field.vary_data": "シードごとに訓練データを変える",
    "field.replicate": "反復",
    "field.device": "デバイス",
    "field.data": "データフォルダ",
    "field.exclude": "除外した訓練数字",
    "remedy.what.channels": "チャネル数",
    "remedy.what.hidden": "隠れ層のユニット数",
    "stage.conv": "畳み込み {n}",
    "stage.activation": "活性化 {n}",
    "stage.pool": "プーリング {n}",
}

# The Label check page
JA |= {
    "page.labels": "ラベル検査",
    "labels.caption": "訓練ラベルに誤りはないか？ 各訓練数字を、それを一度も見ていないモデルで予測し（K 分割"
    "交差検証）、cleanlab の confident learning（Northcutt, Jiang, Chuang, JAIR 2021）でモデルが疑う"
    "ラベルを挙げます。",
    "labels.folds": "分割数（K）",
    "labels.folds_help": "訓練数字を K 個に分けます。K 個のモデルを 1 つのバッチモデルとしてまとめて学習し、"
    "それぞれが残り K-1 個で学習して、見ていない 1 個を予測します。",
    "labels.what": "**{run}** の訓練数字 {n:,} 個を、その設定（各分割 {epochs} エポック）で検査します。"
    "学習するので、シード {folds} 個の実行とほぼ同じ時間がかかります。",
    "labels.check": "訓練ラベルを検査",
    "labels.not_checked": "この設定ではまだ検査していません。",
    "labels.starting": "検査を開始しています…",
    "labels.checking": "検査中: エポック {n} / {total}（{folds} 分割をまとめて）",
    "labels.stop": "検査を止める",
    "labels.stopped": "検査は終わる前に止められました。",
    "labels.failed": "検査に失敗しました: {error}",
    "labels.none": "cleanlab は訓練数字 {n:,} 個の中に疑わしいラベルを見つけませんでした。",
    "labels.found": "訓練数字 {total:,} 個のうち **疑わしいラベル {n} 個**"
    "（{folds} 分割、{seconds:.0f} 秒）。疑わしいものから順に並べます。",
    "labels.gallery_caption": "各数字: ラベル > それを見ていないモデルの読んだ数字、そのモデルの確率。",
    "labels.first_shown": " 最初の {n} 個を描きます。表にはすべて載せます。",
    "labels.col.digit": "数字",
    "labels.col.index": "訓練番号",
    "labels.col.label": "ラベル",
    "labels.col.suggested": "モデルの読み",
    "labels.col.p_suggested": "確率（分割外）",
    "labels.col.quality": "ラベル品質",
    "labels.p_help": "モデルが読んだ数字の確率。この数字を見ていない分割のモデルによるものです。",
    "labels.quality_help": "cleanlab のラベル品質: 0 = ほぼ確実に誤り、1 = ほぼ確実に正しい"
    "（self-confidence: 付けられたラベルの分割外確率）。",
    "labels.without": "除いて学習",
    "labels.without_help": "**{run}** の設定で、この {n} 個の数字を除いてもう一度学習し"
    "（除いた数字の代わりに、同じシードの抽選の次の数字が入ります）、元の実行よりシードのばらつきを超えて良くなったかを示します。",
    "labels.without_busy": "このタブの実行が学習中です。終わるのを待つか、学習ページで止めてください。",
    "labels.without_queued": "疑わしい数字を除いた学習: 空きを待っています。",
    "labels.without_running": "疑わしい数字 {n} 個を除いて学習中: エポック {k} / {total}。",
    "labels.see_train": "学習ページで見る",
    "labels.without_ended": "除いた実行は終了しました: {status}。{why}",
    "labels.versus": "**除いて良くなったか？** {child} と、元の実行 {parent} との比較:",
    "labels.versus_before": "除く前の実行",
    "labels.versus_after": "除いた実行",
    "badge.labels": "訓練ラベルを検査中: エポック {n} / {total}",
}

TABLES = {"en": EN, "ja": JA}


def language() -> str:
    return st.session_state.get("k_lang", "en")


# What Markdown could read as markup inside a line: images and links ([ ] !), HTML (< >), code,
# emphasis, strike-through and math; the rest (. - # |) is markup only at a line's start, and md
# keeps the text on one line
MARKUP = re.compile(r"([\\`*\[\]<>!~$])")


def md(text: object) -> str:
    """Text from outside (a run's folder name, a status, an error read from disk) escaped for
    Markdown, on one line, so that it shows as written: `![p](x.png)` and `<script>` are not
    rendered."""
    return MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def t(key: str, **fields) -> str:
    """The text for `key` in the chosen language, filled in. Errors and paths are escaped (md):
    they hold names and text read from disk, and every page shows them as Markdown."""
    escaped = {k: md(v) if isinstance(v, BaseException | PurePath) else v for k, v in fields.items()}
    return TABLES[language()][key].format(**escaped)


def why(reason: str | None, facts: dict, error: str | None) -> str:
    """Why a run ended, in words: its reason with its facts, or its error; both come from the
    worker or from disk, so their text is escaped."""
    if not reason:
        return md(error or "")
    return t(f"train.why.{reason}", **{k: md(v) if isinstance(v, str) else v for k, v in facts.items()})


def chart_labels() -> dict[str, str]:
    """The labels for `charts` functions, in the chosen language."""
    table = TABLES[language()]
    return {k: table[f"chart.{k}"] for k in charts.LABELS}
