#!/usr/bin/env bash
# Side-by-side with SimGrid 3.32 on the same problem files (wall time, peak memory, finish-time
# agreement). Needs: apt-get install -y libsimgrid-dev make time; run from the repository root
# after `npm ci`. Copies ../shared/peers/simgrid to a scratch directory (shared/ is read-only)
# and never commits anything of it.
#   bench/simgrid-compare.sh [NAME GEN-ARGS...]   default list below; TIMEOUT=300 per run
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peer=${PEER:-$root/../shared/peers/simgrid}
work=${WORK:-$(mktemp -d /tmp/fairway-sg.XXXX)}
TIMEOUT=${TIMEOUT:-300}
cp -r "$peer/." "$work/" && chmod -R u+w "$work"
(cd "$work" && make -s sg_flows)
mkdir -p "$work/out"
list=${1:+"$*"}
list=${list:-"permA_100k perm --topo fattree:8 --flows 100000
permA_300k perm --topo fattree:8 --flows 300000
permA_1M perm --topo fattree:8 --flows 1000000
permB_k16_10k perm --topo fattree:16 --flows 10000
a2a_n317 alltoall --topo star:317
ring_k16g16 ring --topo fattree:16 --group 16"}
secs() { awk '{print $NF}' | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'; }
echo "| problem | flows | SimGrid wall s | SimGrid RSS MiB | fairway wall s | fairway RSS MiB | speed-up | max rel diff |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
while read -r name args; do
  [ -z "$name" ] && continue
  f=$work/out/$name.json
  [ -s "$f" ] || (cd "$work" && node gen.mjs $args --out "$f" 2>/dev/null)
  /usr/bin/time -v timeout "$TIMEOUT" "$work/sg_flows" "$f" > "$work/out/$name.sg.csv" 2> "$work/out/$name.sg.err" || true
  /usr/bin/time -v node "$root/bin/fairway.js" flows -q --force -o "$work/out/$name.fw.csv" "$f" 2> "$work/out/$name.fw.err"
  sgw=$(grep 'Elapsed' "$work/out/$name.sg.err" | secs); fww=$(grep 'Elapsed' "$work/out/$name.fw.err" | secs)
  sgm=$(grep 'Maximum resident' "$work/out/$name.sg.err" | awk '{printf "%.0f", $NF/1024}')
  fwm=$(grep 'Maximum resident' "$work/out/$name.fw.err" | awk '{printf "%.0f", $NF/1024}')
  flows=$(($(wc -l < "$work/out/$name.fw.csv") - 1))
  if grep -q 'Command exited with non-zero status 124' "$work/out/$name.sg.err"; then diff="SimGrid timed out (${TIMEOUT}s)"; up="> $(awk -v a="$TIMEOUT" -v b="$fww" 'BEGIN{printf "%.1f", a/b}')"; sgw="> $TIMEOUT"
  else diff=$(cd "$work" && node check.mjs --diff "out/$name.sg.csv" "out/$name.fw.csv" | sed 's/.*max rel diff //'); up=$(awk -v a="$sgw" -v b="$fww" 'BEGIN{printf "%.1f", a/b}'); fi
  echo "| $name | $flows | $sgw | $sgm | $fww | $fwm | $up | $diff |"
done <<< "$list"
