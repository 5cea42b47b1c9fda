package archive

import (
	"github.com/wparchive/wparchive/wxr"
)

// Outcome is what the run does with one item.
type Outcome string

// The outcomes an item can have; every item read ends in exactly one.
const (
	Written  Outcome = "written"
	Skipped  Outcome = "skipped"
	Withheld Outcome = "withheld"
	Failed   Outcome = "failed"
)

// Decision is the policy's verdict on an item before it is converted.
type Decision struct {
	Outcome Outcome
	Reason  string // why it is skipped or withheld
	Draft   bool   // written, but not published
	Warning string // written, with something the user should know
}

// nonContentTypes are post types that hold site machinery, not content.
var nonContentTypes = map[wxr.PostType]string{
	wxr.TypeNavMenu:        "navigation menu item",
	wxr.TypeRevision:       "revision",
	"custom_css":           "custom CSS",
	"customize_changeset":  "customizer changeset",
	"oembed_cache":         "oEmbed cache",
	"user_request":         "privacy request",
	"wp_global_styles":     "global styles",
	"wp_navigation":        "navigation menu",
	"wp_template":          "block template",
	"wp_template_part":     "block template part",
	"wp_font_family":       "font family",
	"wp_font_face":         "font face",
	"scheduled-action":     "scheduled action",
	"jp_pay_order":         "payment order",
	"jp_pay_product":       "payment product",
	"feedback":             "contact form feedback (personal data)",
	"amp_validated_url":    "AMP validation record",
	"wp_block":             "", // reusable blocks are content: kept
	"wp_privacy_policy":    "",
	"shop_order":           "shop order (personal data)",
	"shop_order_refund":    "shop order refund",
	"shop_order_placehold": "shop order placeholder",
}

// Decide applies the archive policy: published items are written; drafts,
// pending and scheduled items are written as drafts; trash and machinery are
// skipped; private and password-protected items are withheld unless the user
// asks for them.
func Decide(it *wxr.Item, includePrivate bool) Decision {
	if it.Type == wxr.TypeAttachment {
		return Decision{Outcome: Skipped, Reason: "attachment (listed in site.json media)"}
	}
	if why, ok := nonContentTypes[it.Type]; ok && why != "" {
		return Decision{Outcome: Skipped, Reason: "not content: " + why}
	}
	var d Decision
	switch it.Status {
	case wxr.StatusPublish:
		d = Decision{Outcome: Written}
	case wxr.StatusDraft, wxr.StatusPending, wxr.StatusFuture:
		d = Decision{Outcome: Written, Draft: true}
	case wxr.StatusTrash:
		return Decision{Outcome: Skipped, Reason: "trash"}
	case wxr.StatusAutoDraft:
		return Decision{Outcome: Skipped, Reason: "auto-draft"}
	case wxr.StatusInherit:
		return Decision{Outcome: Skipped, Reason: "inherit (revision or attachment state)"}
	case wxr.StatusPrivate:
		if !includePrivate {
			return Decision{Outcome: Withheld, Reason: "private"}
		}
		d = Decision{Outcome: Written, Draft: true}
	case "":
		d = Decision{Outcome: Written, Draft: true, Warning: "no status: archived as draft"}
	default:
		d = Decision{Outcome: Written, Draft: true, Warning: "unknown status " + quote(string(it.Status)) + ": archived as draft"}
	}
	if it.Password != "" && !includePrivate {
		return Decision{Outcome: Withheld, Reason: "password-protected"}
	}
	if it.Type == "" {
		d.Warning = joinWarn(d.Warning, "no post type: archived as post")
	}
	return d
}

// decideEntry is Decide for the first pass, which knows an item only by its
// index entry. It must agree with Decide on everything the entry carries.
func decideEntry(e *wxr.Entry, includePrivate bool) Decision {
	it := wxr.Item{Type: e.Type, Status: e.Status}
	if e.HasPassword {
		it.Password = "x"
	}
	return Decide(&it, includePrivate)
}

func joinWarn(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
