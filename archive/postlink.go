package archive

// postLinks resolves the links in one item's content to the archive paths
// of the items they point to, for convert.Source.Link.
type postLinks struct {
	links          *linkIndex
	lay            *layout // planned from the index the links are in
	t              Target
	from           string // the Markdown file of the item linking
	includePrivate bool

	// A post often links to the same item more than once: each href is
	// resolved once.
	seen map[string]resolvedLink
}

type resolvedLink struct {
	to string
	ok bool
}

// link returns where href leads inside the archive, false if it is not a
// link to a written item.
func (p *postLinks) link(href string) (string, bool) {
	if r, ok := p.seen[href]; ok {
		return r.to, r.ok
	}
	to, ok := p.resolve(href)
	if p.seen == nil {
		p.seen = make(map[string]resolvedLink, 4)
	}
	p.seen[href] = resolvedLink{to, ok}
	return to, ok
}

func (p *postLinks) resolve(href string) (string, bool) {
	id, ok := p.links.lookup(href)
	if !ok {
		return "", false
	}
	e, d, ok := p.lay.plannedEntry(id)
	if !ok {
		return "", false
	}
	ob := &Bundle{Dir: d, ID: id, Type: orPost(e.Type), PostDate: e.PostDate, Link: e.Link, Draft: decideEntry(&e, p.includePrivate).Draft}
	if u, ok := p.t.(URLer); ok {
		return u.URL(ob), true // a generator's site address
	}
	return p.t.Link(p.from, p.t.Paths(ob).Markdown), true
}
