package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

const modelUsage = `usage:
  valuegraph model list                 the scoring model versions, newest first (the built-in priors among them)
  valuegraph model show VERSION         a version's definition (YAML)
  valuegraph model activate VERSION     make a version the one scoring uses, and rescore every customer
  valuegraph model rollback             go back to the version active before this one, and rescore every customer
  valuegraph model retrain [-force]     train a new version on the feedback labels now`

func runModel(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	sub, args, ok, err := subcommand(args, []string{"list", "show", "activate", "rollback", "retrain"}, modelUsage, stdout, stderr)
	if !ok {
		if err != nil {
			err = fmt.Errorf("model: %w", err)
		}
		return err
	}
	var cfg Config
	fs := flag.NewFlagSet("model "+sub, flag.ContinueOnError)
	cfg.bind(fs, getenv)
	force := fs.Bool("force", false, "retrain: train even with few new labels")
	kind := fs.String("kind", "", "the kind of model versions (default the scoring models; tests use their own)")
	enqueue := fs.Bool("enqueue", true, "activate, rollback: ask the worker to rescore every customer (needs Redis)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	prior, err := scoring.Load(nil, "")
	if err != nil {
		return err
	}
	// The built-in priors are a version like any other: one can always go
	// back to them.
	if err := jobs.EnsurePriors(ctx, store, *kind, prior); err != nil {
		return err
	}
	// activate makes version the active one ("" rolls back), audits it
	// and asks for every customer to be rescored.
	activate := func(version string) error {
		a, err := jobs.ActivateVersion(ctx, store, *kind, version, prior.Version, actor(getenv))
		if err != nil {
			return err
		}
		if !a.Changed {
			fmt.Fprintf(stdout, "%s is already active\n", a.Version)
			return nil
		}
		version = a.Version
		fmt.Fprintf(stdout, "%s is active (was %s); workers pick it up within a minute\n", version, a.Was)
		if !*enqueue {
			fmt.Fprintln(stdout, "no rescoring asked (-enqueue=false): the nightly run rescores every customer")
			return nil
		}
		rc, err := cfg.openRedis(ctx)
		if err != nil {
			return fmt.Errorf("%s is active, but the rescoring could not be asked for: %w (the nightly run will do it)", version, err)
		}
		defer rc.Close()
		if err := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{}).RescoreAll(ctx); err != nil {
			return fmt.Errorf("%s is active, but the rescoring could not be asked for: %w (the nightly run will do it)", version, err)
		}
		n, err := store.Count(ctx, "Customer", "")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rescoring of every customer (%d) asked for; /monitoring shows its progress\n", n)
		return nil
	}
	switch sub {
	case "list":
		versions, err := store.ModelVersions(ctx, *kind)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tSTATUS\tTRAINED\tLABELS\tHELD OUT\tACCURACY (95% CI)\tPREVIOUS")
		for _, v := range versions {
			if v.Metrics["builtIn"] == 1 {
				fmt.Fprintf(tw, "%s\t%s\tbuilt in\t-\t-\t-\t-\n", v.Version, v.Status)
				continue
			}
			acc := "too few labels to judge"
			if v.Metrics["heldOut"] >= jobs.MinHeldOut {
				acc = fmt.Sprintf("%.3f (%.3f–%.3f)", v.Metrics["accuracy"], v.Metrics["accuracyLow95"], v.Metrics["accuracyHigh95"])
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f\t%s\t%.3f\n", v.Version, v.Status, v.TrainedAt.Format(time.RFC3339), v.TrainingSize,
				v.Metrics["heldOut"], acc, v.Metrics["previousAccuracy"])
		}
		return tw.Flush()
	case "show", "activate":
		if fs.NArg() != 1 {
			return fmt.Errorf("model %s: want one version\n%s", sub, modelUsage)
		}
		if sub == "activate" {
			if fs.Arg(0) == "" {
				return fmt.Errorf("model activate: want a version\n%s", modelUsage)
			}
			return activate(fs.Arg(0))
		}
		versions, err := store.ModelVersions(ctx, *kind)
		if err != nil {
			return err
		}
		for _, v := range versions {
			if v.Version == fs.Arg(0) {
				fmt.Fprint(stdout, v.Definition)
				return nil
			}
		}
		return fmt.Errorf("model version %q not found", fs.Arg(0))
	case "rollback":
		return activate("")
	case "retrain":
		t := &jobs.Trainer{Graph: store, Models: &jobs.GraphModels{Store: store, Fallback: prior, Kind: *kind}}
		res, err := t.Retrain(ctx, *force)
		if err != nil {
			return err
		}
		if !res.Trained {
			fmt.Fprintf(stdout, "not trained: %d new labels of %d (pass -force to train anyway)\n", res.New, res.Labels)
			return nil
		}
		if !res.Judged {
			fmt.Fprintf(stdout, "trained %s on %d labels; %d held out: too few labels to judge (%d needed), kept as a candidate\n",
				res.Version, res.Labels-res.HeldOut, res.HeldOut, jobs.MinHeldOut)
			return nil
		}
		verdict := "promoted: scoring uses it now (no worse than the active version)"
		if !res.Promoted {
			verdict = "kept as a candidate: worse than the active version on held-out labels"
		}
		fmt.Fprintf(stdout, "trained %s on %d labels; held-out stage accuracy %.3f (active version %.3f), risk log loss %.3f (active %.3f), on %d labels; %s\n",
			res.Version, res.Labels-res.HeldOut, res.NewScore, res.OldScore, res.NewRiskLoss, res.OldRiskLoss, res.HeldOut, verdict)
		return nil
	}
	panic("model: subcommand " + sub + " is listed but not handled")
}

// actor names who runs a command, for the audit: the operating system's user.
func actor(getenv func(string) string) string {
	if u := getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}
