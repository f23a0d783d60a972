package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

const evaluateUsage = `usage: valuegraph evaluate [flags]

Measures the scoring models: stage accuracy, per-stage and macro-F1, and each
risk's AUC, ECE and reliability table.
  (always)      on customers generated from the scenario journeys, before and after
                retraining on generated labels; needs no services
  -independent  also on hand-labelled journeys written apart from the generator
                (-journeys FILE, default the built-in set); needs no services
  -time-split   on the reps' feedback labels in the graph instead: trained on the
                older, judged on the newer (-test-share); needs Neo4j`

// runEvaluate prints how the scoring model does on labelled customers: the
// generated journeys, the hand-labelled independent ones, or the reps'
// feedback split in time.
func runEvaluate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), evaluateUsage); fs.PrintDefaults() }
	var cfg Config
	cfg.bind(fs, getenv)
	modelFile := fs.String("model", "", "scoring model YAML (default: the built-in priors)")
	scenFile := fs.String("scenarios", "", "scenario journeys YAML (default: the built-in ones)")
	train := fs.Int("train", 1500, "generated customers whose labels retraining learns from (0: no retraining)")
	test := fs.Int("test", 2000, "generated held-out customers the figures are measured on")
	seed := fs.Uint64("seed", 1, "seed of the generator; the test set uses seed+1")
	independent := fs.Bool("independent", false, "also evaluate on hand-labelled journeys written apart from the generator")
	journeysFile := fs.String("journeys", "", "the labelled journeys for -independent (default: the built-in set)")
	timeSplit := fs.Bool("time-split", false, "evaluate on the feedback labels in the graph, trained on the older, judged on the newer")
	testShare := fs.Float64("test-share", 0.2, "-time-split: the newest share of labels judged on")
	kind := fs.String("kind", "", "-time-split: the kind of model versions whose active one is judged (default the scoring models)")
	prefix := fs.String("customers", "", "-time-split: only labels on customers whose id starts with this")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *train < 0 || *test <= 0 {
		return fmt.Errorf("-train must be 0 or more and -test more than 0")
	}
	if *journeysFile != "" {
		*independent = true
	}
	model, err := scoring.Load(nil, "")
	if *modelFile != "" {
		model, err = scoring.LoadFile(*modelFile)
	}
	if err != nil {
		return err
	}
	start := time.Now()
	defer func() { fmt.Fprintf(stderr, "evaluated in %s\n", time.Since(start).Round(time.Millisecond)) }()
	if *timeSplit {
		return evaluateTimeSplit(ctx, &cfg, model, *modelFile != "", *kind, *prefix, *testShare, stdout, stderr)
	}

	sc, err := scoring.LoadScenarios(nil, "")
	if *scenFile != "" {
		sc, err = scoring.LoadScenariosFile(*scenFile)
	}
	if err != nil {
		return err
	}
	var journeys *scoring.Journeys
	if *independent {
		if *journeysFile != "" {
			journeys, err = scoring.LoadJourneysFile(*journeysFile)
		} else {
			journeys, err = scoring.LoadJourneys(nil, "")
		}
		if err != nil {
			return err
		}
	}
	var fitted *scoring.Model
	if *train > 0 {
		fitted = model.Fit(model.Examples(sc.Generate(*train, *seed)), scoring.FitOptions{})
	}
	fmt.Fprintf(stdout, "## Generated journeys (scenarios.yaml, seeds %d and %d)\n\n", *seed, *seed+1)
	testSet := sc.Generate(*test, *seed+1)
	model.Evaluate(testSet).Print(stdout, "model "+model.Version+", held-out set")
	if fitted != nil {
		fitted.Evaluate(testSet).Print(stdout, fmt.Sprintf("model %s retrained on %d generated customers, held-out set", fitted.Version, *train))
	}
	if journeys == nil {
		return nil
	}
	cases := journeys.Cases()
	fmt.Fprintf(stdout, "## Independent journeys (%d hand-labelled customers, %d labelled dates)\n\n", len(journeys.Customers), len(cases))
	model.Evaluate(cases).Print(stdout, "model "+model.Version)
	if fitted != nil {
		fitted.Evaluate(cases).Print(stdout, fmt.Sprintf("model %s retrained on %d generated customers", fitted.Version, *train))
	}
	return nil
}

// evaluateTimeSplit judges the active model version (or -model) and one
// refitted on the older feedback labels on the newer ones.
func evaluateTimeSplit(ctx context.Context, cfg *Config, model *scoring.Model, fromFile bool, kind, prefix string, testShare float64, stdout, stderr io.Writer) error {
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if !fromFile {
		if model, err = (&jobs.GraphModels{Store: store, Fallback: model, Kind: kind}).Current(ctx); err != nil {
			return err
		}
	}
	labels, err := jobs.FeedbackLabels(ctx, store, model, prefix)
	if err != nil {
		return err
	}
	examples := make([]scoring.Example, len(labels))
	for i, l := range labels {
		examples[i] = l.Example
	}
	r, err := model.TimeSplit(examples, testShare, scoring.FitOptions{Version: model.Version + "-timesplit"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "## Feedback labels split in time (%d labels: %d given %s to %s trained on, %d given %s to %s judged on)\n\n",
		r.Train+r.Test, r.Train, r.TrainFrom.Format(time.DateOnly), r.TrainTo.Format(time.DateOnly), r.Test, r.Cut.Format(time.DateOnly), r.TestTo.Format(time.DateOnly))
	if r.Test < jobs.MinHeldOut {
		fmt.Fprintf(stdout, "too few labels to judge: %d newer labels, fewer than %d; the figures below are for inspection only\n\n", r.Test, jobs.MinHeldOut)
	}
	r.Before.Print(stdout, "model "+model.Version+", newer labels")
	r.After.Print(stdout, fmt.Sprintf("model %s retrained on the %d older labels, newer labels", r.RetrainedVersion, r.Train))
	return nil
}
