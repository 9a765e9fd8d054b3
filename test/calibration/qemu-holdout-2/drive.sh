#!/bin/bash
# Second out-of-sample campaign (issue 9, session 3): new inputs, kernel.sched_autogroup_enabled=0,
# QEMU at nice -15. grid.json (auto-converge first, then knife-edge, pre-copy, post-copy), then the
# knife-edge points twice more.
set -u
H=/work/main/test/calibration/qemu-holdout
W="nice -n -15 python3 $H/run_grid_warm.py"
L=/work/lab9/h2
( while true; do echo "$(date -u +%FT%TZ) $(cat /proc/loadavg) autogroup=$(cat /proc/sys/kernel/sched_autogroup_enabled)"; sleep 20; done ) > $L/loadavg.log 2>&1 &
LOADPID=$!
for d in main rep2 rep3; do mkdir -p $L/$d; [ -e $L/$d/build ] || ln -s /work/lab9/qemu-lab/build $L/$d/build; done
echo "step1 $(date -u) $(uptime)"
LAB_OUT=$L/main WARMUP_S=180 $W --grid $L/grid.json
for r in rep2 rep3; do
  echo "$r $(date -u) $(uptime)"
  LAB_OUT=$L/$r WARMUP_S=180 $W --grid $L/grid-knife-repeat.json
done
echo "done $(date -u) $(uptime)"
kill $LOADPID
