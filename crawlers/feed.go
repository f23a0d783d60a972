package crawlers

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/valuegraph/valuegraph/ingest"
)

// A feed page: RSS 2.0, Atom, or a Discourse topic list (latest.json and
// the like). Entries become posts; a next page (Atom rel="next",
// Discourse more_topics_url) is followed.

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Channel struct {
		Title string    `xml:"title"`
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        string   `xml:"guid"`
	Description string   `xml:"description"`
	Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	PubDate     string   `xml:"pubDate"`
	Author      string   `xml:"author"`
	Creator     string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
	Categories  []string `xml:"category"`
}

type atomDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Links     []atomLink `xml:"link"`
	Content   string     `xml:"content"`
	Summary   string     `xml:"summary"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Author    struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
}

type discourseList struct {
	Users []struct {
		ID       int    `json:"id"`
		Username string `json:"username"`
	} `json:"users"`
	TopicList *struct {
		MoreTopicsURL string `json:"more_topics_url"`
		Topics        []struct {
			ID         int             `json:"id"`
			Title      string          `json:"title"`
			Slug       string          `json:"slug"`
			Excerpt    string          `json:"excerpt"`
			CreatedAt  string          `json:"created_at"`
			Tags       json.RawMessage `json:"tags"`
			CategoryID int             `json:"category_id"`
			Posters    []struct {
				UserID      int    `json:"user_id"`
				Description string `json:"description"`
			} `json:"posters"`
		} `json:"topics"`
	} `json:"topic_list"`
}

// feedEntry is an entry with the problem that keeps it out, if any.
type feedEntry struct {
	post    ingest.Post
	problem string
}

// parseFeed reads one feed page fetched from page: its entries and the
// next page's URL ("" when there is none).
func parseFeed(page *url.URL, body []byte) (entries []feedEntry, next string, err error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return nil, "", fmt.Errorf("empty feed")
	}
	if trimmed[0] == '{' {
		return parseDiscourse(page, trimmed)
	}
	dec := xml.NewDecoder(bytes.NewReader(trimmed))
	dec.CharsetReader = charset.NewReaderLabel // GBK and GB2312 feeds exist
	dec.Strict = false
	var root struct{ XMLName xml.Name }
	probe := xml.NewDecoder(bytes.NewReader(trimmed))
	probe.CharsetReader = charset.NewReaderLabel
	if err := probe.Decode(&root); err != nil && root.XMLName.Local == "" {
		return nil, "", fmt.Errorf("neither XML nor JSON: %v", err)
	}
	switch root.XMLName.Local {
	case "rss":
		var doc rssDoc
		if err := dec.Decode(&doc); err != nil {
			return nil, "", fmt.Errorf("RSS: %v", err)
		}
		for _, it := range doc.Channel.Items {
			e := feedEntry{post: ingest.Post{ID: firstOf(it.GUID, it.Link, it.Title), URL: resolve(page, it.Link), Title: it.Title,
				Content: Text(firstOf(it.Content, it.Description)), Author: firstOf(it.Creator, it.Author), Thread: doc.Channel.Title, Tags: it.Categories}}
			e.post.Created, e.problem = feedTime(it.PubDate, "pubDate")
			entries = append(entries, e)
		}
		return entries, "", nil
	case "feed":
		var doc atomDoc
		if err := dec.Decode(&doc); err != nil {
			return nil, "", fmt.Errorf("an Atom feed: %v", err)
		}
		for _, en := range doc.Entries {
			e := feedEntry{post: ingest.Post{ID: firstOf(en.ID, en.Title), URL: resolve(page, atomHref(en.Links, "alternate")), Title: en.Title,
				Content: Text(firstOf(en.Content, en.Summary)), Author: en.Author.Name, Thread: doc.Title}}
			for _, c := range en.Categories {
				e.post.Tags = append(e.post.Tags, c.Term)
			}
			e.post.Created, e.problem = feedTime(firstOf(en.Published, en.Updated), "published")
			entries = append(entries, e)
		}
		return entries, resolve(page, atomHref(doc.Links, "next")), nil
	}
	return nil, "", fmt.Errorf("<%s> is not a feed (rss or Atom feed)", root.XMLName.Local)
}

func parseDiscourse(page *url.URL, body []byte) ([]feedEntry, string, error) {
	var doc discourseList
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, "", fmt.Errorf("JSON: %v", err)
	}
	if doc.TopicList == nil {
		return nil, "", fmt.Errorf("JSON without topic_list: not a Discourse topic list")
	}
	users := map[int]string{}
	for _, u := range doc.Users {
		users[u.ID] = u.Username
	}
	var out []feedEntry
	for _, t := range doc.TopicList.Topics {
		p := ingest.Post{ID: strconv.Itoa(t.ID), Title: t.Title, Content: Text(t.Excerpt),
			URL: resolve(page, "/t/"+t.Slug+"/"+strconv.Itoa(t.ID)), Tags: discourseTags(t.Tags)}
		if t.CategoryID != 0 {
			p.Thread = "category " + strconv.Itoa(t.CategoryID)
		}
		for _, ps := range t.Posters {
			if strings.Contains(ps.Description, "Original Poster") {
				p.Author = users[ps.UserID]
			}
		}
		e := feedEntry{post: p}
		if t.ID == 0 {
			e.problem = "id: required"
		}
		var problem string
		e.post.Created, problem = feedTime(t.CreatedAt, "created_at")
		e.problem = firstOf(e.problem, problem)
		out = append(out, e)
	}
	next := ""
	if more := doc.TopicList.MoreTopicsURL; more != "" {
		// Discourse gives the HTML path (/latest?page=1); the JSON is beside it.
		if u, err := url.Parse(more); err == nil && !strings.HasSuffix(u.Path, ".json") {
			u.Path += ".json"
			more = u.String()
		}
		next = resolve(page, more)
	}
	return out, next, nil
}

// Discourse gives tags as names or, in newer versions, as objects.
func discourseTags(raw json.RawMessage) []string {
	var names []string
	if json.Unmarshal(raw, &names) == nil {
		return names
	}
	var objs []struct {
		Name string `json:"name"`
	}
	json.Unmarshal(raw, &objs)
	for _, o := range objs {
		names = append(names, o.Name)
	}
	return names
}

var feedTimeLayouts = []string{time.RFC1123Z, time.RFC1123, time.RFC3339, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

// feedTime reads the dates feeds use; a problem names the field.
func feedTime(s, field string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, field + ": required"
	}
	for _, l := range feedTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), ""
		}
	}
	return time.Time{}, fmt.Sprintf("%s: %q is not a date", field, s)
}

func atomHref(links []atomLink, rel string) string {
	for _, l := range links {
		if l.Rel == rel || (rel == "alternate" && l.Rel == "") {
			return l.Href
		}
	}
	return ""
}

// resolve makes ref absolute against page ("" stays "").
func resolve(page *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := page.Parse(ref)
	if err != nil {
		return ""
	}
	return u.String()
}
