package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// Corrections are a customer's own WRONG_STAGE, NO_INTENT, RISK_REAL and
// RISK_UNFOUNDED feedback, newest first: what scoring applies after the
// model. Others (a person who left) correct no score.
func TestCorrections(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "a", Name: p + "甲公司"}, {ID: p + "b", Name: p + "乙公司"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPeople(ctx, []valuegraph.Person{{ID: p + "li", Name: "李工", CustomerID: p + "a"}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range []valuegraph.Feedback{
		{Kind: valuegraph.FeedbackWrongStage, CustomerID: p + "a", Stage: valuegraph.StageAdopting, Text: "已签合同"},
		{Kind: valuegraph.FeedbackNoIntent, CustomerID: p + "a"}, // the stage is DORMANT
		{Kind: valuegraph.FeedbackRoleChanged, CustomerID: p + "a", PersonID: p + "li", Title: "CIO"},
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
	if len(got) != 3 || got[0].Kind != valuegraph.FeedbackRiskReal || got[0].Risk != valuegraph.RiskChurn ||
		got[1].Kind != valuegraph.FeedbackNoIntent || got[1].StageSaid() != valuegraph.StageDormant ||
		got[2].Kind != valuegraph.FeedbackWrongStage || got[2].Stage != valuegraph.StageAdopting || got[2].Text != "已签合同" ||
		got[2].Author != "alice" || !got[2].CreatedAt.Equal(at) || !strings.Contains(got[2].EffectEN, "the stage shows as ADOPTING") {
		t.Errorf("corrections %+v", got)
	}
}
