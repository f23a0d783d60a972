package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Migration is one versioned step of the graph's schema. Its statements are
// all idempotent (IF NOT EXISTS), so a step cut off half-way is simply run
// again; the version is recorded only when every statement has succeeded.
type Migration struct {
	Version    int
	Name       string
	Statements []string
}

// nodeKeys are the labels and the property that identifies each node, as of
// migration 1; later labels get their constraint in their own migration.
var nodeKeys = []struct{ label, key string }{
	{"Customer", "id"}, {"Person", "id"}, {"Competitor", "id"}, {"Product", "id"},
	{"Need", "id"}, {"Offering", "id"}, {"Signal", "id"}, {"Source", "id"},
	{"Rep", "id"}, {"Territory", "id"}, {"Feedback", "id"}, {"ScoreSnapshot", "id"},
	{"ModelVersion", "id"}, {"Identifier", "key"},
}

// Migrations are the schema's history, oldest first. Append; never edit a
// step that has shipped.
var Migrations = []Migration{
	{Version: 1, Name: "uniqueness constraints on node keys", Statements: func() []string {
		var out []string
		for _, nk := range nodeKeys {
			out = append(out, fmt.Sprintf("CREATE CONSTRAINT %s_%s_unique IF NOT EXISTS FOR (n:%s) REQUIRE n.%s IS UNIQUE",
				lowerFirst(nk.label), nk.key, nk.label, nk.key))
		}
		return out
	}()},
	{Version: 2, Name: "lookup indexes", Statements: []string{
		"CREATE INDEX customer_name IF NOT EXISTS FOR (n:Customer) ON (n.name)",
		"CREATE INDEX customer_region IF NOT EXISTS FOR (n:Customer) ON (n.region)",
		"CREATE INDEX customer_industry IF NOT EXISTS FOR (n:Customer) ON (n.industry)",
		"CREATE INDEX customer_stage IF NOT EXISTS FOR (n:Customer) ON (n.stage)",
		"CREATE INDEX customer_tier IF NOT EXISTS FOR (n:Customer) ON (n.tier)",
		"CREATE INDEX customer_updated IF NOT EXISTS FOR (n:Customer) ON (n.updatedAt)",
		"CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)",
		"CREATE INDEX competitor_name IF NOT EXISTS FOR (n:Competitor) ON (n.name)",
		"CREATE INDEX need_name IF NOT EXISTS FOR (n:Need) ON (n.name)",
		"CREATE INDEX signal_kind_occurred IF NOT EXISTS FOR (n:Signal) ON (n.kind, n.occurredAt)",
		"CREATE INDEX signal_occurred IF NOT EXISTS FOR (n:Signal) ON (n.occurredAt)",
		"CREATE INDEX signal_hash IF NOT EXISTS FOR (n:Signal) ON (n.contentHash)",
		"CREATE INDEX signal_source IF NOT EXISTS FOR (n:Signal) ON (n.source)",
		"CREATE INDEX snapshot_customer_at IF NOT EXISTS FOR (n:ScoreSnapshot) ON (n.customerId, n.at)",
		"CREATE INDEX feedback_created IF NOT EXISTS FOR (n:Feedback) ON (n.createdAt)",
		"CREATE INDEX model_kind_status IF NOT EXISTS FOR (n:ModelVersion) ON (n.kind, n.status)",
	}},
	// cjk splits Chinese into overlapping bigrams, so 浦东发展 finds
	// 上海浦东发展银行股份有限公司; short names (浦发) are found through aliases.
	{Version: 3, Name: "full-text index on names and aliases", Statements: []string{
		"CREATE FULLTEXT INDEX " + nameIndex + " IF NOT EXISTS FOR (n:Customer|Competitor|Person) ON EACH [n.name, n.aliases] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}}",
	}},
	{Version: 4, Name: "review queue", Statements: []string{
		"CREATE CONSTRAINT review_id_unique IF NOT EXISTS FOR (n:Review) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX review_status_created IF NOT EXISTS FOR (n:Review) ON (n.status, n.createdAt)",
	}},
	{Version: 5, Name: "API tokens", Statements: []string{
		"CREATE CONSTRAINT apiToken_id_unique IF NOT EXISTS FOR (n:APIToken) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT apiToken_hash_unique IF NOT EXISTS FOR (n:APIToken) REQUIRE n.hash IS UNIQUE",
	}},
	{Version: 6, Name: "crawl state", Statements: []string{
		"CREATE CONSTRAINT crawlPage_id_unique IF NOT EXISTS FOR (n:CrawlPage) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX crawl_page_source IF NOT EXISTS FOR (n:CrawlPage) ON (n.source)",
	}},
	{Version: 7, Name: "audit trail", Statements: []string{
		"CREATE CONSTRAINT audit_id_unique IF NOT EXISTS FOR (n:Audit) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX audit_target_at IF NOT EXISTS FOR (n:Audit) ON (n.target, n.at)",
	}},
	// Customer lists ordered by a score read the index in order and stop at
	// the page's end instead of sorting every customer.
	{Version: 8, Name: "customer score orders", Statements: []string{
		"CREATE INDEX customer_tier_score IF NOT EXISTS FOR (n:Customer) ON (n.tierScore)",
		"CREATE INDEX customer_risk_replacement IF NOT EXISTS FOR (n:Customer) ON (n.riskReplacement)",
		"CREATE INDEX customer_risk_churn IF NOT EXISTS FOR (n:Customer) ON (n.riskChurn)",
		"CREATE INDEX customer_risk_credit IF NOT EXISTS FOR (n:Customer) ON (n.riskCredit)",
		"CREATE INDEX customer_last_signal IF NOT EXISTS FOR (n:Customer) ON (n.lastSignalAt)",
	}},
	{Version: 9, Name: "products", Statements: []string{
		"CREATE CONSTRAINT product_id_unique IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX product_name IF NOT EXISTS FOR (n:Product) ON (n.name)",
	}},
	// No query looks signals up by these: every read reaches signals from a
	// customer, a competitor, a need or their id. Each index cost every
	// signal written an index insert.
	{Version: 10, Name: "drop unused signal indexes", Statements: []string{
		"DROP INDEX signal_kind_occurred IF EXISTS",
		"DROP INDEX signal_occurred IF EXISTS",
		"DROP INDEX signal_hash IF EXISTS",
		"DROP INDEX signal_source IF EXISTS",
	}},
	// Contact data written before it was stamped belongs to where the
	// person works now; with no current employer it is shown nowhere.
	{Version: 11, Name: "stamp contact data with its customer", Statements: []string{
		"MATCH (p:Person) WHERE p.contactFor IS NULL AND (p.email IS NOT NULL OR p.phone IS NOT NULL) " +
			"SET p.contactFor = COLLECT { MATCH (p)-[w:WORKS_AT]->(c:Customer) WHERE w.until IS NULL RETURN c.id }[0]",
	}},
	// Signals reps judged irrelevant to a customer (a mark on the ABOUT
	// link): a customer's reads find its few by this index instead of
	// reading a property of each of its thousands of links.
	{Version: 12, Name: "excluded signal links", Statements: []string{
		"CREATE INDEX about_excluded IF NOT EXISTS FOR ()-[r:ABOUT]-() ON (r.excludedAt)",
	}},
	// Jobs the queue did not take while Redis was down: one per type and key.
	{Version: 13, Name: "job outbox", Statements: []string{
		"CREATE CONSTRAINT pendingJob_id_unique IF NOT EXISTS FOR (n:PendingJob) REQUIRE n.id IS UNIQUE",
	}},
	// Alerts rescoring raised, kept with their follow-up: one per id (a
	// run repeated stores none twice), listed newest first, by owner.
	{Version: 14, Name: "alerts", Statements: []string{
		"CREATE CONSTRAINT alert_id_unique IF NOT EXISTS FOR (n:Alert) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX alert_at IF NOT EXISTS FOR (n:Alert) ON (n.at)",
		"CREATE INDEX alert_owner_at IF NOT EXISTS FOR (n:Alert) ON (n.owner, n.at)",
	}},
	// Reps' subscriptions to external signals, found by their owner. The
	// feed reads the newest arrivals in index order and stops at its cap,
	// instead of reading every signal: the one query that looks signals up
	// by time, so the one signal index migration 10 did not drop for good.
	{Version: 15, Name: "subscriptions and the feed's arrivals", Statements: []string{
		"CREATE CONSTRAINT subscription_id_unique IF NOT EXISTS FOR (n:Subscription) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX subscription_owner IF NOT EXISTS FOR (n:Subscription) ON (n.owner)",
		"CREATE INDEX signal_ingested IF NOT EXISTS FOR (n:Signal) ON (n.ingestedAt)",
	}},
}

const nameIndex = "entity_names"

const (
	cypherMigrationConstraint = "CREATE CONSTRAINT schemaMigration_version_unique IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.version IS UNIQUE"
	cypherAppliedMigrations   = "MATCH (m:SchemaMigration) RETURN m.version AS version"
	cypherRecordMigration     = "MERGE (m:SchemaMigration {version: $version}) ON CREATE SET m.name = $name, m.appliedAt = datetime()"
	cypherAwaitIndexes        = "CALL db.awaitIndexes($seconds)"
)

// Migrate applies the migrations that have not been applied yet, in order, and
// returns them: empty when there was nothing to do. Several processes may
// migrate at once; a schema rule another one created first is not an error.
func (s *Store) Migrate(ctx context.Context) ([]Migration, error) {
	if err := s.schema(ctx, cypherMigrationConstraint); err != nil {
		return nil, err
	}
	done, err := s.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var applied []Migration
	for _, m := range Migrations {
		if done[m.Version] {
			continue
		}
		start := time.Now()
		for _, stmt := range m.Statements {
			if err := s.schema(ctx, stmt); err != nil {
				return applied, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
			}
		}
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, cypherRecordMigration,
			map[string]any{"version": m.Version, "name": m.Name}, neo4j.EagerResultTransformer, s.write()); err != nil {
			return applied, formatError(fmt.Sprintf("record migration %d", m.Version), err)
		}
		s.log.Info("migration applied", "version", m.Version, "name", m.Name, "took", time.Since(start))
		applied = append(applied, m)
	}
	if len(applied) > 0 {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, cypherAwaitIndexes, map[string]any{"seconds": 300},
			neo4j.EagerResultTransformer, s.write()); err != nil {
			return applied, formatError("await indexes", err)
		}
	}
	return applied, nil
}

// SchemaVersion returns the highest applied migration, 0 for a new database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	done, err := s.appliedVersions(ctx)
	if err != nil {
		return 0, err
	}
	v := 0
	for version := range done {
		v = max(v, version)
	}
	return v, nil
}

func (s *Store) appliedVersions(ctx context.Context) (map[int]bool, error) {
	res, err := s.query(ctx, cypherAppliedMigrations, nil)
	if err != nil {
		return nil, formatError("read applied migrations", err)
	}
	done := map[int]bool{}
	for _, rec := range res.Records {
		v, _, err := neo4j.GetRecordValue[int64](rec, "version")
		if err != nil {
			return nil, fmt.Errorf("read applied migrations: %w", err)
		}
		done[int(v)] = true
	}
	return done, nil
}

// schema runs one schema statement in its own transaction (Neo4j does not mix
// schema and data changes in one).
func (s *Store) schema(ctx context.Context, stmt string) error {
	_, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer, s.write())
	var n4j *neo4j.Neo4jError
	if errors.As(err, &n4j) && (n4j.Code == "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists" ||
		n4j.Code == "Neo.ClientError.Schema.ConstraintAlreadyExists" || n4j.Code == "Neo.ClientError.Schema.IndexAlreadyExists") {
		return nil // another process created it between our IF NOT EXISTS and now
	}
	return formatError("schema", err)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
