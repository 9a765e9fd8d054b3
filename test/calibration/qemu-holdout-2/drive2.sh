#!/bin/bash
# Second campaign, knife-edge addendum: two inputs the model puts near the edge but mostly completing,
# four times each (first run, then -rep2..-rep4), same settings as drive.sh.
set -u
H=/work/main/test/calibration/qemu-holdout
W="nice -n -15 python3 $H/run_grid_warm.py"
L=/work/lab9/h2
( while true; do echo "$(date -u +%FT%TZ) $(cat /proc/loadavg) autogroup=$(cat /proc/sys/kernel/sched_autogroup_enabled)"; sleep 20; done ) > $L/loadavg2.log 2>&1 &
LOADPID=$!
for d in k1 k2 k3 k4; do mkdir -p $L/$d; [ -e $L/$d/build ] || ln -s /work/lab9/qemu-lab/build $L/$d/build; done
for d in k1 k2 k3 k4; do
  echo "$d $(date -u) $(uptime)"
  LAB_OUT=$L/$d WARMUP_S=180 $W --grid $L/grid-knife-2.json
done
echo "done $(date -u) $(uptime)"
kill $LOADPID
