#!/bin/sh
# ctest entry: the Optuna conformance suite, skipped (exit 77) when Optuna is not there.
#   tests/conformance/conformance.test.sh build-pruners/curvelab
if ! /usr/bin/python3 -c "import optuna" 2>/dev/null; then
  echo "SKIPPED: /usr/bin/python3 cannot import optuna (apt-get install python3-optuna)"
  exit 77
fi
exec /usr/bin/python3 "$(dirname "$0")/run_conformance.py" --curvelab "$1" --count 600 --seed 1
