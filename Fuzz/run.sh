#!/usr/bin/env bash
# Builds the fuzz targets (libFuzzer + AddressSanitizer) and runs each for a while.
#
#     Fuzz/run.sh [SECONDS] [TARGET...]      (defaults: 60, all of lines events records)
#
# Each target starts from the seed corpus in Fuzz/corpus-work/TARGET (made from
# Fuzz/seeds on the first run and grown by libFuzzer), uses Fuzz/postfix.dict, and
# stops at the first oracle failure, leaving the input as Fuzz/findings/crash-* and
# libFuzzer's report in Fuzz/findings/TARGET.log (TARGET-fast.log without ASan).
# Extra libFuzzer flags can be passed in FUZZ_FLAGS (e.g. "-runs=10000000").
# FUZZ_SANITIZE=none builds without AddressSanitizer (into Fuzz/.build-fast): the
# oracles and Swift's own runtime checks stay, at about 2.7 times the executions per
# second, for long campaigns; the default (address) is what finds memory errors.
# FUZZ_COVERAGE=edge instruments edges only, without libFuzzer's comparison tracing
# (trace-cmp), which costs about two thirds of a plain build's time here: about 3 times
# the executions per second, at the same coverage on the grown corpus, for long
# campaigns (builds into a directory of its own); the default (full) keeps it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(lines events records)

case "${FUZZ_SANITIZE:-address}" in
    address) sanitize=fuzzer,address scratch="$here/.build" suffix="" ;;
    none) sanitize=fuzzer scratch="$here/.build-fast" suffix="-fast" ;;
    *) echo "run.sh: FUZZ_SANITIZE must be address or none" >&2; exit 64 ;;
esac
coverage=()
case "${FUZZ_COVERAGE:-full}" in
    full) ;;
    edge) coverage=(-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table) scratch="$scratch-edge" suffix="$suffix-edge" ;;
    *) echo "run.sh: FUZZ_COVERAGE must be full or edge" >&2; exit 64 ;;
esac
build=(swift build -c release --package-path "$here" --scratch-path "$scratch")

# Sanitizer reports must not be swallowed by Swift's own crash backtracer. A small
# quarantine keeps freed blocks poisoned long enough for this harness's short-lived
# buffers, without the page faults of ASan's default 256 MB.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:quarantine_size_mb=8:max_malloc_fill_size=0}"

for target in "${targets[@]}"; do
    flags=(--product "fuzz-$target" -Xswiftc -sanitize="$sanitize" "${coverage[@]}" -Xswiftc -use-ld=lld)
    # A source file moved in the main package leaves a stale build plan behind in this
    # package's scratch directory: build afresh once before giving up.
    "${build[@]}" "${flags[@]}" >/dev/null 2>&1 || {
        rm -rf "$scratch"
        # swift build reports compile errors on stdout: show them when this fails too.
        log="$("${build[@]}" "${flags[@]}" 2>&1)" || { echo "$log" >&2; exit 1; }
    }
done
bin="$("${build[@]}" --show-bin-path)"
mkdir -p "$here/findings"

status=0
for target in "${targets[@]}"; do
    corpus="$here/corpus-work/$target"
    if [ ! -d "$corpus" ]; then
        mkdir -p "$corpus"
        cp "$here"/seeds/* "$corpus"/
    fi
    echo "== fuzz-$target for ${seconds}s"
    # shellcheck disable=SC2086
    if ! "$bin/fuzz-$target" -max_total_time="$seconds" -max_len=512 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -dict="$here/postfix.dict" -artifact_prefix="$here/findings/" \
            ${FUZZ_FLAGS:-} "$corpus" 2>"$here/findings/$target$suffix.log"; then
        status=1
        grep -a -A40 "ORACLE FAILED\|ERROR: AddressSanitizer\|Fatal error\|runtime failure" "$here/findings/$target$suffix.log" | head -60 || true
    fi
    grep -a -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ +DONE" "$here/findings/$target$suffix.log" || true
done
exit $status
