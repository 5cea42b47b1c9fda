package page

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// A newsletter call to action ("Click here to subscribe to our newsletter")
// is a link to a mailing-list service. Services whose URL path names the
// sign-up form count by the link alone; short-link hosts that also carry
// campaign issues count only when the link's text or title asks to sign up.

// signupKeywords are folded (see fold) fragments of "subscribe", "sign up",
// "newsletter" and "mailing list" in the languages of the phrase table.
var signupKeywords = []string{
	"subscri", "signup", "signmeup", "newsletter", "mailinglist", "join",
	"abonn", "anmeld", "suscri", "inscri", "assin", "iscriv", "nieuwsbrief",
	"рассылк", "подпис", "購読", "登録",
}

// isSignupLink tells whether an <a> invites the reader to join a mailing
// list.
func isSignupLink(a *html.Node) bool {
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" {
		return false
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	path := strings.ToLower(u.Path)
	onHost := func(h string) bool { return host == h || strings.HasSuffix(host, "."+h) }
	switch {
	case onHost("list-manage.com") && strings.Contains(path, "/subscribe"),
		onHost("substack.com") && strings.HasPrefix(path, "/subscribe"),
		host == "feedburner.google.com" && strings.Contains(path, "mailverify"):
		return true
	case onHost("eepurl.com"), onHost("mailchi.mp"):
		text := fold(rawText(a) + " " + attr(a, "title"))
		for _, k := range signupKeywords {
			if strings.Contains(text, k) {
				return true
			}
		}
	}
	return false
}
