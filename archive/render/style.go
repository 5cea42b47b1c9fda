package render

// styleCSS is the whole look: system fonts, one readable column that fits a
// phone, and nothing loaded from anywhere (no fonts, no url()).
const styleCSS = `:root { color-scheme: light dark; --muted: #666; --line: #ddd; --accent: #1a5fb4; }
@media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; --accent: #78aeed; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 44rem; padding: 1rem; font: 1.05rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; overflow-wrap: break-word; }
a { color: var(--accent); }
a[rel~="external"]::after { content: " ↗"; font-size: .8em; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: .5rem 0; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; }
img { max-width: 100%; height: auto; }
pre { overflow-x: auto; padding: .75rem; border: 1px solid var(--line); font-size: .9rem; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; }
table { display: block; overflow-x: auto; border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--line); color: var(--muted); }
time, .meta, .count, .kind { color: var(--muted); }
.meta { margin: .25rem 0; font-size: .95rem; }
.badge { font-size: .8rem; padding: 0 .35rem; border: 1px solid var(--muted); border-radius: .25rem; color: var(--muted); }
.list, .terms { list-style: none; padding: 0; }
.list li { margin: .35rem 0; }
.list time { font-variant-numeric: tabular-nums; margin-right: .5rem; }
.depth-1 { padding-left: 1.25rem; } .depth-2 { padding-left: 2.5rem; } .depth-3 { padding-left: 3.75rem; } .depth-4 { padding-left: 5rem; }
.terms li { display: inline-block; margin: 0 1rem .35rem 0; }
.crumbs { font-size: .95rem; }
.notice { padding: .5rem .75rem; border: 1px dashed var(--muted); font-size: .95rem; }
.missing-image { color: var(--muted); font-style: italic; }
.thread { list-style: none; padding-left: 0; }
.thread .thread { padding-left: 1rem; border-left: 2px solid var(--line); }
.comment { margin: 1rem 0; }
.comment header { font-size: .95rem; }
.source, .colophon { margin-top: 2rem; font-size: .9rem; color: var(--muted); border-top: 1px solid var(--line); }
`
