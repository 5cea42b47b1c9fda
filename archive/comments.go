package archive

import (
	"context"
	"sort"
	"strings"

	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// commentVerdict says whether a comment is archived, and why not.
func commentVerdict(c *wxr.Comment) (keep bool, reason string) {
	switch strings.ToLower(c.Approved) {
	case "1", "approve", "approved":
		return true, ""
	case "spam":
		return false, "spam"
	case "trash", "post-trashed":
		return false, "trash"
	default:
		return false, "unapproved"
	}
}

// commentType normalises WordPress's empty type to "comment".
func commentType(t string) string {
	if t == "" {
		return "comment"
	}
	return t
}

// threadComments keeps the approved comments, drops personal data unless
// asked, and nests replies under their parents. A reply whose parent was
// left out moves up to the nearest ancestor that was kept.
func threadComments(in []wxr.Comment, keepPersonal bool) (roots []*Comment, leftOut map[string]int) {
	byID := make(map[int64]*wxr.Comment, len(in))
	for i := range in {
		byID[in[i].ID] = &in[i]
	}
	kept := map[int64]*Comment{}
	var all []*Comment
	for i := range in {
		c := &in[i]
		ok, why := commentVerdict(c)
		if !ok {
			if leftOut == nil {
				leftOut = map[string]int{}
			}
			leftOut[why]++
			continue
		}
		n := &Comment{
			ID: c.ID, Parent: c.Parent, Type: commentType(c.Type), Author: c.Author, AuthorURL: c.AuthorURL,
			UserID: c.UserID, Date: c.Date, DateGMT: c.DateGMT, Approved: c.Approved, Content: c.Content, Meta: c.Meta,
		}
		if keepPersonal {
			n.AuthorEmail, n.AuthorIP, n.Agent = c.AuthorEmail, c.AuthorIP, c.Agent
		}
		if _, dup := kept[c.ID]; dup {
			continue // a duplicated comment id: the first one stands
		}
		kept[c.ID] = n
		all = append(all, n)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Date != all[j].Date {
			return all[i].Date < all[j].Date
		}
		return all[i].ID < all[j].ID
	})
	for _, n := range all {
		p := n.Parent
		// Walk up past left-out parents; the step cap stops a cycle.
		for steps := 0; p != 0 && kept[p] == nil && steps < 1000; steps++ {
			if c := byID[p]; c != nil && c.ID != c.Parent {
				p = c.Parent
			} else {
				p = 0
			}
		}
		if p == n.ID || createsCycle(kept, n.ID, p) {
			p = 0
		}
		n.Parent = p
		if p == 0 {
			roots = append(roots, n)
		} else {
			kept[p].Replies = append(kept[p].Replies, n)
		}
	}
	return roots, leftOut
}

// createsCycle reports whether hanging id under parent would make a loop.
func createsCycle(kept map[int64]*Comment, id, parent int64) bool {
	for steps := 0; parent != 0 && steps < 1000; steps++ {
		if parent == id {
			return true
		}
		c := kept[parent]
		if c == nil {
			return false
		}
		parent = c.Parent
	}
	return parent != 0
}

// countComments counts a thread's comments.
func countComments(roots []*Comment) int {
	n := 0
	for _, c := range roots {
		n += 1 + countComments(c.Replies)
	}
	return n
}

// renderComments writes comments.md: a readable thread, replies indented
// under their parents as nested list items.
func renderComments(ctx context.Context, conv *convert.Converter, title string, roots []*Comment) (string, []string, error) {
	var b strings.Builder
	var warns []string
	b.WriteString("# Comments on ")
	b.WriteString(escapeMarkdownLine(title))
	b.WriteString("\n\n")
	var walk func(cs []*Comment, depth int) error
	walk = func(cs []*Comment, depth int) error {
		for _, c := range cs {
			indent := strings.Repeat("  ", depth)
			b.WriteString(indent)
			b.WriteString("- **")
			name := c.Author
			if name == "" {
				name = "Anonymous"
			}
			b.WriteString(escapeMarkdownLine(name))
			b.WriteString("**")
			if c.AuthorURL != "" && safeURL(c.AuthorURL) {
				b.WriteString(" (<")
				b.WriteString(c.AuthorURL)
				b.WriteString(">)")
			}
			if c.Type != "comment" {
				b.WriteString(" · ")
				b.WriteString(c.Type)
			}
			b.WriteString(" · ")
			b.WriteString(c.Date)
			b.WriteString("\n\n")
			doc, err := conv.Convert(ctx, convert.Source{HTML: c.Content, SkipLoss: true})
			if err != nil {
				return err
			}
			for _, w := range doc.Warnings {
				warns = append(warns, "comment "+itoa(c.ID)+": "+w)
			}
			body := strings.TrimSpace(doc.Markdown)
			for _, line := range strings.Split(body, "\n") {
				if line == "" {
					b.WriteString("\n")
					continue
				}
				b.WriteString(indent)
				b.WriteString("  ")
				b.WriteString(line)
				b.WriteString("\n")
			}
			b.WriteString("\n")
			if err := walk(c.Replies, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(roots, 0); err != nil {
		return "", warns, err
	}
	return strings.TrimRight(b.String(), "\n") + "\n", warns, nil
}

// safeURL keeps only web links in the readable thread.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && !strings.ContainsAny(u, " <>\n")
}

// escapeMarkdownLine escapes what would make one line of text into markup.
func escapeMarkdownLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '[', ']', '<', '>', '`', '#':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
