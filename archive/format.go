// Package archive writes and reads the wparchive archive format: one page
// bundle (Markdown + lossless JSON record + comments) per post and page, the
// media, the site's metadata, a run report and a BagIt manifest. The format
// is a public contract, documented in docs/format.md.
package archive

import (
	"strings"

	"github.com/wparchive/wparchive/archive/media"
	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// FormatVersion names the version of the archive format. A change that
// removes or renames a field, or moves a file, needs a new version.
const FormatVersion = "wparchive/1"

// Record is the lossless JSON record of one item (index.json).
type Record struct {
	Format            string         `json:"format"`
	ID                int64          `json:"id"`
	Type              string         `json:"type"`
	Status            string         `json:"status"`
	Draft             bool           `json:"draft"`
	Title             string         `json:"title"`
	Slug              string         `json:"slug"`
	PostName          string         `json:"post_name"`
	Link              string         `json:"link"`
	GUID              string         `json:"guid"`
	PubDate           string         `json:"pub_date,omitempty"`
	Author            RecordAuthor   `json:"author"`
	Date              string         `json:"date,omitempty"`
	PostDate          string         `json:"post_date"`
	PostDateGMT       string         `json:"post_date_gmt"`
	Modified          string         `json:"post_modified,omitempty"`
	ModifiedGMT       string         `json:"post_modified_gmt,omitempty"`
	CommentStatus     string         `json:"comment_status"`
	PingStatus        string         `json:"ping_status"`
	Parent            int64          `json:"post_parent"`
	MenuOrder         int            `json:"menu_order"`
	Sticky            bool           `json:"sticky"`
	PasswordProtected bool           `json:"password_protected"`
	Description       string         `json:"description,omitempty"`
	Excerpt           string         `json:"excerpt"`
	Content           string         `json:"content"`
	Terms             []wxr.ItemTerm `json:"terms"`
	Meta              []wxr.Meta     `json:"postmeta"`
	Comments          []*Comment     `json:"comments"`
	CommentsLeftOut   map[string]int `json:"comments_left_out,omitempty"`
	Files             RecordFiles    `json:"files"`
	Media             []MediaRecord  `json:"media"`
	Conversion        Conversion     `json:"conversion"`
	Source            wxr.Position   `json:"source"`
}

// RecordAuthor names the item's author without personal data.
type RecordAuthor struct {
	Login       string `json:"login"`
	DisplayName string `json:"display_name"`
}

// RecordFiles are the item's files, relative to its bundle folder.
type RecordFiles struct {
	Markdown string `json:"markdown"`
	Comments string `json:"comments,omitempty"`
}

// MediaRecord is one media reference of an item: where it came from and,
// once downloaded, where it is in the archive.
type MediaRecord struct {
	URL          string `json:"url"`
	Kind         string `json:"kind"`
	AttachmentID int64  `json:"attachment_id,omitempty"`
	Path         string `json:"path,omitempty"` // relative to the payload root
	Size         int64  `json:"size,omitempty"`
	ContentType  string `json:"content_type,omitempty"`
	SHA256       string `json:"sha256,omitempty"`
	Error        string `json:"error,omitempty"`
}

// Conversion records how faithfully the item's content became Markdown.
type Conversion struct {
	Summary           string        `json:"summary,omitempty"` // Markdown before <!--more-->
	Warnings          []string      `json:"warnings,omitempty"`
	UnknownShortcodes []string      `json:"unknown_shortcodes,omitempty"`
	UnknownBlocks     []string      `json:"unknown_blocks,omitempty"`
	RawFallback       bool          `json:"raw_fallback,omitempty"`
	Loss              *convert.Loss `json:"loss,omitempty"`
}

// Comment is one comment in an item's thread, replies nested under their parent.
type Comment struct {
	ID          int64      `json:"id"`
	Parent      int64      `json:"parent"`
	Type        string     `json:"type"` // comment, pingback, trackback
	Author      string     `json:"author"`
	AuthorURL   string     `json:"author_url,omitempty"`
	AuthorEmail string     `json:"author_email,omitempty"` // only with --keep-personal-data
	AuthorIP    string     `json:"author_ip,omitempty"`    // only with --keep-personal-data
	Agent       string     `json:"agent,omitempty"`        // only with --keep-personal-data
	UserID      int64      `json:"user_id,omitempty"`
	Date        string     `json:"date"`
	DateGMT     string     `json:"date_gmt,omitempty"`
	Approved    string     `json:"approved"`
	Content     string     `json:"content"` // HTML as exported
	Meta        []wxr.Meta `json:"meta,omitempty"`
	Replies     []*Comment `json:"replies,omitempty"`
}

// Line is one line of items.jsonl.
type Line struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Status   string `json:"status"`
	Draft    bool   `json:"draft"`
	Title    string `json:"title"`
	Slug     string `json:"slug"`
	Date     string `json:"date"`
	URL      string `json:"url"`
	Markdown string `json:"markdown"` // relative to the payload root
	JSON     string `json:"json"`
	Comments string `json:"comments,omitempty"`
	// SourceSHA256 is the hash of the item's source record, so an incremental
	// run can tell which items changed.
	SourceSHA256 string `json:"source_sha256"`
}

// SiteRecord is site.json.
type SiteRecord struct {
	Format      string         `json:"format"`
	Title       string         `json:"title"`
	Link        string         `json:"link"`
	Description string         `json:"description"`
	Language    string         `json:"language"`
	PubDate     string         `json:"pub_date,omitempty"`
	WXRVersion  string         `json:"wxr_version"`
	BaseSiteURL string         `json:"base_site_url"`
	BaseBlogURL string         `json:"base_blog_url"`
	Generator   string         `json:"generator,omitempty"`
	Authors     []SiteAuthor   `json:"authors"`
	Terms       []SiteTerm     `json:"terms"`
	Counts      map[string]int `json:"counts"` // "type/status" → items read
	Media       []SiteMedia    `json:"media"`
	Sources     []SourceFile   `json:"sources"`
}

// SiteAuthor is an author without personal data.
type SiteAuthor struct {
	ID          int64  `json:"id,omitempty"`
	Login       string `json:"login"`
	DisplayName string `json:"display_name"`
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
}

// SiteTerm is a category, tag or other term with its place in the hierarchy.
type SiteTerm struct {
	Taxonomy    string `json:"taxonomy"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Parent      string `json:"parent,omitempty"`
	Path        string `json:"path"` // slugs from the root, joined by "/"
	Description string `json:"description,omitempty"`
	ID          int64  `json:"id,omitempty"`
}

// SiteMedia is one attachment of the export.
type SiteMedia struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	URL      string `json:"url"`
	Parent   int64  `json:"parent,omitempty"`
	File     string `json:"file,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	Alt      string `json:"alt,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Path     string `json:"path,omitempty"` // local copy, relative to the payload root
	SHA256   string `json:"sha256,omitempty"`
}

// SourceFile identifies an input of the run.
type SourceFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// mediaFromRefs records the references the media finder found.
func mediaFromRefs(refs []media.Ref) []MediaRecord {
	out := make([]MediaRecord, 0, len(refs))
	for _, r := range refs {
		out = append(out, MediaRecord{URL: r.URL, Kind: r.Kind, AttachmentID: r.AttachmentID})
	}
	return out
}

// parseID reads a post id from postmeta; 0 when it is not one.
func parseID(s string) int64 {
	var n int64
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' || n > 1<<53 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// mediaFromDoc copies a document's media references into records.
func mediaFromDoc(refs []convert.MediaRef) []MediaRecord {
	out := make([]MediaRecord, 0, len(refs))
	for _, r := range refs {
		out = append(out, MediaRecord{URL: r.URL, Kind: r.Kind, AttachmentID: r.AttachmentID})
	}
	return out
}
