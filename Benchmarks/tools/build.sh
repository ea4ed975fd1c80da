# Sourced by the benchmark scripts: builds mailscrub as `make` does (the binary an
# operator installs: static runtime, full LTO) and the log generator in release mode,
# and sets $mailscrub and $loggen to their paths. Needs $root and $here.
make -s -C "$root" dist/mailscrub >/dev/null
swift build -c release --package-path "$here" --product loggen >/dev/null
mailscrub="$root/dist/mailscrub"
loggen="$(swift build -c release --package-path "$here" --show-bin-path)/loggen"
