#!/usr/bin/env bash
# Whole-command benchmark of eventmap (see README, "Performance").
#
#   scripts/bench.sh                 # the full run (about 20 minutes on 2 cores)
#   N=5000 SMALL=500 scripts/bench.sh   # a quick run
#   CASES=fuse scripts/bench.sh      # only `eventmap fuse` on $FUSE_N incidents
#   CASES=real scripts/bench.sh      # only real news text (`--jsonl`, 1 and 2 threads)
#
# 1. Generates, once, under target/bench/ (never committed):
#    - corpus-$N/ and corpus-$SMALL/: articles recombined from the sentences of
#      seeds/*.txt and tests/fixtures/articles/*.txt with other gazetteer
#      places and dates (scripts/bench_data.py, reproducible from $SEED), plus
#      index.csv, and corpus-$N.jsonl with the same articles for --jsonl;
#    - gaz-1m/: a gazetteer directory of $NAMES generated place names in the
#      places TSV format, loaded with --gazetteer on top of the bundled data.
#    - incidents-$FUSE_N.geojsonl: $FUSE_N synthetic incidents, one feature a
#      line, for `eventmap fuse` (scripts/gen_incidents.py, from $SEED).
#    - real-$REAL_BYTES.jsonl: the real articles of $REAL_DIR (default: the
#      evaluation's dev articles, ../shared/eval/dev/articles), unchanged,
#      shuffled and repeated to $REAL_BYTES bytes of text (bench_data.py real).
# 2. Runs each case $REPEAT times under /usr/bin/time -v and prints the
#    median wall time, MB/s of article text (total and per thread),
#    articles/s and the peak RSS of the median run.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-50000}
SMALL=${SMALL:-5000}
SEED=${SEED:-1}
NAMES=${NAMES:-1000000}
REPEAT=${REPEAT:-3}
CASES=${CASES:-all}
FUSE_N=${FUSE_N:-1000000}
REAL_BYTES=${REAL_BYTES:-20000000}
REAL_DIR=${REAL_DIR:-../shared/eval/dev/articles}
DIR=target/bench
TARGET=${CARGO_TARGET_DIR:-target}
BIN=${BIN:-$TARGET/release/eventmap}  # BIN=old-binary compares another build
STARTUP=$TARGET/release/examples/startup

if [ ! -x /usr/bin/time ]; then
  echo "== installing GNU time"
  apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
fi

echo "== building (release)"
cargo build --release --quiet --bin eventmap --example startup

mkdir -p "$DIR"
if [ "$CASES" = all ]; then
corpus() { # N -> target/bench/corpus-N/ (+ .jsonl)
  local n=$1
  if [ ! -f "$DIR/corpus-$n/.done-$SEED" ]; then
    echo "== generating $n articles (seed $SEED)"
    rm -rf "$DIR/corpus-$n" "$DIR/corpus-$n.jsonl"
    python3 scripts/bench_data.py corpus "$n" "$SEED" "$DIR/corpus-$n" "$DIR/corpus-$n.jsonl"
    touch "$DIR/corpus-$n/.done-$SEED"
  fi
}
corpus "$N"
corpus "$SMALL"
if [ ! -f "$DIR/gaz-1m/.done-$NAMES-$SEED" ]; then
  echo "== generating a gazetteer of $NAMES names"
  rm -rf "$DIR/gaz-1m"
  python3 scripts/bench_data.py gazetteer "$NAMES" "$SEED" "$DIR/gaz-1m"
  touch "$DIR/gaz-1m/.done-$NAMES-$SEED"
fi

text_bytes() { find "$1" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}'; }
articles() { find "$1" -name '*.txt' | wc -l; }

fi
if [ "$CASES" = all ] || [ "$CASES" = fuse ]; then
if [ ! -f "$DIR/incidents-$FUSE_N.done-$SEED" ]; then
  echo "== generating $FUSE_N incidents (seed $SEED)"
  python3 scripts/gen_incidents.py "$FUSE_N" "$SEED" "$DIR/incidents-$FUSE_N.geojsonl"
  touch "$DIR/incidents-$FUSE_N.done-$SEED"
fi
fi
REAL="$DIR/real-$REAL_BYTES.jsonl"
if [ "$CASES" = all ] || [ "$CASES" = real ]; then
  if [ ! -d "$REAL_DIR" ]; then
    echo "== no $REAL_DIR: real-text case skipped (set REAL_DIR to a directory of .txt articles)"
    REAL=
  elif [ ! -f "$REAL.done-$SEED" ]; then
    echo "== building $REAL_BYTES bytes of real text from $REAL_DIR (seed $SEED)"
    python3 scripts/bench_data.py real "$REAL_BYTES" "$SEED" "$REAL_DIR" "$REAL"
    touch "$REAL.done-$SEED"
  fi
fi

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $REPEAT runs per case; median wall time; RSS of the median run"

median_run() { # label bytes articles threads cmd...
  local label=$1 bytes=$2 n=$3 threads=$4
  shift 4
  local runs=()
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -v -o "$DIR/time.txt" "$@" >/dev/null 2>"$DIR/stderr.txt" ||
      echo "  ($label: exit $?; $(wc -l <"$DIR/stderr.txt") stderr lines, see $DIR/stderr.txt)"
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$DIR/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/time.txt")
    runs+=("$wall $rss")
  done
  printf '%s\n' "${runs[@]}" | sort -n | awk -v l="$label" -v b="$bytes" -v n="$n" -v t="$threads" -v r="$REPEAT" '
    {w[NR]=$1; m[NR]=$2}
    END {
      i=int((NR+1)/2); mb=b/1e6;
      printf "%-34s %7d art %7.1f MB  threads %d  wall %7.2f s (min %.2f, max %.2f)  %6.2f MB/s  %5.2f MB/s/thread  %7.0f art/s  RSS %4.0f MB\n",
        l, n, mb, t, w[i], w[1], w[NR], mb/w[i], mb/w[i]/t, n/w[i], m[i]/1024
    }'
}

if [ "$CASES" = all ]; then
BIG="$DIR/corpus-$N"
SMALLC="$DIR/corpus-$SMALL"
BB=$(text_bytes "$BIG"); BN=$(articles "$BIG")
SB=$(text_bytes "$SMALLC"); SN=$(articles "$SMALLC")

echo
echo "== gazetteer load alone (in-process timings, $REPEAT runs each)"
for g in bundled 1m; do
  args=()
  [ "$g" = 1m ] && args=("$DIR/gaz-1m")
  for _ in $(seq "$REPEAT"); do "$STARTUP" "${args[@]}"; done | sed "s/^/  $g: /"
done

echo
echo "== extract (files in, GeoJSON + CSV out)"
median_run "bundled, 1 thread" "$BB" "$BN" 1 "$BIN" extract "$BIG" --out-dir "$DIR/out" --quiet --threads 1
median_run "bundled, 2 threads" "$BB" "$BN" 2 "$BIN" extract "$BIG" --out-dir "$DIR/out" --quiet --threads 2
median_run "bundled, 2 threads, small corpus" "$SB" "$SN" 2 "$BIN" extract "$SMALLC" --out-dir "$DIR/out" --quiet --threads 2
median_run "1M names, 1 thread" "$BB" "$BN" 1 "$BIN" extract "$BIG" --gazetteer "$DIR/gaz-1m" --out-dir "$DIR/out" --quiet --threads 1
median_run "1M names, 2 threads" "$BB" "$BN" 2 "$BIN" extract "$BIG" --gazetteer "$DIR/gaz-1m" --out-dir "$DIR/out" --quiet --threads 2

echo
echo "== extract --jsonl - (stream, stdin to stdout)"
median_run "jsonl, bundled, 2 threads" "$BB" "$BN" 2 bash -c "\"$BIN\" extract --jsonl - --quiet --threads 2 < \"$DIR/corpus-$N.jsonl\""
median_run "jsonl, bundled, 1 thread" "$BB" "$BN" 1 bash -c "\"$BIN\" extract --jsonl - --quiet --threads 1 < \"$DIR/corpus-$N.jsonl\""
fi

if { [ "$CASES" = all ] || [ "$CASES" = real ]; } && [ -n "$REAL" ]; then
# Text bytes of the articles (the JSON escapes excluded).
RB=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8")))' "$REAL")
RN=$(wc -l <"$REAL")
echo
echo "== real news text ($REAL_DIR repeated), extract --jsonl (stream, file to stdout)"
median_run "real text, jsonl, 1 thread" "$RB" "$RN" 1 "$BIN" extract --jsonl "$REAL" --quiet --threads 1
median_run "real text, jsonl, 2 threads" "$RB" "$RN" 2 "$BIN" extract --jsonl "$REAL" --quiet --threads 2
fi

if [ "$CASES" = all ] || [ "$CASES" = fuse ]; then
echo
echo "== fuse ($FUSE_N incidents, one feature a line, in; events GeoJSON + CSV out; 'art' = incidents)"
FI="$DIR/incidents-$FUSE_N.geojsonl"
median_run "fuse, $FUSE_N incidents" "$(stat -c %s "$FI")" "$FUSE_N" "$(nproc)" "$BIN" fuse "$FI" --out-dir "$DIR/fuse-out" --quiet
fi

echo
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
