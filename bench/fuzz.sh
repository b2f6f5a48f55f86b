#!/usr/bin/env bash
# bench/fuzz.sh: run every libFuzzer target (fuzz/README.md) for a while.
#
#   bench/fuzz.sh                  build build-fuzz/ (clang), fuzz each target 600 s
#   bench/fuzz.sh 120              ... 120 s per target
#   bench/fuzz.sh 600 --merge      ... then merge the inputs that add coverage into the
#                                  checked-in corpus (review and commit them)
#   bench/fuzz.sh 60 --only json_body_fuzz
#                                  ... one target
#
# scripts/payhost test runs it for PAYHOST_FUZZ_SECONDS (20) per target (fuzz_smoke).
# Each target fuzzes a scratch copy of its corpus, so the tree changes only with --merge.
# A crash, leak, timeout or out-of-memory fails the run; the input is kept in
# build-fuzz/fuzz/artifacts/<target>/ (the log says which file) for the target's
# regressions/ folder once the bug is fixed.
#
# Knobs (environment): FUZZ_BUILD_DIR (build-fuzz), FUZZ_RSS_MB (2048, -rss_limit_mb),
# FUZZ_TIMEOUT (10, seconds one input may take), JOBS (nproc), FUZZ_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SECONDS_PER_TARGET=600
MERGE=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --merge) MERGE=1 ;;
    --only) ONLY=$2; shift ;;
    [0-9]*) SECONDS_PER_TARGET=$1 ;;
    *) sed -n '2,19p' "$0"; exit 2 ;;
  esac
  shift
done
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
RSS_MB=${FUZZ_RSS_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-10}

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  echo "== fuzz build ($BUILD, clang, libFuzzer + ASan + UBSan)"
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DPAYHOST_FUZZ=ON \
    -DPAYHOST_BUILD_TESTS=OFF -DPAYHOST_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j "${JOBS:-$(nproc)}" --target payhost_fuzz
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
# targets.txt: name, corpus, max_len, regressions (cmake/PayhostFuzz.cmake writes it).
while IFS=$'\t' read -r name corpus max_len regressions; do
  [ -n "$name" ] || continue
  [ -z "$ONLY" ] || [ "$ONLY" = "$name" ] || continue
  work="$scratch/$name"
  artifacts="$ROOT/$BUILD/fuzz/artifacts/$name"
  mkdir -p "$work/corpus" "$artifacts"
  cp -r "$corpus"/. "$work/corpus/"
  seeds=("$work/corpus")
  [ -d "$regressions" ] && seeds+=("$regressions")
  before=$(find "$work/corpus" -type f | wc -l)
  status=0
  # Leaks are checked: the targets keep their one harness in a static, which is not a leak.
  "$ROOT/$BUILD/fuzz/bin/$name" -max_total_time="$SECONDS_PER_TARGET" -max_len="$max_len" \
    -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${seeds[@]}" >"$work/log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  after=$(find "$work/corpus" -type f | wc -l)
  printf '%-28s %10s execs  corpus %4s -> %4s inputs\n' "$name" "${runs:-?}" "$before" "$after"
  if [ "$status" != 0 ]; then
    failed+=("$name")
    echo "== $name FAILED (exit $status); the input is in:"
    grep -E 'Test unit written to|artifact_prefix' "$work/log" || echo "   (no input written)"
    grep -E -A30 '^==[0-9]+==ERROR|fuzz invariant broken|deadly signal|SUMMARY' "$work/log" |
      head -60 || tail -40 "$work/log"
    continue
  fi
  if [ "$MERGE" = 1 ]; then
    "$ROOT/$BUILD/fuzz/bin/$name" -merge=1 -max_len="$max_len" -rss_limit_mb="$RSS_MB" \
      "$corpus" "$work/corpus" >"$work/merge.log" 2>&1
    echo "   merged into $corpus: $(find "$corpus" -type f | wc -l) inputs"
  fi
done <"$ROOT/$BUILD/fuzz/targets.txt"

if [ ${#failed[@]} -gt 0 ]; then
  echo "== fuzzing found problems in: ${failed[*]}"
  exit 1
fi
echo "== fuzzing: no crash in $SECONDS_PER_TARGET s per target"
