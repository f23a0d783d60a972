// Command valuegraph is the one binary of ValueGraph: the API server, the job
// worker, schema migrations, the demo dataset and operator commands, each a
// subcommand. Configuration comes from flags and the environment (README.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"
)

const usage = `usage: valuegraph <command> [flags]

commands:
  serve     run the API server (health and readiness endpoints)
  worker    run the job worker (Asynq)
  migrate   apply pending schema migrations and list the schema
  ingest    read files (OCDS, customs, notices, forums, CRM, orders, tickets) into the graph
  crawl     run the configured sources (tender portals) once and ingest what they find
  reviews   list ambiguous entity matches waiting for a decision
  unmerge   list the names merged into a customer, or split one off again
  token     create, list or revoke API tokens
  evaluate  measure the scoring models: generated journeys, hand-labelled ones (-independent), feedback split in time (-time-split)
  model     list, show, activate (roll back) or retrain scoring model versions
  demo      load the demo dataset (ids prefixed "demo-")
  show      print a customer with its neighbourhood as JSON
  search    find customers, competitors and people by name or alias
  version   print the version

Run 'valuegraph <command> -h' for a command's flags.`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// go-redis logs dial failures on its own; readiness and start-up already
	// report them, with the setting to fix.
	redis.SetLogger(quietRedis{})
	if err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "valuegraph:", err)
		}
		os.Exit(exitCode(err))
	}
}

// Run runs one subcommand; tests call it as main does.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, args, stdout, stderr, getenv)
	case "worker":
		return runWorker(ctx, args, stdout, stderr, getenv)
	case "migrate":
		return runMigrate(ctx, args, stdout, stderr, getenv)
	case "crawl":
		return runCrawl(ctx, args, stdout, stderr, getenv)
	case "ingest":
		return runIngest(ctx, args, stdout, stderr, getenv)
	case "model":
		return runModel(ctx, args, stdout, stderr, getenv)
	case "evaluate":
		return runEvaluate(ctx, args, stdout, stderr, getenv)
	case "token":
		return runToken(ctx, args, stdout, stderr, getenv)
	case "unmerge":
		return runUnmerge(ctx, args, stdout, stderr, getenv)
	case "reviews":
		return runReviews(ctx, args, stdout, stderr, getenv)
	case "demo":
		return runDemo(ctx, args, stdout, stderr, getenv)
	case "show":
		return runShow(ctx, args, stdout, stderr, getenv)
	case "search":
		return runSearch(ctx, args, stdout, stderr, getenv)
	case "version":
		fmt.Fprintln(stdout, "valuegraph", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

var errUsage = errors.New("no command given")

// subcommand splits a command with subcommands (token, model) into the
// subcommand and its arguments. It answers help (-h, --help, help) and an
// unknown subcommand before anything connects to Neo4j, so neither needs a
// password; ok is false when the caller should return err.
func subcommand(args []string, known []string, usage string, stdout, stderr io.Writer) (sub string, rest []string, ok bool, err error) {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return "", nil, false, errUsage
	}
	sub, rest = args[0], args[1:]
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return "", nil, false, nil
	}
	if !slices.Contains(known, sub) {
		fmt.Fprintln(stderr, usage)
		return "", nil, false, fmt.Errorf("unknown subcommand %q (want one of %s)", sub, strings.Join(known, ", "))
	}
	return sub, rest, true, nil
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) || errors.Is(err, errUsage) {
		return 2
	}
	if errors.Is(err, errRejected) {
		return 3
	}
	return 1
}
