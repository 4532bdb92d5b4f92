#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with Node 20, run as root (or with sudo).
# Installs what Loupe needs and returns quickly when everything is already there:
#  - system packages to build headless-gl (gl@8 compiles ANGLE with node-gyp),
#    Xvfb (headless-gl needs an X display on Linux) and Chromium (browser tests);
#  - npm dependencies from the lock file (npm ci), never downloading a browser.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3 make g++ pkg-config libxi-dev libxext-dev libx11-dev libgl1-mesa-dri xvfb xauth chromium)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last successful install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.loupe-setup-stamp 2>/dev/null)" != "$lock_hash" ]; then
  echo "setup: npm ci (builds headless-gl from source, about 2 minutes the first time)"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.loupe-setup-stamp
fi
