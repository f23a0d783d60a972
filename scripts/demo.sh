#!/usr/bin/env bash
# make demo: services up, the binary built, the schema migrated, the demo
# dataset loaded, then the worker in the background and the API server in the
# foreground. Ctrl-C stops both.
set -euo pipefail
started=$SECONDS
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export NEO4J_PASSWORD=${NEO4J_PASSWORD:-valuegraph-dev}

scripts/services.sh up
go build -o bin/valuegraph ./cmd/valuegraph
bin/valuegraph migrate
bin/valuegraph demo
# Named demo-admin: the demo's subscription (the start page's feed) is this name's.
token=$(bin/valuegraph token create -name demo-admin -role admin)

# The worker and the server write their pids where 'make down' finds them.
state=${VALUEGRAPH_STATE:-$root/.state}
mkdir -p "$state/demo"
bin/valuegraph worker &
worker=$!
echo $worker >"$state/demo/worker.pid"
serve=
stop_demo() {
  kill -TERM $worker $serve 2>/dev/null || true
  wait $worker $serve 2>/dev/null || true
  rm -f "$state/demo/worker.pid" "$state/demo/serve.pid"
}
trap stop_demo EXIT

addr=${VALUEGRAPH_ADDR:-127.0.0.1:8080}
cat <<EOT

ValueGraph demo is up ($((SECONDS - started)) s after scripts/demo.sh started).
  web app:    http://$addr/  (sign in with the token: $token)
  readiness:  curl -s http://$addr/readyz
  GraphQL:    curl -s http://$addr/graphql -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \\
                -d '{"query":"{ customer(id: \\"demo-c-huaxin\\") { name signals { kind title trust } competitors { competitor { name } mentions } } }"}'
              (an admin token was created for this demo: $token)
  a customer: NEO4J_PASSWORD=$NEO4J_PASSWORD bin/valuegraph show demo-c-huaxin
  search:     NEO4J_PASSWORD=$NEO4J_PASSWORD bin/valuegraph search 华信冷链
Ctrl-C stops the server and the worker; 'make down' stops them too (from another terminal), and Neo4j and Redis.

EOT
bin/valuegraph serve &
serve=$!
echo $serve >"$state/demo/serve.pid"
wait $serve
