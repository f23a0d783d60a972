package graph

import (
	"cmp"
	"context"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// Every link entity resolution made keeps the name as written (asName) and
// the rule; links a review merge moved also keep mergedFrom.
const cypherMergedNames = `
MATCH (c:Customer {id: $id})
OPTIONAL CALL (c) {
  MATCH (c)<-[r:ABOUT]-(:Signal) RETURN r
  UNION ALL
  MATCH (c)-[r:WON|SUPPLIED]->(:Signal) RETURN r
  UNION ALL
  MATCH (c)-[r:IDENTIFIED_BY]->(:Identifier) RETURN r
}
WITH c, r WHERE r.asName IS NOT NULL OR r IS NULL
WITH c, r.asName AS name, collect(r) AS links
RETURN c.name AS customer, [x IN collect(CASE WHEN name IS NULL THEN NULL ELSE {
  name: name,
  rule: head([l IN links WHERE l.rule IS NOT NULL AND l.rule <> 'identifier' | l.rule] + [l IN links | l.rule]),
  score: reduce(m = 0.0, l IN links | CASE WHEN coalesce(l.score, 0.0) > m THEN l.score ELSE m END),
  links: size(links),
  mergedFrom: head([l IN links WHERE l.mergedFrom IS NOT NULL | l.mergedFrom])
} END) WHERE x IS NOT NULL] AS names`

// MergedNames returns a customer's name and every spelling entity
// resolution tied to it, most links first; ENOTFOUND for an unknown customer.
func (s *Store) MergedNames(ctx context.Context, customerID string) (string, []valuegraph.MergedName, error) {
	res, err := s.query(ctx, cypherMergedNames, map[string]any{"id": customerID})
	if err != nil {
		return "", nil, formatError("merged names", err)
	}
	if len(res.Records) == 0 {
		return "", nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", customerID)
	}
	row := props(res.Records[0].AsMap())
	var out []valuegraph.MergedName
	for _, p := range row.list("names") {
		out = append(out, valuegraph.MergedName{Name: p.str("name"), Rule: p.str("rule"), Score: p.float("score"),
			Links: p.int("links"), MergedFrom: p.str("mergedFrom")})
	}
	sortMergedNames(out)
	return row.str("customer"), out, nil
}

// An unmerge moves, in one transaction, every link that arrived under the
// names (except links an identifier matched: those are certain) and every
// link a review merge brought from mergedFrom, then the name's identifier
// and alias. Each moved link keeps its rule and asName and gains splitFrom.
var cypherUnmerge = []string{
	`MATCH (c:Customer {id: $from})<-[r:ABOUT]-(s:Signal) WHERE ` + movable + `
	 MATCH (n:Customer {id: $to})
	 MERGE (s)-[m:ABOUT]->(n) SET m += properties(r), m.splitFrom = $from, m.mergedFrom = null
	 DELETE r RETURN count(*) AS moved`,
	`MATCH (c:Customer {id: $from})-[r:WON]->(s:Signal) WHERE ` + movable + `
	 MATCH (n:Customer {id: $to})
	 MERGE (n)-[m:WON]->(s) SET m += properties(r), m.splitFrom = $from, m.mergedFrom = null
	 DELETE r RETURN count(*) AS moved`,
	`MATCH (c:Customer {id: $from})-[r:SUPPLIED]->(s:Signal) WHERE ` + movable + `
	 MATCH (n:Customer {id: $to})
	 MERGE (n)-[m:SUPPLIED]->(s) SET m += properties(r), m.splitFrom = $from, m.mergedFrom = null
	 DELETE r RETURN count(*) AS moved`,
	`MATCH (c:Customer {id: $from})-[r:IDENTIFIED_BY]->(i:Identifier) WHERE ` + movable + ` OR i.key = $nameKey
	 MATCH (n:Customer {id: $to})
	 MERGE (n)-[m:IDENTIFIED_BY]->(i) SET m += properties(r), m.splitFrom = $from, m.mergedFrom = null
	 DELETE r RETURN count(*) AS moved`,
	`MATCH (c:Customer {id: $from}), (n:Customer {id: $to})
	 SET c.aliases = [a IN coalesce(c.aliases, []) WHERE NOT a IN $names], c.updatedAt = datetime(),
	     n.aliases = [a IN coalesce(n.aliases, []) WHERE NOT a IN $names] + [a IN $names WHERE a <> n.name],
	     n.updatedAt = datetime()
	 RETURN 0 AS moved`,
}

const movable = `((r.asName IN $names AND coalesce(r.rule, '') <> 'identifier') OR ($mergedFrom IS NOT NULL AND r.mergedFrom = $mergedFrom))`

const cypherSplitTarget = `
MATCH (c:Customer {id: $from})
MERGE (n:Customer {id: $to})
ON CREATE SET n.name = $name, n.createdAt = datetime(), n.signalCount = 0, n.aliases = []
SET n.splitFrom = $from
RETURN c.id AS id`

// Unmerge splits the links that arrived at customer from under names (the
// spellings as written) off to customer to, created with name when it does
// not exist; nameKey is the NAME identifier of those spellings, which moves
// too so later ingests resolve the name to the split organisation. Audited.
// ENOTFOUND for an unknown customer.
func (s *Store) Unmerge(ctx context.Context, from, to, name, nameKey, mergedFrom string, names []string, actor string) (valuegraph.Split, error) {
	split := valuegraph.Split{From: from, To: to, Name: name}
	if from == to {
		return split, valuegraph.FieldError("name", "the split would land on the customer itself (%q)", from)
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	params := map[string]any{"from": from, "to": to, "name": name, "nameKey": nameKey, "names": names, "mergedFrom": nullable(mergedFrom)}
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (bool, error) {
		split.Links = 0
		if _, err := firstRow(ctx, tx, cypherSplitTarget, params,
			valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", from)); err != nil {
			return false, err
		}
		for _, stmt := range cypherUnmerge {
			row, err := firstRow(ctx, tx, stmt, params, nil)
			if err != nil {
				return false, err
			}
			split.Links += row.int("moved")
		}
		return true, audit(ctx, tx, actor, "unmerge", from, map[string]any{"names": names}, split)
	})
	if err != nil {
		return split, formatError("unmerge", err)
	}
	return split, nil
}

func sortMergedNames(names []valuegraph.MergedName) {
	slices.SortFunc(names, func(a, b valuegraph.MergedName) int {
		return cmp.Or(cmp.Compare(b.Links, a.Links), cmp.Compare(a.Name, b.Name))
	})
}
