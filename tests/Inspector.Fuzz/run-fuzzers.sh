#!/usr/bin/env bash
# Runs one fuzz target under AFL++ for a bounded time. Not part of CI.
#
#   bash tests/Inspector.Fuzz/run-fuzzers.sh ftp|tls|pcap SECONDS
#
# Builds Release into $FUZZ_WORK/build (default /tmp/inspector-fuzz; the normal bin/ is not
# touched), instruments Inspector.Core.dll and Inspector.Capture.dll there with `sharpfuzz`, and
# runs afl-fuzz on one core with the committed corpus (tests/Inspector.Fuzz/corpus/TARGET) plus
# seeds from captures/ as input. Findings land in $FUZZ_WORK/TARGET/out/default/crashes; replay
# one uninstrumented to see its stack (instrumented code runs only under afl-fuzz):
#   dotnet build tests/Inspector.Fuzz -c Release
#   dotnet tests/Inspector.Fuzz/bin/Release/net10.0/Inspector.Fuzz.dll TARGET FILE
# MINIMIZE=1 then replaces the committed corpus with `afl-cmin` of the queue (at most
# $MAX_FILES files under 16 KB, spread over the sizes); SECONDS=0 skips fuzzing and minimises the last run's queue. Installs afl++ (apt) and SharpFuzz.CommandLine (dotnet tool)
# when missing.
set -euo pipefail
target=${1:?usage: run-fuzzers.sh ftp|tls|pcap SECONDS}
seconds=${2:?usage: run-fuzzers.sh ftp|tls|pcap SECONDS}
case "$target" in ftp|tls|pcap) ;; *) echo "unknown target $target (ftp, tls, pcap)" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${FUZZ_WORK:-/tmp/inspector-fuzz}
max_files=${MAX_FILES:-50}
export PATH="$PATH:$HOME/.dotnet/tools" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
command -v afl-fuzz >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq afl++; }
command -v sharpfuzz >/dev/null || dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0

# Build and instrument (a fresh copy each time: instrumenting twice fails).
rm -rf "$work/build"
dotnet build "$here/Inspector.Fuzz.csproj" -c Release -o "$work/build" --nologo -v q
for dll in Inspector.Core.dll Inspector.Capture.dll; do sharpfuzz "$work/build/$dll"; done

# Inputs: the committed corpus plus seeds from the repo's captures.
in="$work/$target/in"
rm -rf "$in" && mkdir -p "$in"
[ -d "$here/corpus/$target" ] && cp "$here/corpus/$target"/* "$in"/ 2>/dev/null || true
if [ "$target" = pcap ]; then
  for f in "$repo"/captures/*.pcap*; do cp "$f" "$in/seed-$(basename "$f")"; done
else
  python3 "$here/make-seeds.py" "$repo/captures" "$work/seeds" >/dev/null
  cp "$work/seeds/$target"/* "$in"/
fi
dict=()
[ -f "$here/$target.dict" ] && dict=(-x "$here/$target.dict")

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
run=("$(readlink -f "$(command -v dotnet)")" "$work/build/Inspector.Fuzz.dll" "$target") # afl-cmin wants a path
out="$work/$target/out"
if [ "$seconds" != 0 ]; then
  rm -rf "$out"
  afl-fuzz -i "$in" -o "$out" -t 5000 -m none -V "$seconds" "${dict[@]}" -- "${run[@]}" > "$work/$target/afl.log" 2>&1 || {
    echo "afl-fuzz failed; see $work/$target/afl.log" >&2; tail -20 "$work/$target/afl.log" >&2; exit 1; }
fi

stats="$out/default/fuzzer_stats"
for k in run_time execs_done execs_per_sec corpus_count edges_found total_edges saved_crashes saved_hangs; do
  grep -E "^$k " "$stats" || true
done
crashes=$(find "$out/default/crashes" -name 'id:*' | wc -l)
echo "crashes: $crashes (in $out/default/crashes)"

if [ "${MINIMIZE:-0}" = 1 ]; then
  min="$work/$target/cmin"
  rm -rf "$min"
  AFL_ALLOW_TMP=1 afl-cmin -i "$out/default/queue" -o "$min" -t 5000 -m none -- "${run[@]}" > "$work/$target/cmin.log" 2>&1
  # Keep at most $max_files of at most 16 KB, spread evenly over the sizes (the smallest alone
  # would drop every whole handshake).
  rm -rf "$here/corpus/$target" && mkdir -p "$here/corpus/$target"
  mapfile -t files < <(find "$min" -type f -size -16k -printf '%s %p\n' | sort -n | cut -d' ' -f2-)
  n=${#files[@]} i=0
  while [ "$i" -lt "$max_files" ] && [ "$i" -lt "$n" ]; do
    pick=$(( n <= max_files ? i : i * n / max_files ))
    cp "${files[$pick]}" "$here/corpus/$target/$(printf '%03d' "$i")"
    i=$((i + 1))
  done
  echo "corpus: $i files, $(du -sh "$here/corpus/$target" | cut -f1) in $here/corpus/$target"
fi
