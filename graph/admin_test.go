package graph_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// TestPurgeIdentifiers: a USCC's key does not carry the namespace, yet
// purging the namespace deletes the identifiers only its customers hold and
// keeps one a customer outside it shares.
func TestPurgeIdentifiers(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	ns, other := graphtest.Prefix(t, s), graphtest.Prefix(t, s)
	code := func() valuegraph.Identifier {
		b := make([]byte, 8)
		rand.Read(b)
		return valuegraph.Identifier{Scheme: valuegraph.SchemeUSCC, Value: "91" + hex.EncodeToString(b)}
	}
	shared, own := code(), code()
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{
		{ID: ns + "a", Name: "甲公司", Identifiers: []valuegraph.Identifier{shared, own}},
		{ID: other + "b", Name: "乙公司", Identifiers: []valuegraph.Identifier{shared}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Purge(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		id   valuegraph.Identifier
		want int64
	}{{"OwnDeleted", own, 0}, {"SharedKept", shared, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Query(ctx, "MATCH (i:Identifier {key: $key}) RETURN count(i) AS n", map[string]any{"key": tc.id.Key()})
			if err != nil {
				t.Fatal(err)
			}
			if n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "n"); n != tc.want {
				t.Errorf("%d identifiers %s, want %d", n, tc.id.Key(), tc.want)
			}
		})
	}
}
