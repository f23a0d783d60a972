package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
)

// TypeDriftReport sums up the day's drift (分级漂移): who moved tier or stage,
// by how much, and why, delivered to the alert webhook as one report.
const TypeDriftReport = "drift:report"

// DriftReport is the day's drift, biggest moves first.
type DriftReport struct {
	Kind         string             `json:"kind"` // drift_report
	Since        time.Time          `json:"since"`
	Until        time.Time          `json:"until"`
	Moved        int                `json:"moved"` // customers whose tier or stage moved
	TierUp       int                `json:"tierUp"`
	TierDown     int                `json:"tierDown"`
	StageForward int                `json:"stageForward"`
	StageBack    int                `json:"stageBack"`
	Customers    []valuegraph.Drift `json:"customers"` // at most DriftReporter.Max
}

// DriftStore is what the report reads.
type DriftStore interface {
	Drift(ctx context.Context, since time.Time, minLevels int) ([]valuegraph.Drift, error)
}

// DriftReporter handles TypeDriftReport.
type DriftReporter struct {
	Graph     DriftStore
	Client    *Client       // delivers the report through the alert webhook; nil: logged only
	Window    time.Duration // how far back; default 24h
	MinLevels int           // the smallest move reported; default 1
	Max       int           // customers listed; default 50
	// CustomerPrefix, when set, limits the report to customers whose id
	// starts with it (a sandbox: tests).
	CustomerPrefix string
	Now            func() time.Time // nil: time.Now
	Logger         *slog.Logger
}

// Report computes the report for the window ending now.
func (h *DriftReporter) Report(ctx context.Context) (DriftReport, error) {
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	window, minLevels, most := h.Window, h.MinLevels, h.Max
	if window <= 0 {
		window = 24 * time.Hour
	}
	if minLevels <= 0 {
		minLevels = 1
	}
	if most <= 0 {
		most = 50
	}
	r := DriftReport{Kind: "drift_report", Since: now.Add(-window).UTC(), Until: now.UTC(), Customers: []valuegraph.Drift{}}
	drifts, err := h.Graph.Drift(ctx, r.Since, minLevels)
	if err != nil {
		return r, err
	}
	for _, d := range drifts { // biggest moves first, as Drift gives them
		if !strings.HasPrefix(d.CustomerID, h.CustomerPrefix) {
			continue
		}
		r.Moved++
		switch {
		case d.TierLevels > 0:
			r.TierUp++
		case d.TierLevels < 0:
			r.TierDown++
		}
		switch {
		case d.StageLevels > 0:
			r.StageForward++
		case d.StageLevels < 0:
			r.StageBack++
		}
		if len(r.Customers) < most {
			r.Customers = append(r.Customers, d)
		}
	}
	return r, nil
}

// ProcessTask reports the last window's drift and hands it to the webhook
// when anyone moved.
func (h *DriftReporter) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	r, err := h.Report(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", TypeDriftReport, err)
	}
	if h.Logger != nil {
		h.Logger.Info("drift report", "since", r.Since, "moved", r.Moved, "tier_up", r.TierUp, "tier_down", r.TierDown,
			"stage_forward", r.StageForward, "stage_back", r.StageBack)
	}
	if h.Client == nil || r.Moved == 0 {
		return nil
	}
	return h.Client.deliver(ctx, r)
}
