#!/usr/bin/env bash
# A short fuzz pass over every parser and the functions that read names,
# money and dates (each target for FUZZTIME, default 5s). .ci/run runs it
# after the tests; run it longer by hand with FUZZTIME=5m scripts/fuzz.sh.
# A failure leaves its input under the package's testdata/fuzz/: commit it
# with the fix, and it runs as a seed in every `go test` from then on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fuzztime=${FUZZTIME:-5s}
for pkg in ./ingest ./crawlers; do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
    echo "fuzz: $pkg $target for $fuzztime"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/valuegraph-fuzz.log 2>&1 || {
      cat /tmp/valuegraph-fuzz.log; echo "fuzz: $pkg $target failed (input saved under $pkg/testdata/fuzz/$target)"; exit 1; }
  done
done
echo "fuzz: every target ran for $fuzztime without a failure"
