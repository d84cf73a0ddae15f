#!/bin/bash
# Runs a fairway sweep as a Slurm job array: task i of N runs shard i/N on all cores of its
# node and writes its own part; a dependent job merges the parts.
#   sbatch --array=0-15 docs/sweep-slurm.sh sweeps/nic-vs-algorithm.yaml
#   sbatch --dependency=afterany:<jobid> --wrap "npx fairway sweep merge -o results/all.csv results/part-*.msgpack"
#SBATCH --job-name=fairway-sweep
#SBATCH --cpus-per-task=16
#SBATCH --mem=24G
#SBATCH --time=02:00:00
#SBATCH --output=results/slurm-%A_%a.out
set -euo pipefail
SWEEP=${1:?usage: sbatch --array=0-(N-1) sweep-slurm.sh SWEEP.yaml}
N=${SLURM_ARRAY_TASK_COUNT:?run as a job array}
I=${SLURM_ARRAY_TASK_ID}
mkdir -p results
# --resume: a requeued task continues where it stopped
npx fairway sweep "$SWEEP" --shard "$I/$N" --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --out "results/part-$I.msgpack" --resume --quiet
