# Sourced by the benchmark scripts: builds mailscrub and the log generator in release
# mode and sets $mailscrub and $loggen to their paths. Needs $root and $here.
swift build -c release --package-path "$root" --product mailscrub >/dev/null
swift build -c release --package-path "$here" --product loggen >/dev/null
mailscrub="$(swift build -c release --package-path "$root" --show-bin-path)/mailscrub"
loggen="$(swift build -c release --package-path "$here" --show-bin-path)/loggen"
