#!/usr/bin/env python3
"""The anonymizer an operator would write in an afternoon, as a yardstick for mailscrub
--emit lines: regular expressions for addresses, message-ids and IP addresses, each
match replaced by a keyed HMAC-SHA256 (16 bytes, hex). Reads stdin, writes stdout.
It is what mailscrub is measured against, not a safe tool: it knows no header values,
quoted local parts or line shapes."""
import hashlib
import hmac
import re
import sys

KEY = b"benchmark secret, only for generated logs 0123"
TOKEN = re.compile(
    rb"<[^<>@\s]+@[^<>\s]+>"                       # message-id
    rb"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+"  # address
    rb"|\b(?:\d{1,3}\.){3}\d{1,3}\b"               # IPv4
    rb"|\b(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}\b"  # IPv6
)
cache = {}


def pseudonym(match):
    value = match.group(0)
    hit = cache.get(value)
    if hit is None:
        hit = hmac.new(KEY, value, hashlib.sha256).hexdigest()[:32].encode()
        if len(cache) < 1_000_000:
            cache[value] = hit
    return hit


out = sys.stdout.buffer
for line in sys.stdin.buffer:
    out.write(TOKEN.sub(pseudonym, line))
