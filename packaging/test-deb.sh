#!/usr/bin/env bash
# Installs the .deb on this machine and checks what an operator would: the binary runs
# the sample with the Swift toolchain hidden (a private mount namespace puts an empty
# directory over it), the man page and bash completions work, the scheduled job's
# config belongs to the mailscrub user with mode 0600, its key store can be made, and
# an upgrade keeps an edited config. From a checkout, also `make install` into a staging
# directory, run the same way. Needs root. Run by .ci/run after `make deb`; removes the
# package again at the end.
#
#     packaging/test-deb.sh dist/mailscrub_VERSION_ARCH.deb
set -euo pipefail
deb="$1"
fail() { echo "test-deb: $*" >&2; exit 1; }

dpkg -i "$deb" >/dev/null
trap 'dpkg --purge mailscrub >/dev/null 2>&1 || true' EXIT

toolchain="$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")"
out="$(mktemp -d)"
chmod 755 "$out"
unshare --mount sh -ec "
    mount -t tmpfs none '$toolchain'
    if ldd /usr/bin/mailscrub | grep -q '$toolchain'; then exit 3; fi
    mailscrub /usr/share/doc/mailscrub/examples/sample.log > '$out/records.ndjson' 2> '$out/stderr.txt'
" || fail "the installed binary does not run without $toolchain (status $?)"
records="$(wc -l < "$out/records.ndjson")"
[ "$records" -gt 0 ] || fail "no records from the sample"
python3 -c 'import json, sys; [json.loads(line) for line in open(sys.argv[1])]' "$out/records.ndjson" \
    || fail "records are not NDJSON"
grep -q "one-time random key" "$out/stderr.txt" || fail "no notice of the one-time key"

man -w mailscrub >/dev/null || fail "man does not find mailscrub(1)"
MANWIDTH=80 man mailscrub 2>/dev/null | grep -q "EXIT STATUS" || fail "man mailscrub has no EXIT STATUS"

completions=$(bash -c '
    source /usr/share/bash-completion/completions/mailscrub
    complete() { :; }
    for words in "mailscrub --emit " "mailscrub scrub --emit " "mailscrub k"; do
        read -r -a COMP_WORDS <<< "$words"
        [ "${words: -1}" = " " ] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
        _mailscrub_default_scrub mailscrub "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
        echo "${COMPREPLY[*]}"
    done')
[ "$completions" = $'records events lines\nrecords events lines\nkeygen keys' ] || fail "bash completion gave: $completions"

if command -v fish >/dev/null; then
    values=$(fish -c "complete -C 'mailscrub scrub --emit '" | cut -f1 | tr '\n' ' ')
    [ "$values" = "records events lines " ] || fail "fish completion gave: $values"
fi

[ "$(stat -c '%a %U' /etc/mailscrub/mailscrub.yml)" = "600 mailscrub" ] || fail "config is not 0600 mailscrub"
id -nG mailscrub | grep -qw adm || fail "the mailscrub user cannot read the mail log (not in adm)"
[ -f /lib/systemd/system/mailscrub.timer ] || fail "no timer"
grep -q "ExecStart=/usr/bin/mailscrub keys rotate" /lib/systemd/system/mailscrub.service || fail "service does not run /usr/bin/mailscrub"
# The nightly job's first step, as its user, with the installed config and policy.
runuser -u mailscrub -- env MAILSCRUB_CONFIG=/etc/mailscrub/mailscrub.yml mailscrub keys rotate >/dev/null \
    || fail "keys rotate fails as the mailscrub user"
runuser -u mailscrub -- env MAILSCRUB_CONFIG=/etc/mailscrub/mailscrub.yml mailscrub check >/dev/null \
    || fail "check fails after keys rotate"
# Installing again (an upgrade) keeps the operator's edits of a conffile, and its mode.
echo "# edited by the operator" >> /etc/mailscrub/mailscrub.yml
dpkg -i "$deb" >/dev/null
tail -n 1 /etc/mailscrub/mailscrub.yml | grep -q "edited by the operator" || fail "reinstalling replaced an edited conffile"
[ "$(stat -c '%a %U' /etc/mailscrub/mailscrub.yml)" = "600 mailscrub" ] || fail "reinstalling changed the config's mode or owner"

# make install, into a staging directory: the same binary runs without the toolchain.
if [ -f Makefile ]; then
    make -s install DESTDIR="$out/stage" PREFIX=/usr/local >/dev/null
    unshare --mount sh -ec "
        mount -t tmpfs none '$toolchain'
        '$out/stage/usr/local/bin/mailscrub' '$out/stage/usr/local/share/doc/mailscrub/examples/sample.log' > '$out/installed.ndjson' 2>/dev/null
    " || fail "make install's binary does not run without $toolchain"
    [ "$(wc -l < "$out/installed.ndjson")" = "$records" ] || fail "make install's binary wrote other records"
    for file in share/man/man1/mailscrub.1 share/bash-completion/completions/mailscrub share/zsh/site-functions/_mailscrub \
            share/fish/vendor_completions.d/mailscrub.fish share/mailscrub/policy/strict.yml share/doc/mailscrub/examples/mailscrub.yml.example; do
        [ -f "$out/stage/usr/local/$file" ] || fail "make install did not install $file"
    done
    make -s uninstall DESTDIR="$out/stage" PREFIX=/usr/local
    [ -z "$(find "$out/stage" -type f)" ] || fail "make uninstall left $(find "$out/stage" -type f | head -n 1)"
fi
rm -rf "$out" /etc/mailscrub/keys
echo "test-deb: $deb installs and runs ($records records from the sample without $toolchain)"
