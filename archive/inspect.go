package archive

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// Inventory is what 'wparchive inspect' tells about exports, read in one
// streaming pass.
type Inventory struct {
	Files       []string                  `json:"files"`
	WXRVersion  string                    `json:"wxr_version"`
	Site        InventorySite             `json:"site"`
	Items       int                       `json:"items"`
	ByType      map[string]map[string]int `json:"by_type"`       // type → status → count
	Comments    map[string]int            `json:"comments"`      // approval → count
	CommentType map[string]int            `json:"comment_types"` // comment, pingback, trackback
	Authors     []InventoryAuthor         `json:"authors"`
	FirstDate   string                    `json:"first_date,omitempty"`
	LastDate    string                    `json:"last_date,omitempty"`
	Attachments int                       `json:"attachments"`
	Shortcodes  map[string]int            `json:"shortcodes"`
	Blocks      map[string]int            `json:"blocks"`
	Terms       map[string]int            `json:"terms"` // taxonomy → count
	Warnings    int                       `json:"warnings"`
	Error       string                    `json:"error,omitempty"`
}

// InventorySite is the channel's identity.
type InventorySite struct {
	Title string `json:"title"`
	Link  string `json:"link"`
}

// InventoryAuthor is an author and how many items they wrote.
type InventoryAuthor struct {
	Login       string `json:"login"`
	DisplayName string `json:"display_name"`
	Items       int    `json:"items"`
}

// Inspect reads the exports once and counts what they hold. A syntax error
// ends the count at its place and is returned with what was counted.
func Inspect(ctx context.Context, inputs []string, open func(string) (io.ReadCloser, error)) (*Inventory, error) {
	if open == nil {
		open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
	}
	inv := &Inventory{
		ByType: map[string]map[string]int{}, Comments: map[string]int{}, CommentType: map[string]int{},
		Authors: []InventoryAuthor{}, Shortcodes: map[string]int{}, Blocks: map[string]int{}, Terms: map[string]int{},
	}
	byAuthor := map[string]int{}
	names := map[string]string{}
	for _, name := range inputs {
		inv.Files = append(inv.Files, filepath.Base(name))
		err := inspectFile(ctx, name, open, inv, byAuthor, names)
		if err != nil {
			inv.Error = err.Error()
			finishInventory(inv, byAuthor, names)
			return inv, err
		}
	}
	finishInventory(inv, byAuthor, names)
	return inv, nil
}

func inspectFile(ctx context.Context, name string, open func(string) (io.ReadCloser, error), inv *Inventory, byAuthor map[string]int, names map[string]string) error {
	f, err := open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := wxr.NewDecoder(f, wxr.Options{Name: filepath.Base(name), Warn: func(wxr.Warning) { inv.Warnings++ }})
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		inv.Items++
		t := string(orPost(it.Type))
		if inv.ByType[t] == nil {
			inv.ByType[t] = map[string]int{}
		}
		inv.ByType[t][string(it.Status)]++
		if it.Type == wxr.TypeAttachment {
			inv.Attachments++
			continue
		}
		if it.Type == wxr.TypeNavMenu {
			continue
		}
		byAuthor[it.Creator]++
		if d := it.PostDate; d != "" && d[0] != '0' {
			if inv.FirstDate == "" || d < inv.FirstDate {
				inv.FirstDate = d
			}
			if d > inv.LastDate {
				inv.LastDate = d
			}
		}
		for _, c := range it.Comments {
			_, why := commentVerdict(&c)
			if why == "" {
				why = "approved"
			}
			inv.Comments[why]++
			inv.CommentType[commentType(c.Type)]++
		}
		shortcodes, blocks := convert.Constructs(it.Content)
		for _, s := range shortcodes {
			inv.Shortcodes[s]++
		}
		for _, b := range blocks {
			inv.Blocks[b]++
		}
	}
	s := dec.Site()
	if inv.WXRVersion == "" {
		inv.WXRVersion = s.WXRVersion
		inv.Site = InventorySite{Title: s.Title, Link: s.Link}
	}
	for _, a := range s.Authors {
		if _, ok := names[a.Login]; !ok {
			names[a.Login] = a.DisplayName
		}
	}
	for _, t := range s.Terms {
		inv.Terms[t.Taxonomy]++
	}
	return nil
}

func finishInventory(inv *Inventory, byAuthor map[string]int, names map[string]string) {
	for login := range names {
		if _, ok := byAuthor[login]; !ok {
			byAuthor[login] = 0
		}
	}
	for login, n := range byAuthor {
		inv.Authors = append(inv.Authors, InventoryAuthor{Login: login, DisplayName: names[login], Items: n})
	}
	sort.Slice(inv.Authors, func(i, j int) bool {
		if inv.Authors[i].Items != inv.Authors[j].Items {
			return inv.Authors[i].Items > inv.Authors[j].Items
		}
		return inv.Authors[i].Login < inv.Authors[j].Login
	})
}
