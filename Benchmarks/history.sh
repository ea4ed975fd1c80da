#!/usr/bin/env bash
# Side-by-side benchmark, kept as history: on one generated log, in one invocation,
# mailscrub in every mode at --jobs 1 and --jobs (all cores), the regex+HMAC Python
# script an operator would write (tools/baseline.py), and pflogsumm where installed.
# Prints a table and appends one dated row to Benchmarks/RESULTS.md.
#
#     Benchmarks/history.sh [MEGABYTES]        (default 64)
#
# Each figure is the best of three runs, output to /dev/null; mallocs per line come
# from a preloaded counter (tools/malloc-count.c, built with cc) over one more run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
megabytes="${1:-64}"
out="$here/out"
mkdir -p "$out"

. "$here/tools/build.sh"
cc -O2 -shared -fPIC -o "$out/malloc-count.so" "$here/tools/malloc-count.c"

log="$out/bench-${megabytes}MB.log"
[ -s "$log" ] || "$loggen" "$megabytes" 1 > "$log"
bytes=$(stat -c %s "$log")
lines=$(wc -l < "$log")
config="$out/bench-config.yml"
printf 'secret: "benchmark secret, only for generated logs 0123"\n' > "$config"
chmod 600 "$config"
cores=$(nproc)

# Best of three: "seconds peak_kb".
best_of_three() {
    local best="" result seconds
    for _ in 1 2 3; do
        result=$( { /usr/bin/time -f '%e %M' "$@" < "$log" > /dev/null; } 2>&1 | tail -n 1)
        seconds=${result% *}
        if [ -z "$best" ] || awk "BEGIN{exit !($seconds < ${best% *})}"; then best="$result"; fi
    done
    echo "$best"
}

mallocs_per_line() {
    MALLOC_COUNT_FILE="$out/mallocs" LD_PRELOAD="$out/malloc-count.so" "$@" < "$log" > /dev/null
    awk -v n="$(cat "$out/mallocs")" -v l="$lines" 'BEGIN { printf "%.3f", n / l }'
}

declare -A seconds rss mallocs
run() {
    local name="$1"
    shift
    local best
    best=$(best_of_three "$@")
    seconds[$name]=${best% *}
    rss[$name]=${best#* }
    if [ "$name" != python ] && [ "$name" != pflogsumm ]; then mallocs[$name]=$(mallocs_per_line "$@"); else mallocs[$name]=-; fi
    awk -v n="$name" -v b="$bytes" -v s="${seconds[$name]}" -v k="${rss[$name]}" -v m="${mallocs[$name]}" \
        'BEGIN { if (s <= 0) s = 0.01; printf "%-16s %7.2f s %8.1f MB/s  peak %6.1f MB  mallocs/line %s\n", n, s, b / 1e6 / s, k / 1024, m }'
}

echo "input: $log ($((bytes / 1000000)) MB, $lines lines), $cores cores"
for mode in lines events records; do
    run "$mode-j1" "$mailscrub" --config "$config" --emit "$mode" --jobs 1
    run "$mode-j$cores" "$mailscrub" --config "$config" --emit "$mode" --jobs "$cores"
done
run python python3 "$here/tools/baseline.py"
if command -v pflogsumm >/dev/null; then run pflogsumm pflogsumm; fi

mbs() { awk -v b="$bytes" -v s="${seconds[$1]}" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { awk -v a="${seconds[$2]}" -v b="${seconds[$1]}" 'BEGIN { printf "%.2f", a / b }'; }
pflog="-"
[ -n "${seconds[pflogsumm]:-}" ] && pflog="$(ratio records-j1 pflogsumm)×"
peak=0
for name in "${!rss[@]}"; do
    case "$name" in python|pflogsumm) ;; *) [ "${rss[$name]}" -gt "$peak" ] && peak=${rss[$name]} ;; esac
done

results="$here/RESULTS.md"
if [ ! -s "$results" ]; then
    cat > "$results" <<'HEAD'
# Benchmark history

One row per `Benchmarks/history.sh` run (newest last): MB/s of mailscrub per mode at
`--jobs 1` and with all cores, lines mode against the regex+HMAC Python script
(`tools/baseline.py`), records mode against pflogsumm, the speedup of all cores over
one, peak RSS of the mailscrub runs and their heap allocations per input line.

| date | commit | machine | MB | lines j1 | lines jN | events j1 | events jN | records j1 | records jN | lines ÷ python | records ÷ pflogsumm | speedup lines/events/records | peak RSS | mallocs/line lines/events/records |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
HEAD
fi
commit=$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources || echo "+")
machine="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //; s/ *$//'), $cores cores"
printf '| %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s× | %s | %s / %s / %s | %.1f MB | %s / %s / %s |\n' \
    "$(date -u +%F)" "$commit" "$machine" "$((bytes / 1000000))" \
    "$(mbs lines-j1)" "$(mbs lines-j$cores)" "$(mbs events-j1)" "$(mbs events-j$cores)" "$(mbs records-j1)" "$(mbs records-j$cores)" \
    "$(ratio lines-j1 python)" "$pflog" \
    "$(ratio lines-j$cores lines-j1)" "$(ratio events-j$cores events-j1)" "$(ratio records-j$cores records-j1)" \
    "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" "${mallocs[lines-j1]}" "${mallocs[events-j1]}" "${mallocs[records-j1]}" >> "$results"
echo "appended to $results:"
tail -n 1 "$results"
