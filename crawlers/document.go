package crawlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sync"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// document reads one page of an ocds-api, feed or csv source: the records
// it holds (none when the page is as it was: unchanged), the ones that
// could not be read, and the next page to fetch ("" when there is none).
// An error means the page as a whole could not be read.
func (c *Crawler) document(ctx context.Context, src Source, page *url.URL, body []byte, unchanged bool) (items []ingest.Item, rejected []error, next string, err error) {
	file := page.String()
	collect := func(it ingest.Item) error { items = append(items, it); return nil }
	reject := func(e error) { rejected = append(rejected, e) }
	switch src.Kind {
	case "ocds-api":
		var links struct {
			Links struct {
				Next string `json:"next"`
			} `json:"links"`
		}
		if json.Unmarshal(body, &links) == nil {
			next = resolve(page, links.Links.Next)
		}
		if !unchanged {
			err = ingest.OCDS{Source: src.Name}.Parse(ctx, bytes.NewReader(body), file, collect, reject)
		}
	case "csv":
		if !unchanged {
			err = ingest.Customs{Layout: src.Layout, Source: src.Name}.Parse(ctx, bytes.NewReader(body), file, collect, reject)
		}
	case "feed":
		var entries []feedEntry
		entries, next, err = parseFeed(page, body)
		if err != nil || unchanged {
			return nil, nil, next, err
		}
		x, lerr := lexicon()
		if lerr != nil {
			return nil, nil, next, lerr
		}
		for i, e := range entries {
			pos := ingest.Position{File: file, Line: i + 1} // the entry's number on the page
			if e.problem != "" {
				reject(&valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: pos.Line, Message: "entry " + e.post.ID + ": " + e.problem})
				continue
			}
			it, perr := ingest.PostItem(x, e.post, src.Name, "", pos)
			if perr != nil {
				reject(&valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: pos.Line, Message: fmt.Sprintf("entry %s: %s", e.post.ID, valuegraph.ErrorMessage(perr))})
				continue
			}
			items = append(items, it)
		}
	default:
		err = fmt.Errorf("source kind %q has no reader", src.Kind)
	}
	return items, rejected, next, err
}

// The built-in lexicon, loaded once for every feed.
var lexicon = sync.OnceValues(func() (*ingest.Extractor, error) { return ingest.LoadLexicon(nil, "") })
