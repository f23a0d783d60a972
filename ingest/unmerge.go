package ingest

import (
	"cmp"
	"context"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// Unmerge undoes a merge entity resolution made: everything that arrived at
// the customer under name (any spelling with the same key) moves to an
// organisation of its own, which keeps the name's identifier, so the next
// ingest resolves the name there instead of merging it again. A review's
// merge is undone to the provisional organisation it merged; otherwise the
// split gets the id a new mention of the name would have had. Links an
// identifier matched stay: they are certain. Both customers are handed to
// the jobs for rescoring.
func (w *Writer) Unmerge(ctx context.Context, customerID, name, actor string) (valuegraph.Split, error) {
	key := OrgKey(name)
	if key == "" {
		return valuegraph.Split{}, valuegraph.FieldError("name", "%q normalises to nothing", name)
	}
	own, merged, err := w.Graph.MergedNames(ctx, customerID)
	if err != nil {
		return valuegraph.Split{}, err
	}
	if OrgKey(own) == key {
		return valuegraph.Split{}, valuegraph.FieldError("name", "%q is the customer's own name; give a name merged into it (%s)", name, listNames(merged))
	}
	var names []string
	var mergedFrom string
	for _, m := range merged {
		if OrgKey(m.Name) == key {
			names = append(names, m.Name)
			mergedFrom = cmp.Or(mergedFrom, m.MergedFrom)
		}
	}
	if len(names) == 0 {
		return valuegraph.Split{}, valuegraph.Errorf(valuegraph.ENOTFOUND, "nothing arrived at customer %q under the name %q; merged names: %s", customerID, name, listNames(merged))
	}
	nameKey := w.Matcher.NameKey(key)
	to := cmp.Or(mergedFrom, w.Matcher.opts.Namespace+NewOrgID(nameKey))
	split, err := w.Graph.Unmerge(ctx, customerID, to, names[0], nameKey, mergedFrom, names, actor)
	if err != nil {
		return split, err
	}
	w.Matcher.Forget()
	if w.Jobs != nil {
		if _, err := w.Jobs.RescoreCustomers(ctx, customerID, to); err != nil {
			return split, err
		}
	}
	return split, nil
}

func listNames(merged []valuegraph.MergedName) string {
	if len(merged) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, m := range merged {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m.Name + " (" + m.Rule + ")")
	}
	return b.String()
}
