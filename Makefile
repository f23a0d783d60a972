# ValueGraph: the two commands a newcomer needs are `make demo` and `make test`.
# Everything else here is a step of those two, or an operator's shortcut.

# The documented local default; set NEO4J_PASSWORD to use another.
export NEO4J_PASSWORD ?= valuegraph-dev

BIN := bin/valuegraph
GO_TEST_FLAGS ?= -count=1

.PHONY: demo test services test-services down status build vet web bench bench-api bench-gate

# Tests run against their own Neo4j and Redis (own ports, own state folder),
# started by the same script, so they never touch the data `make demo` serves.
TEST_STATE ?= $(CURDIR)/.state/test
TEST_NEO4J_URI ?= bolt://127.0.0.1:7688
TEST_REDIS_URL ?= redis://127.0.0.1:6380/0
TEST_NEO4J_HEAP ?= 3g
TEST_ENV = VALUEGRAPH_STATE=$(TEST_STATE) NEO4J_URI=$(TEST_NEO4J_URI) REDIS_URL=$(TEST_REDIS_URL) \
	NEO4J_HEAP=$(TEST_NEO4J_HEAP) NEO4J_PAGECACHE_MB=1024

## demo: start Neo4j and Redis, load the demo dataset, run worker and API server
demo:
	scripts/demo.sh

## test: start the tests' own Neo4j and Redis, then run every test against them
test: test-services vet
	$(TEST_ENV) go test -timeout 30m $(GO_TEST_FLAGS) ./...

services:
	scripts/services.sh up

test-services:
	$(TEST_ENV) scripts/services.sh up

## down: stop the demo's server and worker, and every service this project started
down:
	scripts/services.sh down
	$(TEST_ENV) scripts/services.sh down

status:
	scripts/services.sh status
	@echo "tests' own services:"; $(TEST_ENV) scripts/services.sh status || true

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
bench: test-services
	$(TEST_ENV) scripts/bench.sh

## bench-api: the API under 16 and 64 clients on 100k customers and 1M signals (builds them once)
bench-api: test-services
	$(TEST_ENV) go test -run '^$$' -bench APILoad -benchtime 1x -timeout 60m ./resolvers/

## bench-gate: the risk gate's latency on the demo dataset (load it first: valuegraph demo, and a worker to score it)
bench-gate: services
	go test -run '^$$' -bench RiskCheck -benchtime 2005x ./resolvers/
