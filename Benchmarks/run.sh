#!/usr/bin/env bash
# Benchmark of mailscrub on a generated log: MB/s, lines/s and peak memory.
#
#     Benchmarks/run.sh [MEGABYTES] [MODE] [SHAPE]      (defaults: 200 lines normal)
#
# SHAPE is loggen's: normal, or a hostile input (flood, long-line, nul, invalid-utf8).
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
out="$here/out"
mkdir -p "$out"

swift build -c release --package-path "$root" --product mailscrub >/dev/null
swift build -c release --package-path "$here" --product loggen >/dev/null
mailscrub="$(swift build -c release --package-path "$root" --show-bin-path)/mailscrub"
loggen="$(swift build -c release --package-path "$here" --show-bin-path)/loggen"

log="$out/bench-${megabytes}MB.log"
[ "$shape" = normal ] || log="$out/bench-${megabytes}MB-$shape.log"
[ -s "$log" ] || "$loggen" "$megabytes" 1 "$shape" > "$log"
bytes=$(stat -c %s "$log")
lines=$(wc -l < "$log")

config="$out/bench-config.yml"
printf 'secret: "benchmark secret, only for generated logs 0123"\n' > "$config"
chmod 600 "$config"

best=""
for _ in 1 2 3; do
    result=$( { /usr/bin/time -f '%e %M' "$mailscrub" --emit "$mode" --config "$config" "$log" > /dev/null; } 2>&1 | tail -n 1)
    seconds=${result% *}
    if [ -z "$best" ] || awk "BEGIN{exit !($seconds < ${best% *})}"; then best="$result"; fi
done
seconds=${best% *}
peak_kb=${best#* }
awk -v b="$bytes" -v l="$lines" -v s="$seconds" -v k="$peak_kb" -v m="$mode" -v sh="$shape" 'BEGIN {
    if (s <= 0) s = 0.01
    printf "mode=%s shape=%s input=%.1f MB lines=%d time=%.2f s throughput=%.1f MB/s %.0f lines/s peak_rss=%.1f MB\n",
        m, sh, b / 1e6, l, s, b / 1e6 / s, l / s, k / 1024
}'
