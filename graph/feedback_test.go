package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// Corrections are a customer's own WRONG_STAGE, RISK_REAL and
// RISK_UNFOUNDED feedback, newest first: what scoring applies after the model.
func TestCorrections(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "a", Name: p + "甲公司"}, {ID: p + "b", Name: p + "乙公司"}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range []valuegraph.Feedback{
		{Kind: valuegraph.FeedbackWrongStage, CustomerID: p + "a", Stage: valuegraph.StageAdopting, Text: "已签合同"},
		{Kind: valuegraph.FeedbackNoIntent, CustomerID: p + "a"}, // a label, not a correction of a score
		{Kind: valuegraph.FeedbackRiskReal, CustomerID: p + "a", Risk: valuegraph.RiskChurn},
		{Kind: valuegraph.FeedbackWrongStage, CustomerID: p + "b", Stage: valuegraph.StagePlanning},
	} {
		f.Author, f.CreatedAt = "alice", at.Add(time.Duration(i)*time.Hour)
		if _, err := s.SubmitFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Corrections(ctx, p+"a")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Kind != valuegraph.FeedbackRiskReal || got[0].Risk != valuegraph.RiskChurn ||
		got[1].Kind != valuegraph.FeedbackWrongStage || got[1].Stage != valuegraph.StageAdopting || got[1].Text != "已签合同" ||
		got[1].Author != "alice" || !got[1].CreatedAt.Equal(at) {
		t.Errorf("corrections %+v", got)
	}
}
