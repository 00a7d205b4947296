"""Every word the app shows, in English, keyed by page in the order of the sidebar."""

from __future__ import annotations

from mnist49 import charts
from mnist49.analysis import diagnose, export, own, stats

EN = {
    # the app: page names
    "page.samples": "Samples",
    "page.sweep": "Sweep",
    "page.train": "Train",
    "page.errors": "Errors",
    "page.compare": "Compare",
    "page.inside": "Inside",
    "page.your_digit": "Your digit",
    "page.labels": "Label check",
    # shared by several pages
    "common.run": "Run",
    "common.replicate": "Seed of this run",
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
    "batch: the chapter's 'more data' without new digits. One setting on Samples and Train: Samples "
    "shows what Train will feed the model",
    "common.augment_shared": "The same setting as on {page}: what is picked here is picked there too.",
    "common.all": "all",
    "common.digits": "Digits to tell apart",
    "common.digits_link": "The link asks for the digits '{digits}', which are not among the choices (two "
    "digits, or all ten): 4 vs 9 is picked.",
    "common.lang_link": "The link asks for the language '{lang}', which this app does not have: it is "
    "shown in English (pick 日本語 in the sidebar for Japanese).",
    "common.no_such_page": "The link's address names no page of this app: **{shown}** is shown "
    "instead. The pages are in the sidebar.",
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
    # the sidebar's badges
    "badge.last": "Last run: {status}, epoch {n} of {total}",
    "badge.training": "Training: epoch {n} of {total}",
    "badge.queued": "Queued: place {place} in line",
    "badge.sweep_last": "Last sweep: {status}, {where}",
    "badge.sweep_training": "Sweep training: {where}",
    "badge.sweep_together": "epoch {epoch} of {epochs}, all {values} values at once",
    "badge.sweep_in_turn": "value {value} of {values}, epoch {epoch} of {epochs}",
    "badge.sweep_queued": "Sweep queued: place {place} in line",
    "badge.labels": "Checking train labels: epoch {n} of {total}",
    # a run's status
    "status.starting": "Starting",
    "status.running": "Running",
    "status.finished": "Finished",
    "status.stopped": "Stopped",
    "status.diverged": "Diverged",
    "status.failed": "Failed",
    "status.queued": "Queued",
    "status.interrupted": "Interrupted",
    # the settings' names
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
    # the settings' help
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
    # augmentation
    "augment.rotate": "rotate",
    "augment.shift": "shift",
    "augment.scale": "scale",
    "augment.elastic": "elastic",
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
    "train.versus": "**Did the change help?** This run (the experiment) against the run it came from "
    "({before}):",
    "train.versus_before": "the run before",
    "train.versus_after": "the experiment",
    "train.share_link": "These settings as a link: whoever opens it sees the same settings.",
    "train.share_cli": "The same run from the command line:",
    "train.bad_link": "The link has a setting that cannot be used as it is: {problem}.",
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
    "train.code_ended": "This run ended before its last epoch, so no training script is offered: a "
    "script trains every epoch of its settings, and would not give this run's figures. Its history, "
    "and its weights where it saved them, can be downloaded above.",
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
    # Train: the layer summary
    "summary.layer": "layer",
    "summary.output shape": "output shape",
    "summary.params": "params",
    # Train: the chapter's four situations
    "situation.not learning": "not learning",
    "situation.at baseline": "at the baseline",
    "situation.overfitting": "overfitting",
    "situation.still learning": "still learning",
    "situation.no history": "no epoch yet",
    # Train: Try this
    "remedy.what.channels": "channels",
    "remedy.what.hidden": "hidden units",
    # Sweep
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
    "sweep.chart_caption_one": "Line: each value's one seed (one seed gives no spread, so no band); "
    "diamond: the best value (highest final test accuracy, ties to the lower test loss).",
    "sweep.best": "**Best {knob}: {value}** (the highest mean), final test accuracy {accuracy:.1%} ± "
    "{sd:.1%} and lowest test loss {loss:.4f} ± {loss_sd:.4f} (each seed's lowest: mean and sd over "
    "{seeds} seeds). Is it better than its "
    "neighbours beyond seed noise?",
    "sweep.best_one": "**Best {knob}: {value}** (the highest), final test accuracy {accuracy:.1%} and "
    "lowest test loss {loss:.4f} (one seed: it gives no spread). Is it better than its neighbours?",
    "sweep.unfinished": "Did not finish, so not ranked (value: epochs done): {values}.",
    "sweep.best_unfinished": "No value finished, so this best is of values cut short (value: epochs "
    "done): {values}. Train the sweep again to compare whole runs.",
    "sweep.one_seed": "With one seed per value there is no seed spread to measure the differences "
    "against: use 3 or more seeds before trusting a best value.",
    "sweep.use": "Use {knob} = {value} on Train",
    "sweep.table": "The figures",
    "sweep.col.seeds": "seeds",
    "sweep.col.epochs": "epochs",
    "sweep.col.finished": "finished",
    "sweep.col.run": "run",
    "sweep.col.figure": "{figure}: {statistic}",
    "sweep.col.test_accuracy": "final test accuracy",
    "sweep.col.lowest_test_loss": "lowest test loss",
    "sweep.stat.mean": "mean",
    "sweep.stat.sd": "sd",
    "sweep.stat.min": "min",
    "sweep.stat.max": "max",
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
    "errors.show": "Confusion-matrix cell",
    "errors.show_help": "or click a cell of the confusion matrix",
    "errors.cell.all": "all errors",
    "errors.cell": "true {true}, predicted {predicted}",
    "errors.count": "**{n} errors** out of {total} test digits: accuracy **{accuracy:.1%}**",
    "errors.count.one": "**{n} error** out of {total} test digits: accuracy **{accuracy:.1%}**",
    "errors.count_pooled": ". That is the pooled answer (the seeds' mean probability); **{any}** digits "
    "are wrong in at least one seed, and the seeds' mean accuracy is **{mean:.1%}**.",
    "errors.any_seed": "Wrong in at least one seed: {n}",
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
    "errors.digit": "Test digit to follow",
    "errors.digit_label": "test digit #{index} (true {true}, predicted {predicted}, {confidence:.0%} sure)",
    "errors.flip": "Its prediction last changed at epoch {epoch}.",
    "errors.no_flip": "Its prediction never changed.",
    "errors.view": "Seeds shown",
    "errors.view_help": "pooled: each test digit's probabilities averaged over the seeds, and how many "
    "seeds got it wrong; or one seed's model on its own",
    "errors.pooled": "Pooled (all {n} seeds)",
    "errors.view_pooled": "pooled over {n} seeds",
    "errors.view_seed": "seed {k}",
    "errors.of_view": " ({view})",
    "errors.no_pooled_replay": "The seeds ran different numbers of epochs, so the pooled view has no "
    "replay; pick one seed to replay it.",
    "errors.threshold_view": " (here: {view})",
    "errors.filter": "Filter the errors",
    "errors.filter_help": "wrong in every seed: hard or mislabelled digits; in only some: the "
    "model's noise; questioned: the digits whose label MNIST's reviewers doubted",
    "errors.filter.all": "all",
    "errors.filter.every": "wrong in every seed",
    "errors.filter.some": "in some seeds",
    "errors.filter.questioned": "questioned by reviewers",
    "errors.split": "Wrong in every seed: **{every}** (hard or mislabelled digits). "
    "Wrong in only some of the {n} seeds: **{some}** (the model's noise, not the digit).",
    "errors.wrong_in": "wrong in {k} of {n} seeds",
    "errors.gallery_k_of_n": " Pooled: the mean probability over the seeds; k/{n}: wrong in k of "
    "the {n} seeds.",
    "errors.replay_pooled": " (the mean over {n} seeds)",
    "errors.reviewed": "People reviewed {n} of these digits' labels (Northcutt et al., 2021):",
    # MNIST's reviewed labels
    "review.error": "Label error: {n} of {total} reviewers read it as {digit}",
    "review.split": "Reviewers split ({votes})",
    "review.kept": "Reviewers kept the label",
    # Label check
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
    # Compare
    "compare.sweep": "All the runs of a sweep",
    "compare.sweep_placeholder": "Pick a sweep to compare its values",
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
    "compare.setting": "setting",
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
    # Inside: the stages
    "stage.conv": "conv {n}",
    "stage.activation": "activation {n}",
    "stage.pool": "pool {n}",
    # Your digit
    "own.caption": "Draw a digit with the mouse (or a finger), or upload a photo or drawing of one "
    "(PNG or JPEG, any size, light or dark background). It is made into a 28x28 digit the way "
    "MNIST's were: cropped to its ink, scaled to fit 20x20, and centred on its centre of mass.",
    "own.no_model": "No trained model yet. Train one on the **Train** page, then come back.",
    "own.upload": "Or upload a picture of a digit",
    "own.upload_button": "Upload",
    "own.upload_limit": "{size}MB per file • {types}",
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
}

# from the core's own tables (English is the core's language)
EN |= {f"chart.{k}": v for k, v in charts.LABELS.items()}
EN |= {f"reading.{k}": v for k, v in diagnose.READINGS.items()}
EN |= {f"remedy.{k}": v for k, v in diagnose.REMEDIES.items()}
EN |= {f"verdict.{k}": v for k, v in stats.VERDICTS.items()}
EN |= {f"test.{k}": v for k, v in stats.TESTS.items()}
EN |= {f"own.error.{k}": v for k, v in own.MESSAGES.items()}
EN |= {f"export.error.{k}": v for k, v in export.MESSAGES.items()}
