#!/usr/bin/env bash
# Builds the fuzz targets (libFuzzer + AddressSanitizer) and runs each for a while.
#
#     Fuzz/run.sh [SECONDS] [TARGET...]      (defaults: 60, all of lines events records)
#
# Each target starts from the seed corpus in Fuzz/corpus-work/TARGET (made from
# Fuzz/seeds on the first run and grown by libFuzzer), uses Fuzz/postfix.dict, and
# stops at the first oracle failure, leaving the input as Fuzz/findings/crash-*.
# Extra libFuzzer flags can be passed in FUZZ_FLAGS (e.g. "-runs=10000000").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(lines events records)

# Sanitizer reports must not be swallowed by Swift's own crash backtracer.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"

for target in "${targets[@]}"; do
    swift build -c release --package-path "$here" --product "fuzz-$target" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >/dev/null
done
bin="$(swift build -c release --package-path "$here" --show-bin-path)"
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
            ${FUZZ_FLAGS:-} "$corpus" 2>"$here/findings/$target.log"; then
        status=1
        grep -a -A40 "ORACLE FAILED\|ERROR: AddressSanitizer\|Fatal error\|runtime failure" "$here/findings/$target.log" | head -60 || true
    fi
    grep -a -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ +DONE" "$here/findings/$target.log" || true
done
exit $status
