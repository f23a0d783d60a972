# ValueGraph: the two commands a newcomer needs are `make demo` and `make test`.
# Everything else here is a step of those two, or an operator's shortcut.

# The documented local default; set NEO4J_PASSWORD to use another.
export NEO4J_PASSWORD ?= valuegraph-dev

BIN := bin/valuegraph
GO_TEST_FLAGS ?= -count=1

.PHONY: demo test services down status build vet web bench bench-api

## demo: start Neo4j and Redis, load the demo dataset, run worker and API server
demo:
	scripts/demo.sh

## test: start Neo4j and Redis, then run every test against them
test: services vet
	go test $(GO_TEST_FLAGS) ./...

services:
	scripts/services.sh up

down:
	scripts/services.sh down

status:
	scripts/services.sh status

build:
	go build -o $(BIN) ./cmd/valuegraph

## web: rebuild the web app's bundle (web/dist, committed and embedded in the binary) from web/src
web:
	cd web && npm ci --no-audit --no-fund --prefer-offline && npm run build

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

## bench: the bench harness: ingest, rescoring, the brief under load and the crawler, each beside its limit, written into docs/BENCHMARKS.md (not part of `make test`)
bench: services
	scripts/bench.sh

## bench-api: the API under 16 and 64 clients on 100k customers and 1M signals (builds them once)
bench-api: services
	go test -run '^$$' -bench APILoad -benchtime 1x -timeout 60m ./resolvers/
