package ingest_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/valuegraph/valuegraph/ingest"
)

func TestDevDump(t *testing.T) {
	f, _ := os.Open("../../shared/data/forums/v2ex_more_unlabelled.jsonl")
	defer f.Close()
	n := 0
	from, to := 100, 175
	fmt.Sscan(os.Getenv("DEVFROM"), &from)
	fmt.Sscan(os.Getenv("DEVTO"), &to)
	ws := regexp.MustCompile(`\s+`)
	ingest.Forum{}.Parse(context.Background(), f, "x", func(it ingest.Item) error {
		n++
		if n <= from || n > to {
			return nil
		}
		var names []string
		for _, p := range it.Products {
			names = append(names, p.Name)
		}
		for _, k := range it.Competitors {
			names = append(names, "K:"+k.Name)
		}
		txt := ws.ReplaceAllString(it.Signal.Text, " ")
		fmt.Printf("## %s | %s || %s\n   => %v %v\n", it.Signal.ID, it.Signal.Title, txt, names, it.Signal.Intents)
		return nil
	}, func(error) {})
}
