package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	list := fs.Bool("list", false, "also list the constraints and indexes")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())

	applied, err := store.Migrate(ctx)
	for _, m := range applied {
		fmt.Fprintf(stdout, "applied migration %d: %s\n", m.Version, m.Name)
	}
	if err != nil {
		return err
	}
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(stdout, "nothing to do: schema is at version %d\n", v)
	} else {
		fmt.Fprintf(stdout, "schema is at version %d\n", v)
	}
	if *list {
		rules, err := store.Schema(ctx)
		if err != nil {
			return err
		}
		for _, r := range rules {
			fmt.Fprintln(stdout, r)
		}
	}
	return nil
}
