// Package valuegraph holds the domain of the ValueGraph customer intelligence
// engine: customers, the people who decide for them, competitors, needs, the
// signals that say something about them, and the scores computed from those
// signals. It imports only the standard library; every layer (graph, ingest,
// crawlers, jobs, resolvers) speaks these types, and cmd/valuegraph wires them.
package valuegraph
