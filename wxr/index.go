package wxr

// Index is what a first pass over the export files knows about every item, so
// that the second pass can resolve references to items that come later in a
// file (featured images, [gallery ids=…], parent pages, internal links).
// It holds a small Entry per item, never content.
type Index struct {
	Entries map[int64]*Entry
}

// Entry is the indexed summary of one item.
type Entry struct {
	ID            int64
	Type          PostType
	Status        Status
	Name          string // slug as exported
	Title         string
	Link          string
	GUID          string
	Parent        int64
	PostDate      string
	AttachmentURL string
	AttachedFile  string // _wp_attached_file
	Alt           string // _wp_attachment_image_alt
	Caption       string // the attachment's excerpt
	MimeType      string
	Metadata      string // _wp_attachment_metadata, serialized PHP as exported
	Thumbnail     int64  // _thumbnail_id
	HasPassword   bool   // post_password is set (the password itself is never kept)
	MenuOrder     int
}

// NewIndex returns an empty Index.
func NewIndex() *Index { return &Index{Entries: map[int64]*Entry{}} }
