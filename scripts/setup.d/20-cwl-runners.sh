#!/usr/bin/env bash
# The CWL runners the export tests run workflows with (tests/*/Export): Debian's cwltool 3.1 and Toil 5.9.
# Test setup only; `detect export cwl` itself needs neither.
set -euo pipefail
[ "${1:-}" = "--test" ] || exit 0
missing=()
for p in cwltool toil; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing apt packages: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
