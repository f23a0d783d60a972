package jobs

import (
	"context"

	"github.com/valuegraph/valuegraph"
)

// ActivationStore is what activating a model version reads and writes.
type ActivationStore interface {
	ActiveModelVersion(ctx context.Context, kind string) (*valuegraph.ModelVersion, error)
	PreviousModelVersion(ctx context.Context, kind string) (string, error)
	ActivateModel(ctx context.Context, kind, version string) error
	RecordAudit(ctx context.Context, actor, action, target string, before, after any) error
}

// Activation is what ActivateVersion did.
type Activation struct {
	Version string // active now
	Was     string // active before ("" for none: the built-in priors as each process's fallback)
	Changed bool   // false when Version was already active
}

// ActivateVersion makes version the active model of kind ("" is the
// scoring models), audited as "model activate" by actor. With version ""
// it rolls back: to the version active before the current one, or the
// built-in priors (priorVersion) before the first trained one, audited as
// "model rollback". ENOTFOUND for an unknown version. The caller asks for
// every customer to be rescored (Client.RescoreAll) when Changed.
func ActivateVersion(ctx context.Context, store ActivationStore, kind, version, priorVersion, actor string) (Activation, error) {
	action := "activate"
	if version == "" {
		action = "rollback"
		prev, err := store.PreviousModelVersion(ctx, kind)
		if err != nil {
			return Activation{}, err
		}
		if prev == "" {
			prev = priorVersion
		}
		version = prev
	}
	before, err := store.ActiveModelVersion(ctx, kind)
	if err != nil {
		return Activation{}, err
	}
	a := Activation{Version: version}
	if before != nil {
		a.Was = before.Version
	}
	if a.Was == version {
		return a, nil
	}
	if err := store.ActivateModel(ctx, kind, version); err != nil {
		return Activation{}, err
	}
	target := kind
	if target == "" {
		target = "scoring"
	}
	if err := store.RecordAudit(ctx, actor, "model "+action, target+"/"+version, map[string]string{"active": a.Was}, map[string]string{"active": version}); err != nil {
		return Activation{}, err
	}
	a.Changed = true
	return a, nil
}
