#!/usr/bin/env bash
# Writes the man page to FILE: argument-parser's page, generated from the command
# definitions (its GenerateManual plugin), with this folder's ENVIRONMENT, FILES,
# EXIT STATUS, EXAMPLES and SEE ALSO in place of the plugin's one-line EXIT STATUS.
#
#     packaging/manpage.sh FILE
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"
cd "$root"
# Dated by the last commit, so the same source gives the same page.
date="$(git log -1 --format=%cs 2>/dev/null || date -u +%F)"
log="$(swift package plugin generate-manual --configuration debug --date "$date" 2>&1)" || { echo "$log" >&2; exit 1; }
page=.build/plugins/GenerateManual/outputs/mailscrub/mailscrub.1
mkdir -p "$(dirname "$out")"
# The DESCRIPTION repeats the --help text's exit codes, which EXIT STATUS lists; a
# blank line there is a paragraph break (mdoc warns about blank lines).
awk -v sections="packaging/mailscrub.1.sections" '
    /^Exit status:$/ { skipping = 1; next }
    skipping && /^\./ { skipping = 0 }
    skipping { next }
    /^\.Sh "EXIT STATUS"$/ { while ((getline line < sections) > 0) print line; exit }
    /^$/ { print ".Pp"; next }
    { print }
' "$page" > "$out.tmp"
mv "$out.tmp" "$out"
