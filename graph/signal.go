package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// New signals are created outright (CREATE is far cheaper than MERGE), with
// their EMITTED and ABOUT links; the batch first reads which ids exist and
// with what content hash. A signal whose hash is unchanged is left alone
// (ingesting the same file twice writes nothing); a changed one is updated
// and keeps its ingestedAt.
const (
	cypherExistingSignals = `
UNWIND $ids AS id
MATCH (s:Signal {id: id})
RETURN s.id AS id, s.contentHash AS hash`

	cypherCreateSignals = `
UNWIND $rows AS row
MATCH (src:Source {id: row.source})
CREATE (s:Signal {id: row.id, kind: row.kind, title: row.title, text: row.text, url: row.url,
                  source: row.source, trust: row.trust, occurredAt: row.occurredAt,
                  contentHash: row.contentHash, amount: row.amount, currency: row.currency, intents: row.intents,
                  attachmentNames: row.attachmentNames, attachmentUrls: row.attachmentUrls, problems: row.problems, ingestedAt: $now})
CREATE (src)-[:EMITTED]->(s)
WITH s, row
UNWIND row.about AS l
MATCH (x:Customer {id: l.t})
CREATE (s)-[:ABOUT {rule: l.rule, score: l.score, asName: l.asName}]->(x)
RETURN count(*) AS n`

	cypherUpdateSignals = `
UNWIND $rows AS row
MATCH (s:Signal {id: row.id})
SET s.kind = row.kind, s.title = row.title, s.text = row.text, s.url = row.url,
    s.source = row.source, s.trust = row.trust, s.occurredAt = row.occurredAt,
    s.contentHash = row.contentHash, s.amount = row.amount, s.currency = row.currency, s.intents = row.intents,
    s.attachmentNames = row.attachmentNames, s.attachmentUrls = row.attachmentUrls, s.problems = row.problems, s.updatedAt = $now`
)

const cypherMergeSources = `
UNWIND $sources AS src
MERGE (x:Source {id: src.id})
ON CREATE SET x.trust = src.trust, x.createdAt = $now`

// Links are written per kind from flat lists, one statement each, and
// counted: fewer rows than links means a node the batch points at is missing.
type linkKind struct {
	label, cypher string
}

func linkCypher(pattern string) string {
	return `
UNWIND $links AS l
MATCH (s:Signal {id: l.s})
` + pattern + `
RETURN count(*) AS n`
}

var linkKinds = []linkKind{
	{"Customer", linkCypher(`MATCH (x:Customer {id: l.t})
MERGE (s)-[r:ABOUT]->(x) ON CREATE SET r.rule = l.rule, r.score = l.score, r.asName = l.asName`)},
	{"Competitor", linkCypher(`MATCH (x:Competitor {id: l.t})
MERGE (s)-[:MENTIONS]->(x)`)},
	{"Need", linkCypher(`MATCH (x:Need {id: l.t})
MERGE (s)-[:MENTIONS]->(x)`)},
	{"Person", linkCypher(`MATCH (x:Person {id: l.t})
MERGE (s)-[:MENTIONS]->(x)`)},
	{"Product", linkCypher(`MATCH (x:Product {id: l.t})
MERGE (s)-[:MENTIONS]->(x)`)},
	// Reps are made when first named (as owners are): never missing. What
	// a rep logged about a customer (a call, a visit, a note) follows up
	// the rep's alerts on it raised before it happened.
	{"Rep", linkCypher(`MERGE (x:Rep {id: l.t})
MERGE (x)-[:LOGGED]->(s)
WITH s, x, l
CALL (s, x) {
  MATCH (s)-[:ABOUT]->(:Customer)<-[:FOR]-(a:Alert {owner: x.id})
  WHERE a.at <= s.occurredAt AND (a.followedAt IS NULL OR a.followedAt > s.occurredAt)
  SET a.followedAt = s.occurredAt, a.followedBy = '` + string(valuegraph.FollowedByActivity) + `'
}`)},
	{"Customer", linkCypher(`MATCH (x:Customer {id: l.t})
MERGE (x)-[r:WON]->(s) ON CREATE SET r.rule = l.rule, r.score = l.score, r.asName = l.asName`)},
	{"Competitor", linkCypher(`MATCH (x:Competitor {id: l.t})
MERGE (x)-[r:WON]->(s) ON CREATE SET r.rule = l.rule, r.score = l.score, r.asName = l.asName`)},
	{"Customer", linkCypher(`MATCH (x:Customer {id: l.t})
MERGE (x)-[r:SUPPLIED]->(s) ON CREATE SET r.rule = l.rule, r.score = l.score, r.asName = l.asName`)},
	{"Competitor", linkCypher(`MATCH (x:Competitor {id: l.t})
MERGE (x)-[r:SUPPLIED]->(s) ON CREATE SET r.rule = l.rule, r.score = l.score, r.asName = l.asName`)},
}

// Indexes into linkKinds.
const (
	linkAbout = iota
	linkCompetitor
	linkNeed
	linkPerson
	linkProduct
	linkRep
	linkWonCustomer
	linkWonCompetitor
	linkSuppliedCustomer
	linkSuppliedCompetitor
)

// SignalRows is a batch of signals turned into statement parameters. Build
// it with NewSignalRows; benchmarks also hand it to the bare driver.
type SignalRows struct {
	Rows    []map[string]any
	Sources []map[string]any
	Links   [][]map[string]any // by linkKinds index
}

// NewSignalRows validates signals and turns them into parameters. A signal
// without a content hash gets one from its content.
func NewSignalRows(signals []valuegraph.Signal) (*SignalRows, error) {
	b := &SignalRows{Rows: make([]map[string]any, len(signals)), Links: make([][]map[string]any, len(linkKinds))}
	sources := map[string]bool{}
	for i := range signals {
		sig := &signals[i]
		if err := sig.Validate(); err != nil {
			return nil, fmt.Errorf("signal %d (%q): %w", i, sig.ID, err)
		}
		hash := sig.ContentHash
		if hash == "" {
			hash = sig.Hash()
		}
		b.Rows[i] = map[string]any{
			"id": sig.ID, "kind": string(sig.Kind), "title": nullable(sig.Title), "text": nullable(sig.Text),
			"url": nullable(sig.URL), "source": sig.Source, "trust": int64(sig.Trust),
			"occurredAt": sig.OccurredAt.UTC(), "contentHash": hash,
			"amount": nullFloat(sig.Amount), "currency": nullable(sig.Currency), "intents": nullList(sig.Intents),
			"attachmentNames": nil, "attachmentUrls": nil, "problems": nil,
		}
		if len(sig.Problems) > 0 {
			ps := make([]string, len(sig.Problems))
			for j, p := range sig.Problems {
				ps[j] = p.String()
			}
			b.Rows[i]["problems"] = ps
		}
		if len(sig.Attachments) > 0 {
			names, urls := make([]string, len(sig.Attachments)), make([]string, len(sig.Attachments))
			for j, a := range sig.Attachments {
				names[j], urls[j] = a.Name, a.URL
			}
			b.Rows[i]["attachmentNames"], b.Rows[i]["attachmentUrls"] = names, urls
		}
		about := make([]map[string]any, 0, len(sig.CustomerIDs))
		if !sources[sig.Source] {
			sources[sig.Source] = true
			b.Sources = append(b.Sources, map[string]any{"id": sig.Source, "trust": int64(sig.Trust)})
		}
		add := func(kind int, target string, rule string, score float64, asName string) {
			l := map[string]any{"s": sig.ID, "t": target, "rule": rule, "score": score, "asName": nullable(asName)}
			b.Links[kind] = append(b.Links[kind], l)
			if kind == linkAbout {
				about = append(about, l)
			}
		}
		for _, id := range sig.CustomerIDs {
			add(linkAbout, id, "given", 1, "")
		}
		for _, id := range sig.CompetitorIDs {
			add(linkCompetitor, id, "", 0, "")
		}
		for _, id := range sig.NeedIDs {
			add(linkNeed, id, "", 0, "")
		}
		for _, id := range sig.PersonIDs {
			add(linkPerson, id, "", 0, "")
		}
		for _, id := range sig.ProductIDs {
			add(linkProduct, id, "", 0, "")
		}
		if sig.RepID != "" {
			add(linkRep, sig.RepID, "", 0, "")
		}
		for _, p := range sig.Parties {
			kind := linkAbout
			switch {
			case p.Role == valuegraph.PartyWinner && p.Kind == "Customer":
				kind = linkWonCustomer
			case p.Role == valuegraph.PartyWinner:
				kind = linkWonCompetitor
			case p.Role == valuegraph.PartySupplier && p.Kind == "Customer":
				kind = linkSuppliedCustomer
			case p.Role == valuegraph.PartySupplier:
				kind = linkSuppliedCompetitor
			}
			add(kind, p.ID, p.Rule, p.Score, p.AsName)
		}
		b.Rows[i]["about"] = about
	}
	return b, nil
}

// UpsertSignals writes signals with their source and links in batches, each
// batch in one transaction, up to Config.Writers batches at once (Neo4j runs
// a transaction on one core). Every customer, competitor, need and person a
// batch links to must exist, or that batch is rolled back whole with
// EINVALID naming them (other batches stay written). A signal given twice is
// written once; the repeats count as unchanged.
func (s *Store) UpsertSignals(ctx context.Context, signals []valuegraph.Signal) (WriteSummary, error) {
	var sum WriteSummary
	seen := make(map[string]bool, len(signals))
	unique := make([]valuegraph.Signal, 0, len(signals))
	for _, sig := range signals {
		if seen[sig.ID] {
			sum.Unchanged++
			continue
		}
		seen[sig.ID] = true
		unique = append(unique, sig)
	}
	var parts [][]valuegraph.Signal
	_ = batches(unique, s.batch, func(b []valuegraph.Signal) error { parts = append(parts, b); return nil })
	rows := make([]*SignalRows, len(parts))
	for i, part := range parts {
		r, err := NewSignalRows(part)
		if err != nil {
			return sum, err
		}
		rows[i] = r
	}
	results := make([]WriteSummary, len(parts))
	errs := make([]error, len(parts))
	sem := make(chan struct{}, s.writers)
	var wg sync.WaitGroup
	for i := range rows {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i], errs[i] = s.WriteSignalRows(ctx, rows[i])
			if valuegraph.ErrorCode(errs[i]) == valuegraph.ECONFLICT {
				// Another writer created one of these signals between our
				// existence read and our CREATE: read again and go on.
				results[i], errs[i] = s.WriteSignalRows(ctx, rows[i])
			}
		}()
	}
	wg.Wait()
	for i := range results {
		sum.Add(results[i])
	}
	return sum, errors.Join(errs...)
}

// WriteSignalRows writes one batch in one transaction.
func (s *Store) WriteSignalRows(ctx context.Context, b *SignalRows) (WriteSummary, error) {
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	now := time.Now().UTC()
	got, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (WriteSummary, error) {
		if _, err := tx.Run(ctx, cypherMergeSources, map[string]any{"sources": b.Sources, "now": now}); err != nil {
			return WriteSummary{}, err
		}
		ids := make([]string, len(b.Rows))
		for i, row := range b.Rows {
			ids[i] = row["id"].(string)
		}
		res, err := tx.Run(ctx, cypherExistingSignals, map[string]any{"ids": ids})
		if err != nil {
			return WriteSummary{}, err
		}
		existing := map[string]string{}
		for res.Next(ctx) {
			p := props(res.Record().AsMap())
			existing[p.str("id")] = p.str("hash")
		}
		if err := res.Err(); err != nil {
			return WriteSummary{}, err
		}
		var fresh, changed []map[string]any
		seen := make(map[string]bool, len(b.Rows))
		freshAbout := 0
		sum := WriteSummary{Outcomes: make(map[string]Outcome, len(b.Rows))}
		for _, row := range b.Rows {
			id := row["id"].(string)
			hash, ok := existing[id]
			out := Unchanged
			switch {
			case seen[id]: // the same signal twice in one batch: the first wins
				sum.Unchanged++
				seen[id] = true
				continue
			case !ok:
				fresh = append(fresh, row)
				freshAbout += len(row["about"].([]map[string]any))
				sum.Created++
				out = Created
			case hash != row["contentHash"]:
				changed = append(changed, row)
				sum.Updated++
				out = Updated
			default:
				sum.Unchanged++
			}
			seen[id] = true
			sum.Outcomes[id] = out
		}
		short := refs{} // targets of link kinds that wrote fewer links than asked
		if len(fresh) > 0 {
			complete, err := runLinks(ctx, tx, cypherCreateSignals, map[string]any{"rows": fresh, "now": now}, freshAbout)
			if err != nil {
				return WriteSummary{}, err
			}
			if !complete {
				addTargets(short, "Customer", b.Links[linkAbout])
			}
		}
		if len(changed) > 0 {
			if _, err := tx.Run(ctx, cypherUpdateSignals, map[string]any{"rows": changed, "now": now}); err != nil {
				return WriteSummary{}, err
			}
		}
		for kind, links := range b.Links {
			if kind == linkAbout && len(fresh) > 0 {
				// New signals got theirs when created; only the others need MERGE.
				links = slices.DeleteFunc(slices.Clone(links), func(l map[string]any) bool {
					_, old := existing[l["s"].(string)]
					return !old
				})
			}
			if len(links) == 0 {
				continue
			}
			complete, err := runLinks(ctx, tx, linkKinds[kind].cypher, map[string]any{"links": links}, len(links))
			if err != nil {
				return WriteSummary{}, err
			}
			if !complete {
				addTargets(short, linkKinds[kind].label, links)
			}
		}
		if len(short) > 0 {
			if err := short.check(ctx, tx, "signal links"); err != nil {
				return WriteSummary{}, err
			}
			return WriteSummary{}, fmt.Errorf("signal links: fewer written than asked, yet every target exists")
		}
		return sum, nil
	})
	if err != nil {
		return WriteSummary{}, formatError("upsert signals", err)
	}
	return got, nil
}

func addTargets(r refs, label string, links []map[string]any) {
	for _, l := range links {
		r.add(label, l["t"].(string))
	}
}

// runLinks runs a statement that writes links and returns their count as n,
// and reports whether all want were written (a missing node drops its row).
func runLinks(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, want int) (bool, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return false, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return false, err
	}
	n, _, _ := neo4j.GetRecordValue[int64](rec, "n")
	return int(n) == want, nil
}

func decodeSignal(p props) valuegraph.Signal {
	sig := valuegraph.Signal{
		ID: p.str("id"), Kind: valuegraph.SignalKind(p.str("kind")), Title: p.str("title"), Text: p.str("text"),
		URL: p.str("url"), Source: p.str("source"), Trust: valuegraph.TrustLevel(p.int("trust")),
		OccurredAt: p.time("occurredAt"), IngestedAt: p.time("ingestedAt"), ContentHash: p.str("contentHash"),
		Amount: p.float("amount"), Currency: p.str("currency"), Intents: nilIfEmpty(p.strs("intents")),
		CustomerIDs: p.strs("customerIds"), CompetitorIDs: p.strs("competitorIds"),
		NeedIDs: p.strs("needIds"), PersonIDs: p.strs("personIds"), ProductIDs: p.strs("productIds"), RepID: p.str("repId"),
	}
	for j, u := range p.strs("attachmentUrls") {
		a := valuegraph.Attachment{URL: u}
		if names := p.strs("attachmentNames"); j < len(names) {
			a.Name = names[j]
		}
		sig.Attachments = append(sig.Attachments, a)
	}
	for _, x := range p.strs("problems") {
		sig.Problems = append(sig.Problems, valuegraph.ParseProblem(x))
	}
	for _, x := range p.list("parties") {
		sig.Parties = append(sig.Parties, valuegraph.Party{Role: valuegraph.PartyRole(x.str("role")), Kind: x.str("kind"), ID: x.str("id"),
			Rule: x.str("rule"), Score: x.float("score"), AsName: x.str("asName")})
	}
	for _, x := range p.list("exclusions") {
		sig.Exclusions = append(sig.Exclusions, valuegraph.Exclusion{CustomerID: x.str("customerId"), FeedbackID: x.str("feedbackId"),
			By: x.str("by"), At: x.time("at"), Note: x.str("note")})
	}
	return sig
}

// exclusionsColumn reads the customers for which reps judged a signal
// irrelevant: marks on its ABOUT links (see cypherExcludeSignal). Only
// signals labelled Excluded have any, so the others cost no link reads.
const exclusionsColumn = `exclusions: CASE WHEN s:Excluded THEN COLLECT {
    MATCH (s)-[r:ABOUT]->(x:Customer) WHERE r.excludedAt IS NOT NULL
    RETURN {customerId: x.id, feedbackId: r.excludedFeedback, by: r.excludedBy, at: r.excludedAt, note: r.excludedNote}
  } ELSE [] END`

// signalProjection reads a signal with its links and the parties entity
// resolution tied to it.
const signalProjection = `s {.*,
  customerIds: COLLECT { MATCH (s)-[:ABOUT]->(x:Customer) RETURN x.id },
  competitorIds: COLLECT { MATCH (s)-[:MENTIONS]->(x:Competitor) RETURN x.id },
  needIds: COLLECT { MATCH (s)-[:MENTIONS]->(x:Need) RETURN x.id },
  personIds: COLLECT { MATCH (s)-[:MENTIONS]->(x:Person) RETURN x.id },
  productIds: COLLECT { MATCH (s)-[:MENTIONS]->(x:Product) RETURN x.id },
  repId: COLLECT { MATCH (x:Rep)-[:LOGGED]->(s) RETURN x.id }[0],
  parties: COLLECT {
    MATCH (s)-[r:ABOUT]->(x:Customer) RETURN {role: 'about', kind: 'Customer', id: x.id, rule: r.rule, score: r.score, asName: r.asName} AS p
    UNION
    MATCH (x)-[r:WON]->(s) RETURN {role: 'winner', kind: CASE WHEN x:Customer THEN 'Customer' ELSE 'Competitor' END, id: x.id, rule: r.rule, score: r.score, asName: r.asName} AS p
    UNION
    MATCH (x)-[r:SUPPLIED]->(s) RETURN {role: 'supplier', kind: CASE WHEN x:Customer THEN 'Customer' ELSE 'Competitor' END, id: x.id, rule: r.rule, score: r.score, asName: r.asName} AS p
  },
  ` + exclusionsColumn + `}`

// signalSummaryProjection reads a signal as lists and briefs show it: no
// text, no parties, of its links only the competitors and needs it mentions.
const signalSummaryProjection = `s {.id, .kind, .title, .url, .source, .trust, .occurredAt, .ingestedAt,
  .amount, .currency, .intents, .attachmentUrls, .attachmentNames, .problems,
  competitorIds: COLLECT { MATCH (s)-[:MENTIONS]->(x:Competitor) RETURN x.id },
  needIds: COLLECT { MATCH (s)-[:MENTIONS]->(x:Need) RETURN x.id },
  ` + exclusionsColumn + `}`

const cypherSignal = `
MATCH (s:Signal {id: $id})
RETURN ` + signalProjection + ` AS signal`

// Signal reads one signal with its links and the parties entity resolution
// tied to it (with the rule of each); ENOTFOUND when there is none.
func (s *Store) Signal(ctx context.Context, id string) (*valuegraph.Signal, error) {
	res, err := s.query(ctx, cypherSignal, map[string]any{"id": id})
	if err != nil {
		return nil, formatError("read signal", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "signal %q not found", id)
	}
	sig := decodeSignal(props(res.Records[0].AsMap()).sub("signal"))
	return &sig, nil
}

const cypherCount = `
MATCH (n) WHERE n.id STARTS WITH $prefix AND $label IN labels(n)
RETURN count(n) AS n`

// Count counts the nodes of a label whose id starts with prefix: for
// summaries of a namespace (a sandbox ingest, a test).
func (s *Store) Count(ctx context.Context, label, prefix string) (int, error) {
	res, err := s.query(ctx, cypherCount, map[string]any{"label": label, "prefix": prefix})
	if err != nil {
		return 0, formatError("count", err)
	}
	n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "n")
	return int(n), nil
}

const cypherSignals = `
UNWIND $ids AS id
MATCH (s:Signal {id: id})
RETURN ` + signalProjection + ` AS signal`

// Signals reads many signals by id in one round trip; ids with no signal
// are absent from the map.
func (s *Store) Signals(ctx context.Context, ids []string) (map[string]valuegraph.Signal, error) {
	res, err := s.query(ctx, cypherSignals, map[string]any{"ids": ids})
	if err != nil {
		return nil, formatError("read signals", err)
	}
	out := make(map[string]valuegraph.Signal, len(res.Records))
	for _, rec := range res.Records {
		sig := decodeSignal(props(rec.AsMap()).sub("signal"))
		out[sig.ID] = sig
	}
	return out, nil
}

const cypherCustomerSignals = `
MATCH (c:Customer {id: $id})<-[:ABOUT]-(s:Signal)
WHERE ($kinds IS NULL OR s.kind IN $kinds) AND ($since IS NULL OR s.occurredAt >= $since)
RETURN ` + signalProjection + ` AS signal
ORDER BY s.occurredAt DESC
LIMIT $limit`

// CustomerSignals lists the signals about a customer, newest first, of
// some kinds (all when empty) since a time (all when zero). ENOTFOUND for
// an unknown customer.
func (s *Store) CustomerSignals(ctx context.Context, customerID string, kinds []valuegraph.SignalKind, since time.Time, limit int) ([]valuegraph.Signal, error) {
	var ks any
	if len(kinds) > 0 {
		ks = stringsOf(kinds)
	}
	res, err := s.query(ctx, cypherCustomerSignals,
		map[string]any{"id": customerID, "kinds": ks, "since": nullTime(since), "limit": max(limit, 1)})
	if err != nil {
		return nil, formatError("customer signals", err)
	}
	out := make([]valuegraph.Signal, 0, len(res.Records))
	for _, rec := range res.Records {
		out = append(out, decodeSignal(props(rec.AsMap()).sub("signal")))
	}
	if len(out) == 0 {
		return out, s.mustExist(ctx, "Customer", customerID)
	}
	return out, nil
}
