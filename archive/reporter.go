package archive

import "github.com/wparchive/wparchive/wxr"

// EventKind says what an Event reports.
type EventKind string

// The kinds of events a run reports.
const (
	EventPhase   EventKind = "phase"   // a phase starts: Phase, Total (-1 when unknown)
	EventItem    EventKind = "item"    // an item is done: ID, Slug, Path, Outcome, Reason
	EventWarning EventKind = "warning" // something the user should know: Message, Pos, ID
	EventMedia   EventKind = "media"   // a media file is done: URL, Path, Reason on failure
)

// Event is one thing a run reports while it works.
type Event struct {
	Kind    EventKind    `json:"event"`
	Phase   string       `json:"phase,omitempty"`
	Total   int          `json:"total,omitempty"`
	ID      int64        `json:"id,omitempty"`
	Slug    string       `json:"slug,omitempty"`
	Path    string       `json:"path,omitempty"`
	URL     string       `json:"url,omitempty"`
	Outcome Outcome      `json:"outcome,omitempty"`
	Reason  string       `json:"reason,omitempty"`
	Message string       `json:"message,omitempty"`
	Pos     wxr.Position `json:"pos,omitzero"`
	Bytes   int64        `json:"bytes,omitempty"` // input bytes read so far, for throughput
}

// Reporter receives a run's events. The command line turns them into a
// progress bar, plain lines or JSON; the library never prints. Calls come
// from one goroutine at a time.
type Reporter interface {
	Event(Event)
}

// Discard is a Reporter that ignores every event.
type Discard struct{}

// Event implements Reporter.
func (Discard) Event(Event) {}
