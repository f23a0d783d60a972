package crawlers

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// Source is one site to crawl, as configuration (业务即配置).
type Source struct {
	Name     string        `yaml:"name"`
	Kind     string        `yaml:"kind"` // html, ocds-api, feed or csv (Kinds)
	Seeds    []string      `yaml:"seeds"`
	Schedule string        `yaml:"schedule"` // e.g. "@every 6h": the worker runs it then (VALUEGRAPH_SOURCES), one run at a time
	Trust    int           `yaml:"trust"`
	Delay    time.Duration `yaml:"delay"`       // between requests to one domain; default 1s
	Parallel int           `yaml:"parallelism"` // requests at once per domain; default 1
	Timeout  time.Duration `yaml:"timeout"`     // per request; default 20s
	Retries  int           `yaml:"retries"`     // on 429 and 5xx; default 3
	MaxPages int           `yaml:"maxPages"`    // the crawl's page budget; default 500
	MaxDepth int           `yaml:"maxDepth"`    // links followed from a seed; default 5
	MaxBytes int           `yaml:"maxBytes"`    // a larger page is skipped, not truncated; default 5 MiB
	List     ListSelectors `yaml:"list"`        // html
	Detail   DetailFields  `yaml:"detail"`      // html
	Layout   string        `yaml:"layout"`      // csv: the customs layout; empty: chosen by the header
}

// Kinds are the source kinds the crawler reads:
//   - html: tender portals, list pages linking to notice pages (招标/中标/采购意向), read by
//     the notice extractor;
//   - ocds-api: paged OCDS release or record packages, following links.next;
//   - feed: RSS 2.0, Atom (following rel="next") and Discourse topic lists (following
//     more_topics_url), each entry a forum post with its author, thread, tags, text and the
//     organisations, products and needs it mentions;
//   - csv: customs and trade records over HTTP, read through a customs layout.
var Kinds = []string{"html", "ocds-api", "feed", "csv"}

// ListSelectors find, on a list page, the links to notices and to the next page.
type ListSelectors struct {
	Item string `yaml:"item"` // CSS selector of <a> to detail pages
	Next string `yaml:"next"` // CSS selector of <a> to the next list page
}

// DetailFields map a detail page's parts to the notice's fields, by CSS
// selector; only content is required: the extractor reads the rest from it.
type DetailFields struct {
	Content   string `yaml:"content"`
	Title     string `yaml:"title"`
	Type      string `yaml:"type"`
	Buyer     string `yaml:"buyer"` // 采购人
	Agency    string `yaml:"agency"`
	Project   string `yaml:"project"`
	Published string `yaml:"published"`
	// Attachments selects the <a> of documents the notice links (招标文件,
	// 附件); default: links in the page to .pdf, .doc(x), .xls(x), .zip,
	// .rar, .7z, .wps or .ofd files. They are listed, never downloaded.
	Attachments string `yaml:"attachments"`
}

// LoadSources reads sources from YAML; every problem is reported with the
// file and which source and field.
func LoadSources(data []byte, file string) ([]Source, error) {
	var doc struct {
		Sources []Source `yaml:"sources"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	problems := &valuegraph.Problems{File: file}
	seen := map[string]bool{}
	for i := range doc.Sources {
		s := &doc.Sources[i]
		field := fmt.Sprintf("sources[%d]", i)
		if s.Name != "" {
			field = "sources." + s.Name
		}
		switch {
		case s.Name == "":
			problems.Add(field+".name", "required")
		case seen[s.Name]:
			problems.Add(field+".name", "another source has this name")
		}
		seen[s.Name] = true
		if !slices.Contains(Kinds, s.Kind) {
			problems.Add(field+".kind", "%q is not a kind the crawler reads (%s)", s.Kind, strings.Join(Kinds, ", "))
		}
		if s.Kind != "html" && (s.List != ListSelectors{} || s.Detail != DetailFields{}) {
			problems.Add(field+".list", "list and detail selectors are for html sources; a %s source has none", s.Kind)
		}
		if s.Layout != "" && s.Kind != "csv" {
			problems.Add(field+".layout", "only csv sources have a customs layout")
		} else if s.Layout != "" && !slices.Contains(layoutNames(), s.Layout) {
			problems.Add(field+".layout", "no customs layout %q (%s)", s.Layout, strings.Join(layoutNames(), ", "))
		}
		if len(s.Seeds) == 0 {
			problems.Add(field+".seeds", "at least one seed URL")
		}
		if s.Schedule != "" {
			// The worker's scheduler (Asynq) reads the same cron syntax.
			if _, err := cron.ParseStandard(s.Schedule); err != nil {
				problems.Add(field+".schedule", "%q is not a schedule (\"@every 6h\", \"0 */6 * * *\"): %v", s.Schedule, err)
			}
		}
		for _, seed := range s.Seeds {
			if u, err := url.Parse(seed); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				problems.Add(field+".seeds", "%q is not an http(s) URL", seed)
			}
		}
		if s.Trust == 0 {
			s.Trust = int(valuegraph.TrustL2)
			if s.Kind == "feed" {
				s.Trust = int(valuegraph.TrustL3) // open-web content
			}
		} else if !valuegraph.TrustLevel(s.Trust).Valid() {
			problems.Add(field+".trust", "must be 1, 2 or 3")
		}
		if s.Kind == "html" && s.List.Item == "" {
			problems.Add(field+".list.item", "required: the CSS selector of links to notices")
		}
		if s.Kind == "html" && s.Detail.Content == "" {
			problems.Add(field+".detail.content", "required: the CSS selector of the notice body")
		}
		if s.Delay < 0 || s.Timeout < 0 || s.MaxPages < 0 || s.MaxDepth < 0 || s.Retries < 0 || s.MaxBytes < 0 || s.Parallel < 0 {
			problems.Add(field, "delays, timeouts and limits cannot be negative")
		}
		s.defaults()
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return doc.Sources, nil
}

// LoadSourcesFile reads sources from a file.
func LoadSourcesFile(path string) ([]Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadSources(data, path)
}

func (s *Source) defaults() {
	if s.Delay == 0 {
		s.Delay = time.Second
	}
	if s.Parallel == 0 {
		s.Parallel = 1
	}
	if s.Timeout == 0 {
		s.Timeout = 20 * time.Second
	}
	if s.Retries == 0 {
		s.Retries = 3
	}
	if s.MaxPages == 0 {
		s.MaxPages = 500
	}
	if s.MaxDepth == 0 {
		s.MaxDepth = 5
		if s.Kind != "html" {
			s.MaxDepth = s.MaxPages // paged APIs and feeds go one page deeper per page
		}
	}
	if s.MaxBytes == 0 {
		s.MaxBytes = 5 << 20
	}
}

// layoutNames lists the built-in customs layouts.
func layoutNames() []string {
	layouts, err := ingest.LoadCustomsLayouts(nil, "")
	if err != nil {
		return nil
	}
	var names []string
	for _, l := range layouts {
		names = append(names, l.Name)
	}
	return names
}
