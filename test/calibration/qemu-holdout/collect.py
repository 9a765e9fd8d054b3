#!/usr/bin/python3
"""Merges the harness outputs of this campaign into results.csv and traces/ here.

    python3 test/calibration/qemu-holdout/collect.py [--out DIR] [--loadavg FILE] LAB_OUT_MAIN [LAB_OUT_REPEAT ...]

Each argument is a `$LAB_OUT` folder written by the lab harness (shared/lab/qemu-migration beside the repository)/qemu/run_grid.py
(qemu-results.csv, traces/<run_id>.jsonl). The first is taken as is; the k-th further folder holds
repeats of the same grid points (grid-knife-repeat.json), whose run ids get the suffix `-rep<k+1>`
and group `knife-repeat` (the harness names a run by its inputs only, so each repeat ran in its own
folder). Rows with outcome `error` (the harness failed, e.g. QEMU exited during boot) are left
out; runs whose guest never reached its dirty rate before the warm-up timeout (no
`guest_rate_before_pps`) are left out and listed in excluded.csv. `--loadavg` names a log of
"<ISO time> <contents of /proc/loadavg>" lines written every 20 s while the grids ran; host-load.csv
then gets each run's 1-minute load average (mean and max over the run's wall time, from its trace's
first and last record). `--out` names the folder to write (default: this one; the second campaign
wrote ../qemu-holdout-2). Standard library only.
"""
import csv
import datetime
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_loadavg(path):
    samples = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            t = datetime.datetime.strptime(parts[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
            samples.append((t.timestamp(), float(parts[1])))
    return samples


def trace_span(path):
    first = last = None
    with open(path) as f:
        for line in f:
            t = json.loads(line).get("t")
            if t is not None:
                first = t if first is None else first
                last = t
    return first, last


def main():
    args = sys.argv[1:]
    out = HERE
    if args[:1] == ["--out"]:
        out = args[1]
        args = args[2:]
    loadavg = None
    if args[:1] == ["--loadavg"]:
        loadavg = read_loadavg(args[1])
        args = args[2:]
    dirs = args
    if not dirs:
        sys.exit(__doc__)
    rows, header, loads, excluded = [], None, [], []
    os.makedirs(os.path.join(out, "traces"), exist_ok=True)
    for k, d in enumerate(dirs):
        path = os.path.join(d, "qemu-results.csv")
        if not os.path.exists(path):
            sys.exit("no %s" % path)
        with open(path) as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames
            for r in reader:
                if r["outcome"] in ("error", ""):
                    continue
                if r["guest_rate_before_pps"] == "" or r["achieved_rate_pps"] == "":
                    # the guest never reached its rate before the harness's warm-up timeout: no input to model
                    excluded.append({"run_id": r["run_id"] + ("-rep%d" % (k + 1) if k > 0 else ""),
                                     "reason": "guest not at its dirty rate after the %ss warm-up" % r["boot_to_ready_s"]})
                    continue
                src = os.path.join(d, "traces", r["run_id"] + ".jsonl")
                if k > 0:
                    r["run_id"] += "-rep%d" % (k + 1)
                    r["group"] = "knife-repeat"
                shutil.copyfile(src, os.path.join(out, "traces", r["run_id"] + ".jsonl"))
                rows.append(r)
                if loadavg is not None:
                    first, last = trace_span(src)
                    during = [l for t, l in loadavg if first - 20 <= t <= last + 20]
                    if during:
                        loads.append({"run_id": r["run_id"], "load1_mean": "%.2f" % (sum(during) / len(during)),
                                      "load1_max": "%.2f" % max(during)})
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    if loadavg is not None:
        with open(os.path.join(out, "host-load.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["run_id", "load1_mean", "load1_max"], lineterminator="\n")
            w.writeheader()
            w.writerows(loads)
    with open(os.path.join(out, "excluded.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["run_id", "reason"], lineterminator="\n")
        w.writeheader()
        w.writerows(excluded)
    print("%d runs, %d excluded" % (len(rows), len(excluded)))


if __name__ == "__main__":
    main()
