package valuegraph_test

import (
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
)

// Every kind of feedback says what it did, in both languages, naming what
// it was applied to; labels say they are kept as labels.
func TestFeedbackEffect(t *testing.T) {
	target := valuegraph.FeedbackTarget{Customer: "华信冷链", Person: "赵明", Signal: "招标公告", ProvisionalID: "c1/split/fb1"}
	for _, tc := range []struct {
		f    valuegraph.Feedback
		want string // in the English
	}{
		{valuegraph.Feedback{Kind: valuegraph.FeedbackWrongStage, Stage: valuegraph.StageAdopting}, "the stage shows as ADOPTING"},
		{valuegraph.Feedback{Kind: valuegraph.FeedbackNoIntent}, "no intent or budget: the stage shows as DORMANT"},
		{valuegraph.Feedback{Kind: valuegraph.FeedbackRiskReal, Risk: valuegraph.RiskChurn}, "the churn risk is brought to at least 80%"},
		{valuegraph.Feedback{Kind: valuegraph.FeedbackRiskUnfounded, Risk: valuegraph.RiskReplacement}, "the replacement risk is brought to at most 20%"},
		{valuegraph.Feedback{Kind: valuegraph.FeedbackPersonLeft, PersonID: "p1"}, "赵明 no longer works at 华信冷链"},
		{valuegraph.Feedback{Kind: valuegraph.FeedbackRoleChanged, PersonID: "p1", Title: "CIO"}, "赵明: title now “CIO”"},
		{valuegraph.Feedback{Kind: valuegraph.FeedbackSignalIrrelevant, SignalID: "s1"}, "signal 招标公告（s1） is kept and shown as excluded"},
		{valuegraph.Feedback{Kind: valuegraph.FeedbackWrongEntity, SignalID: "s1", CustomerID: "c1", ReviewID: "review-fb1"}, "to a provisional organisation c1/split/fb1, and review review-fb1 is open"},
	} {
		t.Run(string(tc.f.Kind), func(t *testing.T) {
			zh, en := tc.f.Effect(target)
			if !strings.Contains(en, tc.want) || zh == "" {
				t.Errorf("effect %q / %q, want %q", en, zh, tc.want)
			}
			if label := strings.HasSuffix(en, "kept as a training label"); label != tc.f.Kind.IsLabel() {
				t.Errorf("%s: %q says it is a label: %v", tc.f.Kind, en, label)
			}
		})
	}
}
