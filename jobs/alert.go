package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
)

// TypeDeliverAlert posts one alert to the configured webhook; it retries on
// its own, apart from the scoring that raised it.
const TypeDeliverAlert = "alert:deliver"

// Alert is the domain's alert: what jobs raise, the graph keeps and the
// webhook receives.
type Alert = valuegraph.Alert

// Alerts compares a customer's previous assessment with the new one.
// Nothing is raised for a first assessment. Each alert's id comes from the
// new assessment's run (or time), kind and risk, so a run repeated raises
// the same ids.
func Alerts(prev *valuegraph.Assessment, next valuegraph.Assessment, riskThreshold float64) []Alert {
	if prev == nil {
		return nil
	}
	var out []Alert
	if prev.Stage != next.Stage {
		out = append(out, Alert{Kind: valuegraph.AlertStageChanged, CustomerID: next.CustomerID, From: string(prev.Stage), To: string(next.Stage), At: next.At,
			Causes: graph.Causes(*prev, next, []string{"stage"}, 3)})
	}
	if prev.Tier != next.Tier {
		out = append(out, Alert{Kind: valuegraph.AlertTierChanged, CustomerID: next.CustomerID, From: string(prev.Tier), To: string(next.Tier), At: next.At,
			Causes: graph.Causes(*prev, next, []string{"tier"}, 3)})
	}
	for _, r := range []struct {
		name         string
		before, then float64
	}{{"replacement", prev.Risks.Replacement, next.Risks.Replacement}, {"churn", prev.Risks.Churn, next.Risks.Churn}, {"credit", prev.Risks.Credit, next.Risks.Credit}} {
		if r.before < riskThreshold && r.then >= riskThreshold {
			out = append(out, Alert{Kind: valuegraph.AlertRiskCrossed, CustomerID: next.CustomerID, Risk: r.name, At: next.At,
				From: fmt.Sprintf("%.2f", r.before), To: fmt.Sprintf("%.2f", r.then), Causes: graph.Causes(*prev, next, []string{r.name}, 3)})
		}
	}
	for i := range out {
		out[i].ID = valuegraph.AlertID(next.CustomerID, next.Run, next.At, out[i].Kind, out[i].Risk)
	}
	return out
}

// moves reports whether Alerts raises anything for an assessment after a
// snapshot of the previous one: the same tests on the same scores.
func moves(prev valuegraph.ScoreSnapshot, next valuegraph.Assessment, riskThreshold float64) bool {
	crossed := func(before, then float64) bool { return before < riskThreshold && then >= riskThreshold }
	return prev.Stage != next.Stage || prev.Tier != next.Tier || crossed(prev.Risks.Replacement, next.Risks.Replacement) ||
		crossed(prev.Risks.Churn, next.Risks.Churn) || crossed(prev.Risks.Credit, next.Risks.Credit)
}

// NewDeliverAlertTask returns the task that delivers an alert.
func NewDeliverAlertTask(a Alert) (*asynq.Task, []asynq.Option, error) { return NewDeliverTask(a) }

// NewDeliverTask returns the task that posts a payload (an alert, a drift
// report) to the alert webhook as JSON.
func NewDeliverTask(v any) (*asynq.Task, []asynq.Option, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	return asynq.NewTask(TypeDeliverAlert, payload), []asynq.Option{asynq.MaxRetry(8), asynq.Timeout(30 * time.Second)}, nil
}

// Deliverer handles TypeDeliverAlert: it posts the alert as JSON.
type Deliverer struct {
	URL    string // the webhook; empty: alerts are dropped
	Client *http.Client
}

// ProcessTask posts one alert; a non-2xx answer is retried with backoff.
func (d *Deliverer) ProcessTask(ctx context.Context, t *asynq.Task) error {
	if d.URL == "" {
		return nil
	}
	client := d.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(t.Payload()))
	if err != nil {
		return fmt.Errorf("%s: %v: %w", TypeDeliverAlert, err, asynq.SkipRetry)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", TypeDeliverAlert, err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s: the webhook answered %s", TypeDeliverAlert, res.Status)
	}
	return nil
}
