#!/usr/bin/env bash
# Installs the Debian packages QVBench builds against, only those that are missing.
# Idempotent: a second run installs nothing. Fails with a clear message when it cannot.
set -euo pipefail

packages=(
  pkg-config
  libopenblas-dev liblapacke-dev
  libpng-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  libcsv-dev
  ffmpeg
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Python reference reader for the safetensors cross-check test (PyPI).
ensure_python_packages() {
  if command -v python3 >/dev/null 2>&1 && ! python3 -c "import safetensors, numpy" 2>/dev/null; then
    echo "setup: installing Python packages safetensors, numpy"
    python3 -m pip install -q safetensors numpy >/dev/null 2>&1 \
      || echo "setup: warning: pip could not install safetensors/numpy; the cross-check test will be skipped." >&2
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} system packages present."
  ensure_python_packages
  exit 0
fi

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "setup: error: need root (or sudo) to install: ${missing[*]}" >&2
    echo "setup: fix: run 'apt-get install ${missing[*]}' as root, then rerun." >&2
    exit 1
  fi
else
  SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >/dev/null; then
  echo "setup: error: 'apt-get update' failed; is the Debian mirror reachable?" >&2
  exit 1
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "setup: error: could not install: ${missing[*]}" >&2
  echo "setup: fix: run 'apt-get install ${missing[*]}' by hand to see apt's message." >&2
  exit 1
fi
echo "setup: installed ${#missing[@]} package(s)."
ensure_python_packages
