#!/usr/bin/env bash
# Installs what the tests need from Debian's packages when it is missing:
# the Hungarian word list that triage's prefix rules are checked against,
# and Chromium, in which the console's browser tests run headless.
set -euo pipefail
missing=()
[ -f /usr/share/hunspell/hu_HU.dic ] || missing+=(hunspell-hu)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "testdeps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
