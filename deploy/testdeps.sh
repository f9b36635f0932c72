#!/usr/bin/env bash
# Installs what the tests need when it is missing: from Debian's packages
# the Hungarian word list that triage's prefix rules are checked against,
# Chromium, in which the console's browser tests run headless, and npm;
# from npm, axe-core, pinned, which the browser tests inject into every
# page to check its accessibility. axe-core goes into a cache folder
# ($OKIT_TESTDEPS, ~/.cache/okit-testdeps by default), never the repository.
set -euo pipefail
missing=()
[ -f /usr/share/hunspell/hu_HU.dic ] || missing+=(hunspell-hu)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "testdeps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

AXE_VERSION=4.14.1
cache="${OKIT_TESTDEPS:-$HOME/.cache/okit-testdeps}"
if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$cache/node_modules/axe-core/package.json"; then
  echo "testdeps: installing axe-core $AXE_VERSION into $cache" >&2
  mkdir -p "$cache"
  npm install --silent --no-audit --no-fund --prefix "$cache" "axe-core@$AXE_VERSION" >&2
fi
