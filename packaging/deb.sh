#!/usr/bin/env bash
# Builds dist/mailscrub_VERSION_ARCH.deb from dist/ (run by `make deb`, after `make`):
# the static binary, man page and completions under /usr, the shipped policies, the
# scheduled job's config and policy as conffiles in /etc/mailscrub (the config mode
# 0600, owned by the mailscrub system user that postinst creates), and the systemd
# service and timer, installed but not enabled.
#
#     packaging/deb.sh VERSION
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$1"
cd "$root"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

chmod 755 "$stage"
make -s install DESTDIR="$stage" PREFIX=/usr >/dev/null
gzip -9n "$stage/usr/share/man/man1/mailscrub.1"
install -d -m 700 "$stage/etc/mailscrub"
install -m 600 config/scheduled/mailscrub.yml "$stage/etc/mailscrub/mailscrub.yml"
install -m 644 policy/scheduled.yml "$stage/etc/mailscrub/policy.yml"
install -d "$stage/lib/systemd/system"
for unit in mailscrub.service mailscrub.timer; do
    sed 's|/usr/local/bin/mailscrub|/usr/bin/mailscrub|g' "config/scheduled/$unit" > "$stage/lib/systemd/system/$unit"
    chmod 644 "$stage/lib/systemd/system/$unit"
done

# The oldest glibc the binary runs on: the newest symbol version it needs.
glibc="$(objdump -T dist/mailscrub | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
install -d "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: mailscrub
Version: $version
Architecture: $arch
Maintainer: mailscrub developers <mailscrub@localhost>
Section: mail
Priority: optional
Depends: adduser, libc6 (>= $glibc), libstdc++6 (>= 12), libgcc-s1, libssl3, zlib1g, liblzma5, libzstd1, libbz2-1.0
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Description: anonymizing filter for Postfix mail logs
 Reads Postfix syslog lines and writes one NDJSON record per delivery (or the
 scrubbed log), with every address, message-id, IP address and header value
 replaced by a keyed HMAC-SHA256 pseudonym. Ships a nightly systemd job under a
 key-rotation policy; see /usr/share/doc/mailscrub/README.md.
CONTROL
printf '%s\n' /etc/mailscrub/mailscrub.yml /etc/mailscrub/policy.yml > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
# The scheduled job runs as the mailscrub system user, which owns its config, its key
# store (created by 'mailscrub keys rotate' in /etc/mailscrub/keys) and its output.
set -e
if [ "$1" = configure ]; then
    if ! getent passwd mailscrub >/dev/null; then
        adduser --system --group --quiet --home /var/lib/mailscrub --no-create-home mailscrub
    fi
    # adm reads /var/log/mail.log on Debian: the cron line needs it (the unit sets Group=adm).
    if getent group adm >/dev/null; then adduser --quiet mailscrub adm; fi
    install -d -m 700 -o mailscrub -g mailscrub /var/lib/mailscrub
    chown mailscrub:mailscrub /etc/mailscrub /etc/mailscrub/mailscrub.yml
    chmod 700 /etc/mailscrub
    chmod 600 /etc/mailscrub/mailscrub.yml
fi
POSTINST
chmod 755 "$stage/DEBIAN/postinst"

mkdir -p dist
out="dist/mailscrub_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$stage" "$out" >/dev/null
echo "$out"
