#!/usr/bin/env bash
# The one bench harness (make bench): each figure beside its limit, in one table
# written into docs/BENCHMARKS.md with the machine, the date and the commit.
#
#   ingest    signals/s: ours (UpsertSignals), the bare driver's UNWIND on the same rows
#             with as many writers, and Neo4j's offline importer loading the same rows
#             into an empty store (the physical limit)          graph BenchmarkIngestThroughput
#   rescore   every customer rescored as the nightly run does, beside the read alone
#                                                               jobs BenchmarkRescore
#   brief     the pre-visit brief under load through the API, beside its raw Cypher
#                                                               resolvers BenchmarkAPILoad
#   crawl     pages/s against the local fixture portal, beside bare GETs of the same pages
#                                                               crawlers BenchmarkCrawl
#
# Sizes (defaults finish in under 15 minutes on 2 quiet cores):
#   VALUEGRAPH_BENCH_SIGNALS    ingest rows                  200000
#   VALUEGRAPH_BENCH_CUSTOMERS  customers rescored (12 signals each)  100000
#   VALUEGRAPH_LOAD_CUSTOMERS   the brief's load graph (kept under load-)  10000
#   VALUEGRAPH_BENCH_ONLY       e.g. "rescore crawl": run only these (the table says
#                               "not run" for the others)
#   VALUEGRAPH_BENCH_WRITE=0    print the table, leave docs/BENCHMARKS.md alone
#   VALUEGRAPH_BENCH_REPORT=1   run nothing: the table of the last run's outputs (in
#                               .state/bench), e.g. after it was stopped
# A benchmark that fails is named under the table and the others still run.
# Services must be up (NEO4J_URI, REDIS_URL, NEO4J_PASSWORD as for the tests).
# Not part of make test or .ci/run: it takes too long.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${VALUEGRAPH_STATE:-$root/.state}/bench
mkdir -p "$out"
signals=${VALUEGRAPH_BENCH_SIGNALS:-200000}
customers=${VALUEGRAPH_BENCH_CUSTOMERS:-100000}
load_customers=${VALUEGRAPH_LOAD_CUSTOMERS:-10000}
only=${VALUEGRAPH_BENCH_ONLY:-ingest rescore brief crawl}

log() { printf 'bench: %s\n' "$*" >&2; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

# run NAME CMD...: runs a benchmark, its output kept in $out/NAME.txt.
run() {
  local name=$1; shift
  [[ ${VALUEGRAPH_BENCH_REPORT:-0} == 1 ]] && return
  if [[ " $only " != *" $name "* ]]; then
    rm -f "$out/$name.txt"
    return
  fi
  log "$name: $*"
  local t0=$SECONDS
  if ! "$@" 2>&1 | tee "$out/$name.txt" >&2; then
    log "$name failed: see $out/$name.txt"
    echo "failed" >>"$out/$name.txt"
  fi
  log "$name took $((SECONDS - t0)) s"
  echo "took $((SECONDS - t0))" >>"$out/$name.txt"
}

run ingest env VALUEGRAPH_BENCH_SIGNALS="$signals" \
  go test -run '^$' -bench IngestThroughput -benchtime 1x -timeout 60m ./graph/
# The brief runs before the rescoring: right after the rescoring purges its 1.2 million
# signals, Neo4j's first reads are slow enough that a warm-up brief ran past its 15 s deadline.
run brief env VALUEGRAPH_LOAD_CUSTOMERS="$load_customers" VALUEGRAPH_LOAD_CLIENTS=16 VALUEGRAPH_LOAD_ROUNDS=3 \
  VALUEGRAPH_LOAD_CASES='brief|brief, raw Cypher' \
  go test -run '^$' -bench APILoad -benchtime 1x -timeout 60m ./resolvers/
run rescore env VALUEGRAPH_BENCH_CUSTOMERS="$customers" \
  go test -run '^$' -bench Rescore -benchtime 1x -timeout 60m ./jobs/
run crawl go test -run '^$' -bench Crawl -benchtime 1x -timeout 30m ./crawlers/

# metric NAME UNIT: the value a benchmark reported under UNIT, or empty.
metric() {
  [[ -f $out/$1.txt ]] || return 0
  awk -v unit="$2" '/^Benchmark/ { for (i = 3; i < NF; i += 2) if ($(i+1) == unit) { print $i; exit } }' "$out/$1.txt"
}

# row WHAT FIGURE LIMIT LIMIT_IS HIGHER: one line of the table; the ratio is the
# figure's share of its limit (figure/limit when higher is better, limit/figure
# when lower is better), so 1.00 is the limit reached.
row() {
  local what=$1 fig=$2 lim=$3 is=$4 higher=$5 ratio="–"
  if [[ -n $fig && -n $lim ]]; then
    ratio=$(awk -v f="$fig" -v l="$lim" -v h="$higher" 'BEGIN { if (f <= 0 || l <= 0) print "–"; else printf "%.2f", (h == "higher") ? f / l : l / f }')
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$what" "$(num "$fig")" "$(num "$lim")" "$is" "$ratio"
}

num() {
  [[ -n $1 ]] || { echo "not run"; return; }
  awk -v x="$1" 'BEGIN { if (x >= 100) printf "%\047.0f", x; else if (x >= 10) printf "%.1f", x; else printf "%.2f", x }'
}

took() {
  local t
  t=$(awk '/^took / { print $2 }' "$out/$1.txt" 2>/dev/null || true)
  echo "${t:-not run}${t:+ s}"
}

table() {
  echo '| figure | ours | limit | the limit is | share of the limit |'
  echo '|---|---|---|---|---|'
  row "ingest, signals/s ($signals rows, 2 writers)" "$(metric ingest ours_signals/s)" "$(metric ingest bare_signals/s)" \
    "the bare driver's UNWIND CREATE, same rows, same writers" higher
  row "ingest, signals/s" "$(metric ingest ours_signals/s)" "$(metric ingest import_signals/s)" \
    "Neo4j's offline importer (\`database import full\`), same rows, empty store, by its own clock" higher
  row "rescoring $customers customers, customers/s (nightly: alerts on, previous read)" "$(metric rescore nightly_customers/s)" \
    "$(metric rescore readOnly_customers/s)" "the read query alone, page after page" higher
  row "rescoring $customers customers, first time, customers/s" "$(metric rescore first_customers/s)" \
    "$(metric rescore readOnly_customers/s)" "the read query alone, page after page" higher
  row "rescoring $customers customers, s (nightly)" "$(metric rescore nightly_s)" "$(awk -v n="$customers" 'BEGIN { print 60 * n / 100000 }')" \
    "the target's pace: 100,000 in 60 s" lower
  row "brief p50, ms (16 clients, $load_customers customers)" "$(metric brief c16_brief_p50_ms)" "$(metric brief c16_raw_p50_ms)" \
    "the brief's Cypher straight through the driver" lower
  row "brief p99, ms (16 clients)" "$(metric brief c16_brief_p99_ms)" "$(metric brief c16_raw_p99_ms)" \
    "the brief's Cypher straight through the driver" lower
  row "briefs/s (16 clients)" "$(metric brief c16_brief_req/s)" "$(metric brief c16_raw_req/s)" \
    "the brief's Cypher straight through the driver" higher
  row "crawler, pages/s (8 at once, fixture portal)" "$(metric crawl pages/s)" "$(metric crawl fetch_pages/s)" \
    "bare GETs of the same pages, 8 at once" higher
  local name notrun=() failed=()
  for name in ingest rescore brief crawl; do
    if [[ ! -f $out/$name.txt ]]; then
      notrun+=("$name")
    elif grep -qx failed "$out/$name.txt"; then
      failed+=("$name: $(grep -v -e '--- FAIL' "$out/$name.txt" | grep -m1 -iE 'error|timeout|panic|fail' | sed 's/^[[:space:]]*//' | cut -c1-240)")
    fi
  done
  echo
  [[ ${#notrun[@]} -eq 0 ]] || echo "Not run: ${notrun[*]}."
  local f
  for f in "${failed[@]}"; do echo "Failed: $f"; echo; done
}

elapsed=$(($(date +%s) - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- . ':!docs/BENCHMARKS.md' || commit="$commit + uncommitted changes"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
  echo "## Bench harness — $(date -u +%Y-%m-%d\ %H:%M) UTC, commit $commit"
  echo
  [[ ${VALUEGRAPH_BENCH_REPORT:-0} == 1 ]] && echo "The table of the last run's outputs (\`VALUEGRAPH_BENCH_REPORT=1\`), rendered at the date above; load average now, not the run's."
  if [[ ${VALUEGRAPH_BENCH_REPORT:-0} == 1 ]]; then
    echo "\`make bench\` (ingest $(took ingest), rescoring $(took rescore), brief $(took brief), crawl $(took crawl))."
  else
    echo "\`make bench\` ($elapsed s in all: ingest $(took ingest), rescoring $(took rescore), brief $(took brief), crawl $(took crawl))."
  fi
  echo "$(nproc) × $cpu, $mem; load average $load_before before, $load_after after (1, 5, 15 min)."
  echo "Neo4j heap ${NEO4J_HEAP:-as started}, page cache ${NEO4J_PAGECACHE_MB:-as started} MB (\`scripts/services.sh\`)."
  echo "Share of the limit: the figure over its limit for rates, the limit over the figure for times; 1.00 is the limit reached."
  echo
  table
} >"$section"
cat "$section"
if [[ ${VALUEGRAPH_BENCH_WRITE:-1} != 0 ]]; then
  # Newest first: before the first entry.
  awk -v f="$section" 'BEGIN { while ((getline l < f) > 0) s = s l "\n" } /^## / && !done { printf "%s\n", s; done = 1 } { print }' \
    docs/BENCHMARKS.md >"$out/BENCHMARKS.md"
  mv "$out/BENCHMARKS.md" docs/BENCHMARKS.md
  log "written into docs/BENCHMARKS.md"
fi
