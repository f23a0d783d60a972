package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// Contact data (email, phone) is stamped with the customer it was given for
// (contactFor: the row's customer, else where the person works now), and
// is read only under that customer while the person works there (see
// cypherCustomerNeighbourhood): an address given for one employer is never
// shown under another. Contact data given for another customer than the
// stamp replaces the old whole, so no field given for the old one survives.
const cypherUpsertPeople = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Person {id: row.id})
WITH row, existing IS NULL AS created
MERGE (p:Person {id: row.id})
ON CREATE SET p.createdAt = datetime()
WITH p, row, created, properties(p) AS before,
     row.email IS NOT NULL OR row.phone IS NOT NULL AS given,
     coalesce(row.customerId, COLLECT { MATCH (p)-[w:WORKS_AT]->(c:Customer) WHERE w.until IS NULL RETURN c.id }[0]) AS givenFor
WITH p, row, created, before, given, givenFor, coalesce(p.contactFor = givenFor, false) AS sameCustomer
SET p.name = row.name,
    p.title = coalesce(row.title, p.title),
    p.role = coalesce(row.role, p.role),
    p.email = CASE WHEN NOT given THEN p.email WHEN sameCustomer THEN coalesce(row.email, p.email) ELSE row.email END,
    p.phone = CASE WHEN NOT given THEN p.phone WHEN sameCustomer THEN coalesce(row.phone, p.phone) ELSE row.phone END,
    p.contactFor = CASE WHEN given THEN givenFor ELSE p.contactFor END
WITH p, row, created, before <> properties(p) AS changed
SET p.updatedAt = CASE WHEN created OR changed THEN datetime() ELSE p.updatedAt END
RETURN row.id AS id, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' ELSE 'unchanged' END AS outcome`

// A person works at one customer at a time: a new employer ends the open
// WORKS_AT elsewhere (kept, with until, as history) rather than deleting it.
const cypherLinkPeople = `
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
CALL (p, row) {
  WITH p, row WHERE row.customerId IS NOT NULL
  MATCH (c:Customer {id: row.customerId})
  OPTIONAL MATCH (p)-[old:WORKS_AT]->(other:Customer)
  WHERE other.id <> row.customerId AND old.until IS NULL
  SET old.until = coalesce(row.since, datetime())
  WITH DISTINCT p, c, row
  MERGE (p)-[w:WORKS_AT]->(c)
  SET w.title = coalesce(row.title, w.title),
      w.since = coalesce(row.since, w.since),
      w.until = row.until
}
CALL (p, row) {
  WITH p, row WHERE row.reportsTo IS NOT NULL
  MATCH (m:Person {id: row.reportsTo})
  OPTIONAL MATCH (p)-[old:REPORTS_TO]->(other:Person) WHERE other.id <> row.reportsTo
  DELETE old
  WITH DISTINCT p, m
  MERGE (p)-[:REPORTS_TO]->(m)
}`

// UpsertPeople creates or updates people, where they work and whom they
// report to. Customers and managers they refer to must exist (managers may be
// in the same call); otherwise the batch is rejected whole with EINVALID.
func (s *Store) UpsertPeople(ctx context.Context, people []valuegraph.Person) (WriteSummary, error) {
	rows := make([]map[string]any, len(people))
	for i := range people {
		p := &people[i]
		if err := p.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("person %d (%q): %w", i, p.ID, err)
		}
		rows[i] = map[string]any{
			"id": p.ID, "name": p.Name, "title": nullable(p.Title), "role": nullable(string(p.Role)),
			"email": nullable(p.Email), "phone": nullable(p.Phone),
			"customerId": nullable(p.CustomerID), "since": nullTime(p.Since), "until": nullTime(p.Until),
			"reportsTo": nullable(p.ReportsTo),
		}
	}
	var sum WriteSummary
	err := batches(rows, s.batch, func(batch []map[string]any) error {
		session := s.session(ctx, neo4j.AccessModeWrite)
		defer session.Close(ctx)
		got, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (WriteSummary, error) {
			customers := refs{}
			for _, row := range batch {
				if id, ok := row["customerId"].(string); ok {
					customers.add("Customer", id)
				}
			}
			if err := customers.check(ctx, tx, "customerId"); err != nil {
				return WriteSummary{}, err
			}
			sum, err := runUpsert(ctx, tx, cypherUpsertPeople, batch)
			if err != nil {
				return sum, err
			}
			managers := refs{}
			for _, row := range batch {
				if id, ok := row["reportsTo"].(string); ok {
					managers.add("Person", id)
				}
			}
			if err := managers.check(ctx, tx, "reportsTo"); err != nil {
				return WriteSummary{}, err
			}
			if _, err := tx.Run(ctx, cypherLinkPeople, map[string]any{"rows": batch}); err != nil {
				return WriteSummary{}, err
			}
			return sum, nil
		})
		if err != nil {
			return formatError("upsert people", err)
		}
		sum.Add(got)
		return nil
	})
	return sum, err
}

// runUpsert runs an UNWIND upsert statement inside a transaction and reads
// its counts (see upsertCounts).
func runUpsert(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []map[string]any) (WriteSummary, error) {
	res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return WriteSummary{}, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return WriteSummary{}, err
	}
	return upsertCounts(recs), nil
}

func decodePerson(p props) valuegraph.Person {
	person := valuegraph.Person{
		ID: p.str("id"), Name: p.str("name"), Title: p.str("title"), Role: valuegraph.DecisionRole(p.str("role")),
		Email: p.str("email"), Phone: p.str("phone"), CustomerID: p.str("customerId"),
		Since: p.time("since"), Until: p.time("until"), ReportsTo: p.str("reportsTo"),
	}
	for _, k := range p.list("knownBy") {
		person.KnownBy = append(person.KnownBy, valuegraph.Acquaintance{RepID: k.str("repId"), Contacts: k.int("contacts"),
			Answered: k.int("answered"), LastContact: k.time("lastContact")})
	}
	return person
}
