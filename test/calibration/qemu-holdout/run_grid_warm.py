#!/usr/bin/python3
"""run_grid.py of the lab harness with a longer guest warm-up (default 60 s there).

    LAB_HARNESS=<path to shared/lab/qemu-migration> WARMUP_S=180 python3 run_grid_warm.py --grid G [--resume] ...

On a busy machine a 1 GiB guest under TCG took more than 60 s to touch its memory and reach its
dirty rate; the harness then migrated a guest that was still booting (no DIRTY report before
`migrate`), and collect.py leaves such runs out. This wrapper changes only the warm-up bound: it
adds `warmup_timeout` to every grid entry before run_grid.main runs them. Standard library only.
"""
import os
import sys

harness = os.environ.get("LAB_HARNESS", "/work/shared/lab/qemu-migration")
sys.path.insert(0, harness)
sys.path.insert(0, os.path.join(harness, "qemu"))
import grid as gridmod  # noqa: E402
import run_grid  # noqa: E402

WARMUP_S = float(os.environ.get("WARMUP_S", "180"))
_cfg = gridmod.cfg


def cfg(**kw):
    c = _cfg(**kw)
    c["warmup_timeout"] = WARMUP_S
    return c


gridmod.cfg = cfg
if __name__ == "__main__":
    try:
        run_grid.main()
    finally:
        run_grid.migrate_run._kill_all()
