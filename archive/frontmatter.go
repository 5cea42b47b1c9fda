package archive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"gopkg.in/yaml.v3"

	"github.com/wparchive/wparchive/wxr"
)

// FrontMatter is the header of index.md. The field names are the ones
// Hugo, Jekyll, Astro and Eleventy read without configuration; Extra holds
// what a generator target adds (layout, permalink, redirect_from…), rendered
// after the common fields in key order.
type FrontMatter struct {
	Title      string   `yaml:"title" toml:"title" json:"title"`
	Date       string   `yaml:"date,omitempty" toml:"date,omitempty" json:"date,omitempty"`
	Lastmod    string   `yaml:"lastmod,omitempty" toml:"lastmod,omitempty" json:"lastmod,omitempty"`
	Slug       string   `yaml:"slug" toml:"slug" json:"slug"`
	Draft      bool     `yaml:"draft" toml:"draft" json:"draft"`
	Type       string   `yaml:"type,omitempty" toml:"type,omitempty" json:"type,omitempty"`
	Author     string   `yaml:"author,omitempty" toml:"author,omitempty" json:"author,omitempty"`
	Categories []string `yaml:"categories,omitempty" toml:"categories,omitempty" json:"categories,omitempty"`
	Tags       []string `yaml:"tags,omitempty" toml:"tags,omitempty" json:"tags,omitempty"`
	Aliases    []string `yaml:"aliases,omitempty" toml:"aliases,omitempty" json:"aliases,omitempty"`
	// FeaturedImage is the post thumbnail: a path in the archive once
	// downloaded, else its URL.
	FeaturedImage string `yaml:"featured_image,omitempty" toml:"featured_image,omitempty" json:"featured_image,omitempty"`
	WordPressID   int64  `yaml:"wordpress_id" toml:"wordpress_id" json:"wordpress_id"`
	Summary       string `yaml:"summary,omitempty" toml:"summary,omitempty" json:"summary,omitempty"`
	// Extra are target-specific fields, rendered after the others.
	Extra map[string]any `yaml:",inline,omitempty" toml:"-" json:"-"`
}

// renderFrontMatter renders fm in format: YAML between "---" lines (the
// default), TOML between "+++" lines, or a JSON object, as Hugo reads them.
func renderFrontMatter(fm *FrontMatter, format string) ([]byte, error) {
	switch format {
	case "toml":
		return marshalTOML(fm)
	case "json":
		return marshalFrontJSON(fm)
	}
	return marshalFrontMatter(fm)
}

// marshalTOML renders fm between "+++" lines.
func marshalTOML(fm *FrontMatter) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("+++\n")
	enc := toml.NewEncoder(&b)
	if err := enc.Encode(fm); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	if len(fm.Extra) > 0 {
		if err := enc.Encode(fm.Extra); err != nil {
			return nil, fmt.Errorf("front matter: %w", err)
		}
	}
	b.WriteString("+++\n")
	return b.Bytes(), nil
}

// marshalFrontJSON renders fm as a JSON object followed by a newline.
func marshalFrontJSON(fm *FrontMatter) ([]byte, error) {
	m := map[string]any{}
	raw, err := json.Marshal(fm)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for k, v := range fm.Extra {
		m[k] = v
	}
	out, err := marshalJSON(m)
	if err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	return out, nil
}

// marshalFrontMatter renders fm between "---" lines. yaml.v3 quotes whatever
// needs it (colons, '#', leading quotes, newlines), so any title stays valid.
func marshalFrontMatter(fm *FrontMatter) ([]byte, error) {
	if b, ok := appendPlainFrontMatter(nil, fm); ok {
		return b, nil
	}
	return marshalYAMLFrontMatter(fm)
}

// marshalYAMLFrontMatter is marshalFrontMatter through yaml.v3 alone.
func marshalYAMLFrontMatter(fm *FrontMatter) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(fm); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	b.WriteString("---\n")
	return b.Bytes(), nil
}

// itemDate returns the item's date as RFC 3339 with its offset, derived from
// the local and GMT dates WordPress stores; "" when the item has none (drafts
// carry 0000-00-00).
func itemDate(local, gmt string) string {
	lt, lok := parseWPDate(local)
	gt, gok := parseWPDate(gmt)
	switch {
	case lok && gok:
		off := lt.Sub(gt)
		// Offsets are whole quarter hours; anything else is a broken export.
		if off%(15*time.Minute) != 0 || off > 14*time.Hour || off < -14*time.Hour {
			return lt.Format("2006-01-02T15:04:05")
		}
		return gt.In(time.FixedZone("", int(off.Seconds()))).Format(time.RFC3339)
	case lok:
		return lt.Format("2006-01-02T15:04:05")
	case gok:
		return gt.Format(time.RFC3339)
	}
	return ""
}

// parseWPDate reads "2006-01-02 15:04:05" as a wall-clock time (in UTC).
func parseWPDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// permalinkPath is the path of an item's old URL, kept as an alias so old
// links keep working. Query-string permalinks (?p=123) have no path to keep.
func permalinkPath(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Path == "" || u.Path == "/" || u.RawQuery != "" {
		return ""
	}
	return u.EscapedPath()
}

// termNames returns the names of the item's terms in one domain, in export
// order, without duplicates.
func termNames(terms []wxr.ItemTerm, domain string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range terms {
		if t.Domain != domain {
			continue
		}
		n := strings.TrimSpace(t.Name)
		if n == "" {
			n = t.Nicename
		}
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}
