package crawlers

import (
	"net/url"
	"testing"
)

// FuzzFeed holds the RSS, Atom and Discourse readers to never panicking on
// any page, and to resolving every entry's link against the page.
func FuzzFeed(f *testing.F) {
	f.Add([]byte(`<rss><channel><item><title>求推荐</title><link>/t/1</link><pubDate>Mon, 02 Jan 2006 15:04:05 -0700</pubDate></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><link href="/a"/><published>2026-01-02T00:00:00Z</published></entry><link rel="next" href="?page=2"/></feed>`))
	f.Add([]byte(`{"topic_list":{"topics":[{"id":1,"title":"x","slug":"x","created_at":"2026-01-02T00:00:00Z"}],"more_topics_url":"/latest?page=1"}}`))
	page, _ := url.Parse("https://forum.example/latest")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, parse := range []func(*url.URL, []byte) ([]feedEntry, string, error){parseFeed, parseDiscourse} {
			entries, _, err := parse(page, b)
			if err != nil {
				continue
			}
			for _, e := range entries {
				if u := e.post.URL; u != "" {
					if p, err := url.Parse(u); err != nil || (p.Host != "" && !p.IsAbs()) {
						t.Errorf("entry link %q", u)
					}
				}
			}
		}
	})
}
