#!/usr/bin/env bash
# Installs what curvelab needs on Debian 12, and only what is missing:
# Debian packages (as root through apt-get; otherwise a precise message), then npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake make g++            # native build
  clang-format              # the formatting check
  nlohmann-json3-dev        # JSON
  catch2 libbenchmark-dev   # tests and benchmarks
  emscripten                # the WebAssembly build
  chromium                  # browser tests
  python3-optuna            # the conformance oracle for the pruners
  python3-numpy             # bench/numpy_testbed.py: the vectorised peer of the simulator
  librsvg2-bin              # rsvg-convert: quiz charts as PNG (curvelab quiz --png)
  libcurl4-openssl-dev      # curvelab eval: HTTP(S) to model endpoints
  libcpp-httplib-dev libssl-dev  # curvelab serve: HTTP (cpp-httplib); SHA-256 of tokens and cache keys
  libsqlite3-dev libpq-dev pkg-config  # curvelab serve: SQLite and PostgreSQL (libpq) stores
  postgresql                # initdb and pg_ctl: the PostgreSQL cluster the serve tests make
  clang-14 libfuzzer-14-dev libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer targets of the readers
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# npm ci when node_modules is absent or older than the lock file.
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
