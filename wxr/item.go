// Package wxr reads WordPress eXtended RSS (WXR) exports as a stream: the
// channel's site metadata, then one item at a time, whatever the export's size.
package wxr

// PostType is a WordPress post type: post, page, attachment, nav_menu_item…
type PostType string

// Post types the archive treats specially. Any other value is kept as read.
const (
	TypePost       PostType = "post"
	TypePage       PostType = "page"
	TypeAttachment PostType = "attachment"
	TypeNavMenu    PostType = "nav_menu_item"
	TypeRevision   PostType = "revision"
)

// Status is a post status: publish, draft, pending, future, private, trash,
// inherit, auto-draft…
type Status string

// Statuses WordPress defines. Any other value is kept as read.
const (
	StatusPublish   Status = "publish"
	StatusDraft     Status = "draft"
	StatusPending   Status = "pending"
	StatusFuture    Status = "future"
	StatusPrivate   Status = "private"
	StatusTrash     Status = "trash"
	StatusInherit   Status = "inherit"
	StatusAutoDraft Status = "auto-draft"
)

// Position is a place in an export file.
type Position struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// Site is the channel-level metadata of an export.
type Site struct {
	Title       string   `json:"title"`
	Link        string   `json:"link"`
	Description string   `json:"description"`
	Language    string   `json:"language"`
	PubDate     string   `json:"pub_date,omitempty"`
	WXRVersion  string   `json:"wxr_version"`
	BaseSiteURL string   `json:"base_site_url"`
	BaseBlogURL string   `json:"base_blog_url"`
	Generator   string   `json:"generator,omitempty"`
	Authors     []Author `json:"authors"`
	Terms       []Term   `json:"terms"`
}

// Author is a wp:author of the channel.
type Author struct {
	ID          int64  `json:"id,omitempty"`
	Login       string `json:"login"`
	Email       string `json:"email,omitempty"`
	DisplayName string `json:"display_name"`
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
}

// Term is a category, tag or other taxonomy term declared in the channel.
type Term struct {
	ID          int64  `json:"id,omitempty"`
	Taxonomy    string `json:"taxonomy"` // category, post_tag, nav_menu, or a custom taxonomy
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Parent      string `json:"parent,omitempty"` // the parent term's slug
	Description string `json:"description,omitempty"`
}

// ItemTerm is a term an item is filed under: <category domain="…" nicename="…">name</category>.
type ItemTerm struct {
	Domain   string `json:"domain"` // category, post_tag, post_format, …
	Nicename string `json:"slug"`
	Name     string `json:"name"`
}

// Meta is one postmeta or commentmeta pair, kept in export order.
type Meta struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Comment is a wp:comment of an item, with every field WXR carries.
type Comment struct {
	ID          int64  `json:"id"`
	Author      string `json:"author"`
	AuthorEmail string `json:"author_email,omitempty"`
	AuthorURL   string `json:"author_url,omitempty"`
	AuthorIP    string `json:"author_ip,omitempty"`
	Date        string `json:"date"`
	DateGMT     string `json:"date_gmt,omitempty"`
	Content     string `json:"content"`
	Approved    string `json:"approved"` // "1", "0", "spam", "trash"
	Type        string `json:"type"`     // "" or "comment", "pingback", "trackback"
	Parent      int64  `json:"parent"`
	UserID      int64  `json:"user_id,omitempty"`
	Agent       string `json:"agent,omitempty"`
	Meta        []Meta `json:"meta,omitempty"`
}

// Item is one <item> of an export: a post, page, attachment or any other post type.
type Item struct {
	ID            int64      `json:"id"`
	Title         string     `json:"title"`
	Link          string     `json:"link"`
	GUID          string     `json:"guid"`
	PubDate       string     `json:"pub_date,omitempty"`
	Creator       string     `json:"creator"`
	Description   string     `json:"description,omitempty"`
	Content       string     `json:"content"` // byte-exact content:encoded
	Excerpt       string     `json:"excerpt"` // byte-exact excerpt:encoded
	PostDate      string     `json:"post_date"`
	PostDateGMT   string     `json:"post_date_gmt"`
	Modified      string     `json:"post_modified,omitempty"`
	ModifiedGMT   string     `json:"post_modified_gmt,omitempty"`
	CommentStatus string     `json:"comment_status"`
	PingStatus    string     `json:"ping_status"`
	Name          string     `json:"post_name"` // the slug, possibly percent-encoded
	Status        Status     `json:"status"`
	Parent        int64      `json:"post_parent"`
	MenuOrder     int        `json:"menu_order"`
	Type          PostType   `json:"post_type"`
	Password      string     `json:"-"` // never serialised: a password must not reach the archive
	Sticky        bool       `json:"sticky"`
	AttachmentURL string     `json:"attachment_url,omitempty"`
	Terms         []ItemTerm `json:"terms"`
	Meta          []Meta     `json:"postmeta"`
	Comments      []Comment  `json:"comments"`
	// Pos is where the item's <item> tag starts.
	Pos Position `json:"-"`
}

// MetaValue returns the first value of the postmeta key, if any.
func (it *Item) MetaValue(key string) (string, bool) {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value, true
		}
	}
	return "", false
}
