package render

import (
	"bytes"
	"html/template"
)

// pageData is what every page's frame shows.
type pageData struct {
	Site  string
	Title string
	Lang  string
	Tool  string
	Root  string // relative URL of html/index.html
	Style string // relative URL of html/style.css
}

type indexData struct {
	pageData
	Description string
	Original    string
	Posts       int
	Pages       int
	Years       []group
	PageLinks   []link
	Others      []group
	Terms       []group
}

type termData struct {
	pageData
	Kind  string
	Name  string
	Links []link
}

type itemData struct {
	pageData
	Item         link
	Date         string
	Author       string
	Status       string // shown unless published
	Categories   []link
	Tags         []link
	Body         template.HTML // sanitized
	RemoteImages int
	Comments     []commentData
	CommentCount int
	Original     string
	Markdown     string
	JSON         string
}

type commentData struct {
	ID      int64
	Author  string
	URL     string
	Date    string
	Type    string        // pingback, trackback; empty for a comment
	Body    template.HTML // sanitized
	Replies []commentData
}

// The pages carry a Content-Security-Policy that forbids every script and
// every load but the archive's own files, so a reader's browser enforces
// what the sanitizer already ensures.
var pages = template.Must(template.New("").Parse(`
{{define "head"}}<!DOCTYPE html>
<html{{with .Lang}} lang="{{.}}"{{end}}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file:; style-src 'self' file:; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Style}}">
</head>
<body>
{{end}}
{{define "foot"}}<footer class="colophon">
<p>An offline copy of an archived WordPress site{{with .Tool}}, rendered by {{.}}{{end}}. It runs no script and loads nothing from the network; links marked ↗ lead to the web.</p>
</footer>
</body>
</html>
{{end}}
{{define "links"}}<ul class="list">
{{range .}}<li{{if .Depth}} class="depth-{{.Depth}}"{{end}}><time>{{.Date}}</time> <a href="{{.Href}}">{{.Title}}</a>{{if .Draft}} <span class="badge">draft</span>{{end}}</li>
{{end}}</ul>
{{end}}
{{define "index"}}{{template "head" .}}<header class="site">
<h1>{{.Site}}</h1>
{{with .Description}}<p class="description">{{.}}</p>{{end}}
<p class="meta">{{.Posts}} posts, {{.Pages}} pages{{with .Original}} · archived from <a class="external" rel="external nofollow noreferrer" href="{{.}}">{{.}}</a>{{end}}</p>
<nav><a href="#posts">Posts</a> · <a href="#pages">Pages</a>{{range .Others}} · <a href="#{{.ID}}">{{.Title}}</a>{{end}}{{range .Terms}} · <a href="#{{.ID}}">{{.Title}}</a>{{end}}</nav>
</header>
<main>
<section id="posts">
<h2>Posts</h2>
{{range .Years}}<h3 id="{{.ID}}">{{.Title}}</h3>
{{template "links" .Links}}{{else}}<p>No posts.</p>
{{end}}</section>
<section id="pages">
<h2>Pages</h2>
{{if .PageLinks}}{{template "links" .PageLinks}}{{else}}<p>No pages.</p>
{{end}}</section>
{{range .Others}}<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{template "links" .Links}}</section>
{{end}}{{range .Terms}}<section id="{{.ID}}">
<h2>{{.Title}}</h2>
<ul class="terms">
{{range .Links}}<li><a href="{{.Href}}">{{.Title}}</a> <span class="count">{{.Count}}</span></li>
{{end}}</ul>
</section>
{{end}}</main>
{{template "foot" .}}{{end}}
{{define "term"}}{{template "head" .}}<nav class="crumbs"><a href="{{.Root}}">{{.Site}}</a></nav>
<main>
<h1><span class="kind">{{.Kind}}:</span> {{.Name}}</h1>
{{template "links" .Links}}</main>
{{template "foot" .}}{{end}}
{{define "item"}}{{template "head" .}}<nav class="crumbs"><a href="{{.Root}}">{{.Site}}</a></nav>
<main>
<article>
<header>
<h1>{{.Item.Title}}</h1>
<p class="meta">{{with .Date}}<time>{{.}}</time>{{end}}{{with .Author}} · {{.}}{{end}}{{with .Status}} · <span class="badge">{{.}}</span>{{end}}</p>
{{if .Categories}}<p class="meta">Categories: {{range $i, $l := .Categories}}{{if $i}}, {{end}}<a href="{{$l.Href}}">{{$l.Title}}</a>{{end}}</p>
{{end}}{{if .Tags}}<p class="meta">Tags: {{range $i, $l := .Tags}}{{if $i}}, {{end}}<a href="{{$l.Href}}">{{$l.Title}}</a>{{end}}</p>
{{end}}</header>
{{if .RemoteImages}}<p class="notice">{{.RemoteImages}} image(s) of this page are not in the archive. They are shown as links, marked [image: …], to their original address on the web; this page does not load them.</p>
{{end}}<div class="content">
{{.Body}}
</div>
{{if .Comments}}<section class="comments" id="comments">
<h2>{{.CommentCount}} comment(s)</h2>
{{template "thread" .Comments}}</section>
{{end}}<footer class="source">
{{with .Original}}<p>Original address: <a class="external" rel="external nofollow noreferrer" href="{{.}}">{{.}}</a></p>
{{end}}<p>Archived files: <a href="{{.Markdown}}">Markdown</a>{{with .JSON}} · <a href="{{.}}">JSON record</a>{{end}}</p>
</footer>
</article>
</main>
{{template "foot" .}}{{end}}
{{define "thread"}}<ol class="thread">
{{range .}}<li id="comment-{{.ID}}">
<article class="comment">
<header><strong class="author">{{if .URL}}<a class="external" rel="external nofollow noreferrer" href="{{.URL}}">{{.Author}}</a>{{else}}{{.Author}}{{end}}</strong>{{with .Type}} <span class="badge">{{.}}</span>{{end}} <time>{{.Date}}</time></header>
<div class="content">{{.Body}}</div>
</article>
{{if .Replies}}{{template "thread" .Replies}}{{end}}</li>
{{end}}</ol>
{{end}}
`))

func execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
