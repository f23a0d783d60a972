package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/valuegraph/valuegraph"
)

// GateSource is what the risk gate reads of a customer: who owns it, its
// latest assessment (nil: never scored) and its recent orders' amounts.
type GateSource struct {
	OwnerID    string
	Assessment *valuegraph.Assessment
	Orders     []valuegraph.Signal // amount and currency only
}

// One round trip: the gate answers inside an ERP's approval step.
const cypherGateSource = `
MATCH (c:Customer {id: $id})
RETURN COLLECT { MATCH (r:Rep)-[:OWNS]->(c) RETURN r.id }[0] AS owner,
  COLLECT { MATCH (c)<-[:OF]-(snap:ScoreSnapshot) RETURN snap.explanation ORDER BY snap.at DESC LIMIT 1 }[0] AS explanation,
  COLLECT { MATCH (c)<-[:ABOUT]-(s:Signal)
            WHERE s.kind IN $kinds AND s.occurredAt >= $since AND s.amount > 0
            RETURN s {.amount, .currency} } AS orders`

// GateSource reads a customer's owner, latest assessment and its signals
// of kinds with an amount since a time; ENOTFOUND when there is no such
// customer.
func (s *Store) GateSource(ctx context.Context, customerID string, kinds []valuegraph.SignalKind, since time.Time) (*GateSource, error) {
	res, err := s.query(ctx, cypherGateSource, map[string]any{"id": customerID, "kinds": stringsOf(kinds), "since": since.UTC()})
	if err != nil {
		return nil, formatError("read for the risk gate", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", customerID)
	}
	row := props(res.Records[0].AsMap())
	src := &GateSource{OwnerID: row.str("owner")}
	if e := row.str("explanation"); e != "" {
		var a valuegraph.Assessment
		if err := json.Unmarshal([]byte(e), &a); err != nil {
			return nil, fmt.Errorf("read assessment of %s: %w", customerID, err)
		}
		src.Assessment = &a
	}
	for _, o := range row.list("orders") {
		src.Orders = append(src.Orders, valuegraph.Signal{Amount: o.float("amount"), Currency: o.str("currency")})
	}
	return src, nil
}
