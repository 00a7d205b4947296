"""Every word the app shows, in Japanese, keyed by page in the order of the sidebar."""

from __future__ import annotations

JA = {
    # the app: page names
    "page.samples": "サンプル",
    "page.sweep": "スイープ",
    "page.train": "学習",
    "page.errors": "誤り",
    "page.compare": "比較",
    "page.inside": "CNNの中",
    "page.your_digit": "あなたの数字",
    "page.labels": "ラベル検査",
    # shared by several pages
    "common.run": "実行",
    "common.replicate": "この実行のシード",
    "common.replicate_label": "シード {k}: {n} エポック、最終テスト損失 {loss:.4f}、正解率 {accuracy:.1%}",
    "common.replicate_median": "（中央値）",
    "common.replicate_help": "この実行は複数のシードを同時に学習しました。それぞれが別のモデルです。"
    "最終テスト損失が中央値のシードを、典型的なものとして最初に表示します。",
    "common.run_label": "{name}（{digits}、{status}、{n} エポック、正解率 {accuracy:.1%}）",
    "common.go_train": "「学習」ページへ",
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
    "新しい数字なしで「データを増やす」方法です。サンプルと学習で共通の設定で、サンプルでは学習で"
    "モデルに入る画像を見られます",
    "common.augment_shared": "「{page}」ページと共通の設定です。ここで選んだものはあちらでも選ばれています。",
    "common.all": "すべて",
    "common.digits": "見分ける数字",
    "common.digits_link": "リンクの数字「{digits}」は選べる組み合わせ（2 つの数字か 10 個すべて）に"
    "ありません。4 と 9 を選びました。",
    "common.lang_link": "リンクの言語「{lang}」はこのアプリにありません。英語で表示しています"
    "（日本語はサイドバーの「日本語」で選べます）。",
    "common.no_such_page": "リンクのアドレスにあるページはこのアプリにありません。"
    "代わりに**{shown}**を表示しています。ページはサイドバーから選べます。",
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
    "common.downloading": "MNIST をダウンロード中…",
    "common.download_failed": "ダウンロードに失敗しました: {error}。上のとおりファイルをコピーしたら、"
    "もう一度「MNIST をダウンロード」を押してください。ファイルを見つけ、選んだ数字はそのままです。",
    # the sidebar's badges
    "badge.last": "前回の学習: {status}、エポック {n} / {total}",
    "badge.training": "学習中: エポック {n} / {total}",
    "badge.queued": "順番待ち: {place} 番目",
    "badge.sweep_last": "前回のスイープ: {status}、{where}",
    "badge.sweep_training": "スイープ学習中: {where}",
    "badge.sweep_together": "{epochs} エポック中 {epoch}（{values} 個の値を同時に）",
    "badge.sweep_in_turn": "{values} 個の値の {value} 番目、{epochs} エポック中 {epoch}",
    "badge.sweep_queued": "スイープ順番待ち: {place} 番目",
    "badge.labels": "訓練ラベルを検査中: エポック {n} / {total}",
    # a run's status
    "status.starting": "開始中",
    "status.running": "実行中",
    "status.finished": "完了",
    "status.stopped": "停止",
    "status.diverged": "発散",
    "status.failed": "失敗",
    "status.queued": "順番待ち",
    "status.interrupted": "中断",
    # the settings' names
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
    # the settings' help
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
    # augmentation
    "augment.rotate": "回転",
    "augment.shift": "平行移動",
    "augment.scale": "拡大縮小",
    "augment.elastic": "弾性変形",
    # Samples
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
    # Train
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
    "train.press_train": "「学習」を押すと実行が始まり、学習の様子が曲線でここに表示されます。",
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
    "train.versus": "**変更は効いたか？**　この実行（実験）と、元の実行（{before}）との比較:",
    "train.versus_before": "元の実行",
    "train.versus_after": "実験",
    "train.share_link": "この設定のリンクです。開いた人には同じ設定が表示されます。",
    "train.share_cli": "コマンドラインで同じ実行をするには:",
    "train.bad_link": "リンクにそのままでは使えない設定があります: {problem}。",
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
    "train.code_ended": "この実行は最後のエポックの前に終わったため、学習スクリプトはありません。"
    "スクリプトは設定のエポックをすべて学習するので、この実行の数値にはなりません。履歴と（保存されていれば）"
    "重みは上からダウンロードできます。",
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
    # Train: the layer summary
    "summary.layer": "層",
    "summary.output shape": "出力の形",
    "summary.params": "パラメータ数",
    # the charts' words
    "chart.final_accuracy": "最終テスト正解率",
    "chart.lowest_loss": "最小テスト損失",
    "chart.best": "最良",
    "chart.lr": "学習率",
    "chart.smoothed_loss": "損失（平滑化）",
    "chart.suggested": "おすすめ {lr:.2g}",
    "chart.steepest": "最急 {lr:.2g}",
    "chart.epoch": "エポック",
    "chart.loss": "損失",
    "chart.train_loss": "訓練損失",
    "chart.test_loss": "テスト損失",
    "chart.accuracy": "テスト正解率",
    "chart.baseline": "ベースライン",
    "chart.marker": "最小テスト損失（エポック {epoch}）",
    "chart.lowest_point": "最小 {loss:.4f}",
    "chart.rise": "最小 {low:.4f} から {loss:.4f} まで上昇",
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
    # Train: the chapter's four situations
    "situation.not learning": "学習していない",
    "situation.at baseline": "ベースラインのまま",
    "situation.overfitting": "過学習",
    "situation.still learning": "まだ学習中",
    "situation.no history": "まだエポックなし",
    # Train: the readings
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
        # Train: Try this
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
    "remedy.what.channels": "チャネル数",
    "remedy.what.hidden": "隠れ層のユニット数",
    # verdicts (Train, Compare)
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
    "この程度の差は偶然の範囲内です（p = {p:.2g}）。",
    # Code
    "export.error.model": "スクリプトはまだ {name} モデルを知りません。",
    "export.error.optimizer": "スクリプトはまだ {name} オプティマイザーを知りません。",
    "export.error.activation": "スクリプトはまだ {name} 活性化関数を知りません。",
    "export.error.augment": "スクリプトはまだ {name} データ拡張を知りません。",
    "export.error.exclude": "スクリプトはまだ訓練数字の除外に対応していません（この実行では {n} 個を除外）。",
    # the LR range test
    "test.welch": "［シードをまたいだウェルチの t 検定］",
    "test.paired": "［シードごとに対応: シード k どうしを比べる対応のある t 検定］",
    # Sweep
    "sweep.caption": "1 つのつまみを複数の値で回し、それぞれを複数のシードで学習します（1 つのまとめた"
    "モデルに収まる値は同時に）。グラフが「このつまみは何をするのか」に答えます: 値ごとの最終テスト"
    "正解率と最小テスト損失、シードのばらつきを帯で。",
    "sweep.base": "**基準:**「学習」ページの設定: `{settings}`",
    "sweep.recipe": "本章のレシピ",
    "sweep.change_base": "「学習」ページで変更",
    "sweep.bad_base": "「学習」ページの設定では学習できません: {error}",
    "sweep.fix_base": "「学習」ページで直す",
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
    "sweep.chart_caption_one": "線: 各値の 1 シード（シードが 1 つではばらつきがないため帯はありません）、"
    "ひし形: 最良の値（最終テスト正解率が最も高いもの。同じならテスト損失の低いもの）。",
    "sweep.best": "**最良の{knob}: {value}**（平均が最も高い値）。最終テスト正解率 {accuracy:.1%} ± "
    "{sd:.1%}、最小テスト損失 {loss:.4f} ± {loss_sd:.4f}（シードごとの最小値の、{seeds} シードでの平均と"
    "標準偏差）。シードのばらつきを超えて隣の値より"
    "よいのでしょうか。",
    "sweep.best_one": "**最良の{knob}: {value}**（最も高い値）。最終テスト正解率 {accuracy:.1%}、"
    "最小テスト損失 {loss:.4f}（シードが 1 つなので、ばらつきはありません）。隣の値よりよいのでしょうか。",
    "sweep.unfinished": "最後まで学習しなかったため順位から外した値（値: 終えたエポック）: {values}。",
    "sweep.best_unfinished": "最後まで学習した値がないため、この最良は途中で止まった値の中でのものです"
    "（値: 終えたエポック）: {values}。全体を比べるにはスイープをもう一度学習してください。",
    "sweep.one_seed": "値ごとにシードが 1 つでは、差と比べるシードのばらつきを測れません。"
    "最良の値を信じる前に 3 シード以上にしましょう。",
    "sweep.use": "{knob} = {value} を「学習」ページで使う",
    "sweep.table": "数値",
    "sweep.col.seeds": "シード数",
    "sweep.col.epochs": "エポック",
    "sweep.col.finished": "完了",
    "sweep.col.run": "実行",
    "sweep.col.figure": "{figure}（{statistic}）",
    "sweep.col.test_accuracy": "最終テスト正解率",
    "sweep.col.lowest_test_loss": "最小テスト損失",
    "sweep.stat.mean": "平均",
    "sweep.stat.sd": "標準偏差",
    "sweep.stat.min": "最小",
    "sweep.stat.max": "最大",
    # Errors
    "errors.caption": "モデルが間違えたテスト数字。自信をもって間違えたものから順に並べます。",
    "errors.no_run": "調べられる実行がまだありません。「学習」ページで学習してから戻ってきてください。",
    "errors.epoch": "エポック",
    "errors.epoch_help": "リプレイ: このエポック終了時点の予測を表示します",
    "errors.threshold": "p({digit}) のしきい値",
    "errors.threshold_help": "p({digit}) がこの値以上なら {digit} と判定します",
    "errors.most_likely": "数字が 3 つ以上のときは、最も確率の高い数字がモデルの答えです。",
    "errors.true_digit": "正解の数字",
    "errors.saliency": "サリエンシー",
    "errors.saliency_help": "モデルの答えを最も動かす画素に色を付けます（最終的な重み）",
    "errors.show": "混同行列のセル",
    "errors.show_help": "混同行列のセルをクリックしても選べます",
    "errors.cell.all": "すべての誤り",
    "errors.cell": "正解 {true}、予測 {predicted}",
    "errors.count": "テスト数字 {total} 個のうち**誤り {n} 個**: 正解率 **{accuracy:.1%}**",
    "errors.count.one": "テスト数字 {total} 個のうち**誤り {n} 個**: 正解率 **{accuracy:.1%}**",
    "errors.count_pooled": "。これはまとめた答え（シードで平均した確率）です。"
    "少なくとも 1 つのシードで誤る数字は **{any}** 個、シードごとの正解率の平均は **{mean:.1%}** です。",
    "errors.any_seed": "少なくとも 1 つのシードで誤り: {n}",
    "errors.at_threshold": "（しきい値 {threshold:.2f}）",
    "errors.confusion": "**混同行列**、{view}（セルをクリック）",
    "errors.histogram": "**正解が {a} と {b} の数字の p({b}) の分布**、{view}（黒線がしきい値）",
    "errors.confidence": "**モデルの確信度**（正解のときと誤りのとき）、{view}",
    "errors.p_true": "正解 {digit} の確率",
    "errors.errors": "誤り: {n}",
    "errors.cell_title": "正解 {true}、予測 {predicted}: {n}",
    "errors.none": "このしきい値と条件では該当なし。",
    "errors.gallery_caption": "各数字の下: 正解ラベル > モデルの答え、とその確率。",
    "errors.first_shown": "最初の {n} 個を表示しています。",
    "errors.one_digit": "1 つの数字のエポックごとの変化",
    "errors.digit": "追うテスト数字",
    "errors.digit_label": "テスト数字 #{index}（正解 {true}、予測 {predicted}、確信度 {confidence:.0%}）",
    "errors.flip": "予測が最後に変わったのはエポック {epoch} です。",
    "errors.no_flip": "予測は一度も変わっていません。",
    "errors.view": "表示するシード",
    "errors.view_help": "まとめ: 各テスト数字の確率をシードで平均し、何個のシードが間違えたかを数えます。"
    "または 1 つのシードのモデルだけを表示します",
    "errors.pooled": "まとめ（全 {n} シード）",
    "errors.view_pooled": "{n} シードのまとめ",
    "errors.view_seed": "シード {k}",
    "errors.of_view": "（{view}）",
    "errors.no_pooled_replay": "シードごとにエポック数が違うため、まとめの表示ではリプレイできません。"
    "リプレイするにはシードを 1 つ選んでください。",
    "errors.threshold_view": "（ここでは {view}）",
    "errors.filter": "誤りの絞り込み",
    "errors.filter_help": "すべてのシードで誤り: 難しいかラベルが誤っている数字。一部のシードだけ: "
    "モデルのばらつき。レビューで疑問: MNIST のレビューでラベルが疑われた数字",
    "errors.filter.all": "すべて",
    "errors.filter.every": "すべてのシードで誤り",
    "errors.filter.some": "一部のシードで誤り",
    "errors.filter.questioned": "レビューで疑問",
    "errors.split": "**{every}** 個の数字はすべてのシードで誤り: 難しいか、ラベルが誤っています。"
    "**{some}** 個は {n} シードの一部でだけ誤り: それは数字ではなくモデルのばらつきです。",
    "errors.wrong_in": "{n} シード中 {k} シードで誤り",
    "errors.gallery_k_of_n": "まとめ: シードで平均した確率。k/{n}: {n} シード中 k シードで誤り。",
    "errors.replay_pooled": "（{n} シードの平均）",
    "errors.reviewed": "このうち {n} 個のラベルは人が確認しています（Northcutt ら、2021）:",
    # MNIST's reviewed labels
    "review.error": "ラベルの誤り: {total} 人中 {n} 人が {digit} と読みました",
    "review.split": "レビューの判定が割れました（{votes}）",
    "review.kept": "レビューではラベルどおりでした",
    # Label check
    "labels.caption": "訓練ラベルに誤りはないか？　各訓練数字を、それを一度も見ていないモデルで予測し（K 分割"
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
    "labels.found": "訓練数字 {total:,} 個のうち**疑わしいラベル {n} 個**"
    "（{folds} 分割、{seconds:.0f} 秒）。疑わしいものから順に並べます。",
    "labels.gallery_caption": "各数字: ラベル > それを見ていないモデルの読んだ数字、そのモデルの確率。",
    "labels.first_shown": "最初の {n} 個を描きます。表にはすべて載せます。",
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
    "labels.without_busy": "このタブの実行が学習中です。終わるのを待つか、「学習」ページで止めてください。",
    "labels.without_queued": "疑わしい数字を除いた学習: 空きを待っています。",
    "labels.without_running": "疑わしい数字 {n} 個を除いて学習中: エポック {k} / {total}。",
    "labels.see_train": "「学習」ページで見る",
    "labels.without_ended": "除いた実行は終了しました: {status}。{why}",
    "labels.versus": "**除いて良くなったか？**　{child} と、元の実行 {parent} との比較:",
    "labels.versus_before": "除く前の実行",
    "labels.versus_after": "除いた実行",
    # Compare
    "compare.sweep": "スイープの全実行",
    "compare.sweep_placeholder": "値を比べるスイープを選ぶ",
    "compare.caption": "実行を選んで曲線を重ねます: 実行ごとに色、訓練損失は実線、テスト損失は破線、"
    "テスト正解率は点線（右の軸）。",
    "compare.too_few": "比較には、エポックを終えた実行が 2 つ以上必要です。「学習」ページで"
    "学習してください（「試してみよう」のボタンでよい組ができます）。",
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
    "compare.setting": "設定",
    # Inside
    "inside.caption": "学習済み CNN が 1 つの数字に対して計算するもの: 各段の特徴マップとその形、"
    "学習した 3x3 カーネル、答えを最も動かす画素。",
    "inside.no_cnn": "学習済みの CNN がまだありません。「学習」ページで学習してから戻ってきてください。",
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
    # Inside: the stages
    "stage.conv": "畳み込み {n}",
    "stage.activation": "活性化 {n}",
    "stage.pool": "プーリング {n}",
    # Your digit
    "own.caption": "マウス（または指）で数字を書くか、数字 1 つの写真や絵をアップロードしてください（PNG か "
    "JPEG、大きさ自由、背景は明るくても暗くても可）。MNIST と同じ方法で 28x28 の数字にします: インクの"
    "部分を切り抜き、20x20 に収まるよう縮小し、重心を中心に置きます。",
    "own.no_model": "学習済みのモデルがまだありません。「学習」ページで学習してから戻ってきてください。",
    "own.upload": "または数字の画像をアップロード",
    "own.upload_button": "アップロード",
    "own.upload_limit": "1 ファイル {size}MB まで • {types}",
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
    "own.error.empty": "ファイルが空です。数字 1 つの PNG か JPEG の画像をアップロードしてください。",
    "own.error.too big": "ファイルが {mb:.0f} MB あります。上限は {limit:.0f} MB です。画像を切り抜くか"
    "縮小して、もう一度アップロードしてください。",
    "own.error.too many pixels": "画像が {megapixels:,.0f} 百万ピクセルあり、安全に読むには多すぎます"
    "（上限は {limit:.0f} 百万ピクセル）。縮小して、もう一度アップロードしてください。",
    "own.error.not an image": "このファイルは読める画像ではありません（PNG か JPEG ですか？）。",
    "own.error.blank": "数字が見つかりません: 画像が白紙のようです。濃いペンを使うか、明るい場所で"
    "撮ってください。",
}
