#!/bin/bash
# Third out-of-sample campaign, addendum: two knife-edge inputs the model gives 43-44 % completion, four times each;
# after migrate --runs started drawing the page-layout overlap per run; predictions recorded first
# (predictions.txt). Same settings as the second campaign: kernel.sched_autogroup_enabled=0, QEMU at nice -15.
set -u
H=/work/main/test/calibration/qemu-holdout
W="nice -n -15 python3 $H/run_grid_warm.py"
L=/work/lab9/h3
( while true; do echo "$(date -u +%FT%TZ) $(cat /proc/loadavg) autogroup=$(cat /proc/sys/kernel/sched_autogroup_enabled)"; sleep 20; done ) > $L/loadavg-b.log 2>&1 &
LOADPID=$!
for d in b1 b2 b3 b4; do mkdir -p $L/$d; [ -e $L/$d/build ] || ln -s /work/lab9/qemu-lab/build $L/$d/build; done
for d in b1 b2 b3 b4; do
  echo "$d $(date -u) $(uptime)"
  LAB_OUT=$L/$d WARMUP_S=180 $W --grid $L/grid-knife-3b.json
done
echo "done $(date -u) $(uptime)"
kill $LOADPID
