package graph

import (
	"context"
	"encoding/json"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherSaveModel = `
MERGE (m:ModelVersion {id: $id})
ON CREATE SET m.kind = $m.kind, m.version = $m.version, m.trainedAt = $m.trainedAt, m.trainingSize = $m.trainingSize,
  m.metrics = $m.metrics, m.definition = $m.definition, m.status = $m.status
RETURN m.status AS status`

// SaveModelVersion stores a trained version (as a candidate or active).
// A version is written once: saving it again changes nothing.
func (s *Store) SaveModelVersion(ctx context.Context, mv valuegraph.ModelVersion) error {
	metrics, _ := json.Marshal(mv.Metrics)
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypherSaveModel, map[string]any{"id": kindOr(mv.Kind) + "/" + mv.Version, "m": map[string]any{
		"kind": kindOr(mv.Kind), "version": mv.Version, "trainedAt": mv.TrainedAt.UTC(), "trainingSize": mv.TrainingSize,
		"metrics": string(metrics), "definition": mv.Definition, "status": mv.Status,
	}}, neo4j.EagerResultTransformer, s.write())
	return formatError("save model version", err)
}

const cypherActivateModel = `
MATCH (m:ModelVersion {kind: $kind, version: $version})
OPTIONAL MATCH (old:ModelVersion {kind: $kind, status: 'active'}) WHERE old <> m
SET old.status = 'retired', old.retiredAt = datetime(), m.status = 'active', m.activatedAt = datetime()
RETURN m.id AS id`

// ActivateModel makes a version the one scoring uses and retires the one
// before: promotion after training, and rollback. ENOTFOUND for an unknown
// version.
func (s *Store) ActivateModel(ctx context.Context, kind, version string) error {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherActivateModel, map[string]any{"kind": kindOr(kind), "version": version}, neo4j.EagerResultTransformer, s.write())
	if err != nil {
		return formatError("activate model", err)
	}
	if len(res.Records) == 0 {
		return valuegraph.Errorf(valuegraph.ENOTFOUND, "model version %q not found", version)
	}
	return nil
}

const cypherPreviousModel = `
MATCH (m:ModelVersion {kind: $kind, status: 'retired'}) WHERE m.retiredAt IS NOT NULL
RETURN m.version AS version ORDER BY m.retiredAt DESC LIMIT 1`

// PreviousModelVersion names the version that was active before the one
// that is now ("" when none was): what a rollback returns to.
func (s *Store) PreviousModelVersion(ctx context.Context, kind string) (string, error) {
	res, err := s.query(ctx, cypherPreviousModel, map[string]any{"kind": kindOr(kind)})
	if err != nil {
		return "", formatError("previous model version", err)
	}
	if len(res.Records) == 0 {
		return "", nil
	}
	v, _, _ := neo4j.GetRecordValue[string](res.Records[0], "version")
	return v, nil
}

const cypherModelVersions = `
MATCH (m:ModelVersion {kind: $kind})
RETURN m {.*} AS m ORDER BY m.trainedAt DESC`

// ModelVersions lists every stored version of a kind of model ("" is the
// scoring models), newest first.
func (s *Store) ModelVersions(ctx context.Context, kind string) ([]valuegraph.ModelVersion, error) {
	res, err := s.query(ctx, cypherModelVersions, map[string]any{"kind": kindOr(kind)})
	if err != nil {
		return nil, formatError("list model versions", err)
	}
	out := make([]valuegraph.ModelVersion, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap()).sub("m")
		mv := valuegraph.ModelVersion{Kind: p.str("kind"), Version: p.str("version"), TrainedAt: p.time("trainedAt"), TrainingSize: p.int("trainingSize"),
			Status: p.str("status"), Definition: p.str("definition")}
		_ = json.Unmarshal([]byte(p.str("metrics")), &mv.Metrics)
		out = append(out, mv)
	}
	return out, nil
}

// ActiveModelVersion returns the active version, or nil when none was ever
// trained (scoring then uses the built-in priors).
func (s *Store) ActiveModelVersion(ctx context.Context, kind string) (*valuegraph.ModelVersion, error) {
	all, err := s.ModelVersions(ctx, kind)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Status == valuegraph.ModelActive {
			return &all[i], nil
		}
	}
	return nil, nil
}

// kindOr names the default kind of model: the scoring models.
func kindOr(kind string) string {
	if kind == "" {
		return "scoring"
	}
	return kind
}
