#!/usr/bin/env bash
# Benchmark of mailscrub on a generated log: MB/s, lines/s and peak memory.
#
#     Benchmarks/run.sh [MEGABYTES] [MODE] [SHAPE] [COMPRESSION]
#                                     (defaults: 200 lines normal none)
#
# SHAPE is loggen's: normal, journal (journalctl -o json), or a hostile input (flood,
# long-line, nul, invalid-utf8). COMPRESSION gzip runs mailscrub on the log gzipped,
# and `zcat | mailscrub` beside it; throughput counts the uncompressed bytes.
#
# Builds mailscrub and the log generator in release mode, generates the log once into
# Benchmarks/out/ (reused while its size matches), runs mailscrub three times with
# output to /dev/null and reports the best run. Run it from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
megabytes="${1:-200}"
mode="${2:-lines}"
shape="${3:-normal}"
compression="${4:-none}"
out="$here/out"
mkdir -p "$out"

. "$here/tools/build.sh"

log="$out/bench-${megabytes}MB.log"
[ "$shape" = normal ] || log="$out/bench-${megabytes}MB-$shape.log"
[ -s "$log" ] || "$loggen" "$megabytes" 1 "$shape" > "$log"
bytes=$(stat -c %s "$log")
lines=$(wc -l < "$log")

config="$out/bench-config.yml"
printf 'secret: "benchmark secret, only for generated logs 0123"\n' > "$config"
chmod 600 "$config"

# Best of three runs of the command in "$@" (output to /dev/null): "seconds peak_kb".
best_of_three() {
    local best="" result seconds
    for _ in 1 2 3; do
        result=$( { /usr/bin/time -f '%e %M' "$@" > /dev/null; } 2>&1 | tail -n 1)
        seconds=${result% *}
        if [ -z "$best" ] || awk "BEGIN{exit !($seconds < ${best% *})}"; then best="$result"; fi
    done
    echo "$best"
}

report() {
    local label="$1" best="$2"
    awk -v b="$bytes" -v l="$lines" -v s="${best% *}" -v k="${best#* }" -v m="$mode" -v sh="$shape" -v c="$label" 'BEGIN {
        if (s <= 0) s = 0.01
        printf "mode=%s shape=%s input=%s %.1f MB lines=%d time=%.2f s throughput=%.1f MB/s %.0f lines/s peak_rss=%.1f MB\n",
            m, sh, c, b / 1e6, l, s, b / 1e6 / s, l / s, k / 1024
    }'
}

case "$compression" in
    none)
        report plain "$(best_of_three "$mailscrub" --emit "$mode" --config "$config" "$log")"
        ;;
    gzip)
        [ -s "$log.gz" ] || gzip -c "$log" > "$log.gz"
        report gzip "$(best_of_three "$mailscrub" --emit "$mode" --config "$config" "$log.gz")"
        # The same through zcat in a pipe (peak RSS: the larger of zcat and mailscrub).
        report zcat-pipe "$(best_of_three sh -c "zcat '$log.gz' | '$mailscrub' --emit '$mode' --config '$config'")"
        ;;
    *) echo "run.sh: COMPRESSION must be none or gzip" >&2; exit 64 ;;
esac
