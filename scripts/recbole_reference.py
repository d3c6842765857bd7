#!/usr/bin/env python3
"""RecBole side of the ssm-recsys reproduction: trains RecBole 1.2.1's SASRec or GRU4Rec on SASRec's
`Video.txt` with the protocol of Mamba4Rec's paper and writes what `repro` puts next to its own runs
(table `recbole`, figure `recbole-validation-ndcg`, full scale).

Protocol: leave-one-out by time (`LS: valid_and_test`, order `TO`), full ranking over all items, cross-entropy
over all items, at most the last 50 items, Adam lr 1e-3, hidden size 64, train batch 2048, no filtering, early
stopping on validation NDCG@10 with patience `--patience`, at most `--epochs` epochs. Everything else is
RecBole's default for the model (SASRec: 2 layers, 2 heads, inner 256, dropout 0.5/0.5, erf GELU, post-norm;
GRU4Rec: 1 layer, dropout 0.3, no biases).

Outputs, in `--out` (written through a temporary file and a rename, so a partial file never reads as done):
  <model>-seed<s>-epochs.csv  one row per finished epoch: epoch, train_loss, seconds, valid HR/NDCG/MRR@10
                              (rewritten after every epoch, so an interrupted run keeps its curve)
  <model>-seed<s>-test.csv    one row once training stops: best epoch, epochs run, why it stopped
                              (patience, epochs, time budget or interrupted), test HR/NDCG/MRR@10 of the
                              best validation epoch's parameters, mean seconds per epoch, versions
SIGTERM or SIGINT ends training after the current epoch and still tests the best epoch so far, so a run cut
short says so instead of vanishing; only a run stopped by patience is converged.

Resuming: after every epoch the state needed to continue (parameters, Adam's moments, the best epoch's
parameters, the shuffling generator and every RNG, the epochs so far) is saved in the work folder as
<model>-seed<s>-resume.pt (temporary file, then rename). Started again with the same settings, the script
continues from the last finished epoch — so a run longer than one sitting (GRU4Rec needs many epochs) can
be stopped (--hours, SIGTERM) and continued; --fresh starts over. The file is removed once a run ends by
patience or by the epoch limit.

Usage (about 5 minutes per SASRec epoch on 2 CPU cores):
  python3 -m venv venv && venv/bin/pip install recbole==1.2.1 torch
  venv/bin/python scripts/recbole_reference.py --video ../shared/datasets/amazon-video-games-sasrec/Video.txt \\
      --model SASRec --seed 2020 --out reproductions/ssm-recsys/reference/recbole

Never needed by the tests or by `repro`; without these files the `recbole` table says so.
"""
import argparse
import copy
import csv
import io
import os
import random
import signal
import sys
import time

RECBOLE_VERSION = "1.2.1"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--video", required=True, help="SASRec's Video.txt: one 'user item' pair per line, each user's lines in time order")
    parser.add_argument("--model", required=True, choices=["SASRec", "GRU4Rec"])
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--epochs", type=int, default=300, help="at most this many epochs (the official Mamba4Rec config: 300)")
    parser.add_argument("--patience", type=int, default=10, help="epochs without a better validation NDCG@10 before stopping")
    parser.add_argument("--hours", type=float, default=None,
                        help="time budget: after the epoch that crosses it, stop and test the best epoch so far (recorded as stopped by 'time budget')")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", required=True, help="folder for the CSV files")
    parser.add_argument("--work", default=None, help="folder for RecBole's atomic file and logs (default: a 'recbole-work' folder next to --out)")
    parser.add_argument("--fresh", action="store_true", help="ignore a saved state of an unfinished run and start from epoch 1")
    return parser.parse_args()


def fail(message):
    print(f"recbole_reference: {message}", file=sys.stderr)
    sys.exit(1)


def write_atomically(path, rows, header):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w") as handle:
        handle.write(buffer.getvalue())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def resume_settings(arguments):
    """What a saved state must agree on to be continued: everything that changes the computation."""
    return {"model": arguments.model, "seed": arguments.seed, "epochs": arguments.epochs, "patience": arguments.patience,
            "threads": arguments.threads, "video_bytes": os.path.getsize(arguments.video), "recbole": RECBOLE_VERSION}


def load_state(torch, path, settings):
    # Our own file, holding RNG states (numpy arrays, tuples) as well as tensors: weights_only cannot read it.
    state = torch.load(path, weights_only=False)
    differing = sorted(key for key in settings if state["settings"].get(key) != settings[key])
    if differing:
        described = ", ".join(f"{key}: {state['settings'].get(key)} there, {settings[key]} here" for key in differing)
        fail(f"{path} is the saved state of a run with other settings ({described}); "
             "pass the same settings to continue it, or --fresh to start over")
    return state


def save_state(torch, path, state):
    temporary = f"{path}.tmp-{os.getpid()}"
    torch.save(state, temporary)
    os.replace(temporary, path)


def convert(video, folder):
    """Video.txt → RecBole's `video.inter`. Each user's lines are in time order; the line's rank within the
    user becomes the timestamp, so RecBole's time ordering (`TO`) keeps that order."""
    if not os.path.isfile(video):
        fail(f"{video} is not a file: pass SASRec's Video.txt with --video")
    os.makedirs(folder, exist_ok=True)
    rank = {}
    rows = []
    with open(video) as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2 or not all(field.isdigit() for field in fields):
                fail(f"{video}, line {number}: expected 'user item' (two positive integers), found {line.strip()!r}")
            user, item = fields
            rank[user] = rank.get(user, 0) + 1
            rows.append(f"{user}\t{item}\t{rank[user]}\n")
    path = os.path.join(folder, "video.inter")
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w") as handle:
        handle.write("user_id:token\titem_id:token\ttimestamp:float\n")
        handle.writelines(rows)
    os.replace(temporary, path)
    return len(rows), len(rank)


def import_recbole():
    # RecBole 1.2.1 assigns np.float = np.float_ (and complex_, unicode_) at import; numpy 2 removed both names.
    import numpy as np
    for alias, target in (("float_", np.float64), ("complex_", np.complex128), ("unicode_", np.str_)):
        if not hasattr(np, alias):
            setattr(np, alias, target)
    import recbole
    if recbole.__version__ != RECBOLE_VERSION:
        fail(f"RecBole {recbole.__version__} is installed; the reference is pinned to {RECBOLE_VERSION} (pip install recbole=={RECBOLE_VERSION})")
    import torch
    from recbole.config import Config
    from recbole.data import create_dataset, data_preparation
    from recbole.utils import get_model, get_trainer, init_seed
    return recbole, torch, np, Config, create_dataset, data_preparation, get_model, get_trainer, init_seed


def configuration(arguments, work):
    settings = {
        "data_path": work,
        "checkpoint_dir": os.path.join(work, "checkpoints"),
        "use_gpu": False,
        "device": "cpu",
        "seed": arguments.seed,
        "reproducibility": True,
        "show_progress": False,
        "save_dataset": False,
        "save_dataloaders": False,
        "worker": 0,
        "USER_ID_FIELD": "user_id",
        "ITEM_ID_FIELD": "item_id",
        "TIME_FIELD": "timestamp",
        "load_col": {"inter": ["user_id", "item_id", "timestamp"]},
        "user_inter_num_interval": "[0,inf)",
        "item_inter_num_interval": "[0,inf)",
        "MAX_ITEM_LIST_LENGTH": 50,
        "eval_args": {"split": {"LS": "valid_and_test"}, "order": "TO", "mode": "full", "group_by": "user"},
        "metrics": ["Hit", "NDCG", "MRR"],
        "topk": [10],
        "valid_metric": "NDCG@10",
        "metric_decimal_place": 6,
        "train_batch_size": 2048,
        "eval_batch_size": 4096,
        "learning_rate": 0.001,
        "epochs": arguments.epochs,
        "stopping_step": arguments.patience,
        "loss_type": "CE",
        "train_neg_sample_args": None,
    }
    if arguments.model == "SASRec":
        settings.update({"hidden_size": 64})
    else:
        settings.update({"embedding_size": 64, "hidden_size": 64})
    return settings


def metrics(result):
    return result["hit@10"], result["ndcg@10"], result["mrr@10"]


def main():
    arguments = parse_arguments()
    arguments.out = os.path.abspath(arguments.out)
    arguments.video = os.path.abspath(arguments.video)
    os.makedirs(arguments.out, exist_ok=True)
    work = os.path.abspath(arguments.work or os.path.join(os.path.dirname(arguments.out), "recbole-work"))
    os.makedirs(work, exist_ok=True)
    # RecBole writes its logs and TensorBoard files into the current folder.
    os.chdir(work)
    interactions, users = convert(arguments.video, os.path.join(work, "video"))
    print(f"converted {interactions} interactions of {users} users into {work}/video/video.inter", flush=True)

    recbole, torch, np, Config, create_dataset, data_preparation, get_model, get_trainer, init_seed = import_recbole()
    torch.set_num_threads(arguments.threads)
    config = Config(model=arguments.model, dataset="video", config_dict=configuration(arguments, work))
    init_seed(config["seed"], config["reproducibility"])
    dataset = create_dataset(config)
    train_data, valid_data, test_data = data_preparation(config, dataset)
    init_seed(config["seed"] + config["local_rank"], config["reproducibility"])
    model_class = get_model(config["model"])
    # Importing RecBole's sequential models (which get_model does) switches on anomaly detection for the
    # whole process (sine.py): every backward op would check for NaN, SASRec about 1.6x slower.
    torch.autograd.set_detect_anomaly(False)
    model = model_class(config, train_data._dataset).to(config["device"])
    trainer = get_trainer(config["MODEL_TYPE"], config["model"])(config, model)
    print(f"{arguments.model}: {dataset.user_num - 1} users, {dataset.item_num - 1} items, "
          f"{len(train_data.dataset)} training sequences, torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"anomaly detection {'on' if torch.is_anomaly_enabled() else 'off'}", flush=True)

    interrupted = []
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda received, frame: interrupted.append(received))
    deadline = None if arguments.hours is None else time.monotonic() + 3600 * arguments.hours
    stem = os.path.join(arguments.out, f"{arguments.model.lower()}-seed{arguments.seed}")
    resume = os.path.join(work, f"{arguments.model.lower()}-seed{arguments.seed}-resume.pt")
    settings = resume_settings(arguments)
    epochs = []
    best = None  # (ndcg, epoch, parameters)
    if os.path.exists(resume) and not arguments.fresh:
        state = load_state(torch, resume, settings)
        model.load_state_dict(state["model"])
        trainer.optimizer.load_state_dict(state["optimizer"])
        train_data.generator.set_state(state["shuffle"])
        torch.set_rng_state(state["torch"])
        np.random.set_state(state["numpy"])
        random.setstate(state["random"])
        epochs, best = state["epochs"], state["best"]
        print(f"continuing after epoch {len(epochs)} (best {best[0]:.6f} at {best[1]}) from {resume}; --fresh starts over", flush=True)
    stopped = "epochs"
    for epoch in range(len(epochs), arguments.epochs):
        start = time.perf_counter()
        loss = trainer._train_epoch(train_data, epoch, show_progress=False)
        seconds = time.perf_counter() - start
        _, result = trainer._valid_epoch(valid_data, show_progress=False)
        hr, ndcg, mrr = metrics(result)
        loss = float(sum(loss)) if isinstance(loss, tuple) else float(loss)
        epochs.append([epoch + 1, f"{loss:.6f}", f"{seconds:.2f}", f"{hr:.6f}", f"{ndcg:.6f}", f"{mrr:.6f}"])
        write_atomically(f"{stem}-epochs.csv", epochs, ["epoch", "train_loss", "seconds", "valid_hr10", "valid_ndcg10", "valid_mrr10"])
        if best is None or ndcg > best[0]:
            best = (ndcg, epoch + 1, copy.deepcopy(model.state_dict()))
        save_state(torch, resume, {"settings": settings, "epochs": epochs, "best": best, "model": model.state_dict(),
                                   "optimizer": trainer.optimizer.state_dict(), "shuffle": train_data.generator.get_state(),
                                   "torch": torch.get_rng_state(), "numpy": np.random.get_state(), "random": random.getstate()})
        print(f"epoch {epoch + 1}: loss {loss:.4f}, {seconds:.1f} s, valid NDCG@10 {ndcg:.6f} (best {best[0]:.6f} at {best[1]})", flush=True)
        if epoch + 1 - best[1] >= arguments.patience:
            stopped = "patience"
        elif interrupted:
            stopped = "interrupted"
        elif deadline is not None and time.monotonic() > deadline:
            stopped = "time budget"
        else:
            continue
        break

    # The best parameters are kept in memory: RecBole's own checkpoints need torch.load(weights_only=False).
    model.load_state_dict(best[2])
    result = trainer.evaluate(test_data, load_best_model=False, show_progress=False)
    hr, ndcg, mrr = metrics(result)
    mean_seconds = sum(float(row[2]) for row in epochs) / len(epochs)
    write_atomically(f"{stem}-test.csv",
                     [[best[1], len(epochs), stopped, f"{hr:.6f}", f"{ndcg:.6f}", f"{mrr:.6f}", f"{mean_seconds:.2f}",
                       arguments.threads, recbole.__version__, torch.__version__, np.__version__]],
                     ["best_epoch", "epochs", "stopped", "test_hr10", "test_ndcg10", "test_mrr10", "seconds_per_epoch",
                      "threads", "recbole", "torch", "numpy"])
    if stopped in ("patience", "epochs") and os.path.exists(resume):
        os.remove(resume)
    print(f"stopped by {stopped} after {len(epochs)} epochs; test at epoch {best[1]}: HR@10 {hr:.6f}, NDCG@10 {ndcg:.6f}, MRR@10 {mrr:.6f}; {mean_seconds:.1f} s/epoch", flush=True)


if __name__ == "__main__":
    main()
