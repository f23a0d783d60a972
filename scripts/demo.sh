#!/usr/bin/env bash
# make demo: services up, the binary built, the schema migrated, the demo
# dataset loaded, then the worker in the background and the API server in the
# foreground. Ctrl-C stops both.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export NEO4J_PASSWORD=${NEO4J_PASSWORD:-valuegraph-dev}

scripts/services.sh up
go build -o bin/valuegraph ./cmd/valuegraph
bin/valuegraph migrate
bin/valuegraph demo

bin/valuegraph worker &
worker=$!
trap 'kill -TERM $worker 2>/dev/null; wait $worker 2>/dev/null || true' EXIT

cat <<EOT

ValueGraph demo is up.
  readiness:  curl -s http://${VALUEGRAPH_ADDR:-127.0.0.1:8080}/readyz
  a customer: NEO4J_PASSWORD=$NEO4J_PASSWORD bin/valuegraph show demo-c-huaxin
  search:     NEO4J_PASSWORD=$NEO4J_PASSWORD bin/valuegraph search 华信冷链
Ctrl-C stops the server and the worker; 'make down' stops Neo4j and Redis.

EOT
bin/valuegraph serve
