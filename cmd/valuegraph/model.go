package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

const modelUsage = `usage:
  valuegraph model list                 the scoring model versions, newest first
  valuegraph model show VERSION         a version's definition (YAML)
  valuegraph model activate VERSION     make a version the one scoring uses (rollback)
  valuegraph model retrain [-force]     train a new version on the feedback labels now`

func runModel(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, modelUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	var cfg Config
	fs := flag.NewFlagSet("model "+sub, flag.ContinueOnError)
	cfg.bind(fs, getenv)
	force := fs.Bool("force", false, "retrain: train even with few new labels")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	switch sub {
	case "list":
		versions, err := store.ModelVersions(ctx, "")
		if err != nil {
			return err
		}
		if len(versions) == 0 {
			fmt.Fprintln(stdout, "no trained versions: scoring uses the built-in priors")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tSTATUS\tTRAINED\tLABELS\tHELD OUT\tACCURACY\tPREVIOUS")
		for _, v := range versions {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f\t%.3f\t%.3f\n", v.Version, v.Status, v.TrainedAt.Format(time.RFC3339), v.TrainingSize,
				v.Metrics["heldOut"], v.Metrics["accuracy"], v.Metrics["previousAccuracy"])
		}
		return tw.Flush()
	case "show", "activate":
		if fs.NArg() != 1 {
			return fmt.Errorf("model %s: want one version\n%s", sub, modelUsage)
		}
		if sub == "activate" {
			if err := store.ActivateModel(ctx, "", fs.Arg(0)); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s is active; workers pick it up within a minute\n", fs.Arg(0))
			return nil
		}
		versions, err := store.ModelVersions(ctx, "")
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
	case "retrain":
		prior, err := scoring.Load(nil, "")
		if err != nil {
			return err
		}
		t := &jobs.Trainer{Graph: store, Models: &jobs.GraphModels{Store: store, Fallback: prior}}
		res, err := t.Retrain(ctx, *force)
		if err != nil {
			return err
		}
		if !res.Trained {
			fmt.Fprintf(stdout, "not trained: %d new labels of %d (pass -force to train anyway)\n", res.New, res.Labels)
			return nil
		}
		verdict := "kept as a candidate (worse on held-out labels)"
		if res.Promoted {
			verdict = "promoted: scoring uses it now"
		}
		fmt.Fprintf(stdout, "trained %s on %d labels; held-out stage accuracy %.3f (active version %.3f), risk log loss %.3f (active %.3f), on %d labels; %s\n",
			res.Version, res.Labels-res.HeldOut, res.NewScore, res.OldScore, res.NewRiskLoss, res.OldRiskLoss, res.HeldOut, verdict)
		return nil
	}
	fmt.Fprintln(stderr, modelUsage)
	return fmt.Errorf("model: unknown subcommand %q", sub)
}
