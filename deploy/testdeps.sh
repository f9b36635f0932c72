#!/usr/bin/env bash
# Installs what the tests need from Debian's packages when it is missing:
# the Hungarian word list that triage's prefix rules are checked against.
set -euo pipefail
if [ ! -f /usr/share/hunspell/hu_HU.dic ]; then
  echo "testdeps: installing hunspell-hu" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq hunspell-hu >&2
fi
