package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/valuegraph/valuegraph"
)

const tokenUsage = `usage:
  valuegraph token create -name NAME -role rep|manager|analyst|admin [-rep REP_ID]
  valuegraph token list
  valuegraph token revoke TOKEN_ID`

// runToken manages API tokens. The first admin token is made here, on the
// machine that can reach Neo4j; the secret is printed once and only its hash
// is stored.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	sub, args, ok, err := subcommand(args, []string{"create", "list", "revoke"}, tokenUsage, stdout, stderr)
	if !ok {
		if err != nil {
			err = fmt.Errorf("token: %w", err)
		}
		return err
	}
	var cfg Config
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	cfg.bind(fs, getenv)
	name := fs.String("name", "", "create: what the token is for (a person, a system)")
	role := fs.String("role", "", "create: rep, manager, analyst or admin")
	rep := fs.String("rep", "", "create: for a rep's token, the rep's id")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	switch sub {
	case "create":
		t, secret, err := store.CreateToken(ctx, *name, valuegraph.AccessRole(*role), *rep)
		if err != nil {
			return fmt.Errorf("token create: %w", err)
		}
		fmt.Fprintf(stderr, "created %s (%s, %s); the token is shown once, keep it:\n", t.ID, t.Name, t.Role)
		fmt.Fprintln(stdout, secret)
		return nil
	case "list":
		tokens, err := store.Tokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tREP\tCREATED\tREVOKED")
		for _, t := range tokens {
			revoked := ""
			if !t.RevokedAt.IsZero() {
				revoked = t.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.RepID, t.CreatedAt.Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return fmt.Errorf("token revoke: want one token id\n%s", tokenUsage)
		}
		if err := store.RevokeToken(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "revoked", fs.Arg(0))
		return nil
	}
	panic("token: subcommand " + sub + " is listed but not handled")
}
