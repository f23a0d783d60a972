package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/valuegraph/valuegraph/scoring"
)

// runEvaluate generates customers from the scenario journeys and prints how
// the scoring model does on them, before and after retraining on their
// labels. It needs no services.
func runEvaluate(_ context.Context, args []string, stdout, stderr io.Writer, _ func(string) string) error {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	modelFile := fs.String("model", "", "scoring model YAML (default: the built-in priors)")
	scenFile := fs.String("scenarios", "", "scenario journeys YAML (default: the built-in ones)")
	train := fs.Int("train", 1500, "customers whose labels retraining learns from")
	test := fs.Int("test", 2000, "held-out customers the figures are measured on")
	seed := fs.Uint64("seed", 1, "seed of the generator; the test set uses seed+1")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *train < 0 || *test <= 0 {
		return fmt.Errorf("-train must be 0 or more and -test more than 0")
	}
	model, err := scoring.Load(nil, "")
	if *modelFile != "" {
		model, err = scoring.LoadFile(*modelFile)
	}
	if err != nil {
		return err
	}
	sc, err := scoring.LoadScenarios(nil, "")
	if *scenFile != "" {
		sc, err = scoring.LoadScenariosFile(*scenFile)
	}
	if err != nil {
		return err
	}
	testSet := sc.Generate(*test, *seed+1)
	start := time.Now()
	model.Evaluate(testSet).Print(stdout, "model "+model.Version+", held-out set")
	if *train > 0 {
		fitted := model.Fit(model.Examples(sc.Generate(*train, *seed)), scoring.FitOptions{})
		fitted.Evaluate(testSet).Print(stdout, fmt.Sprintf("model %s retrained on %d labelled customers, held-out set", fitted.Version, *train))
	}
	fmt.Fprintf(stderr, "evaluated in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
