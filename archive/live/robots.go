package live

import (
	"strings"
)

// robotsAgent is the product token wparchive answers to in robots.txt.
const robotsAgent = "wparchive"

// robots is the part of a robots.txt that applies to wparchive (RFC 9309):
// the groups naming wparchive, or else the groups for "*".
type robots struct {
	rules []robotsRule
}

type robotsRule struct {
	allow   bool
	pattern string
}

// parseRobots reads a robots.txt. It never fails: lines it does not
// understand are ignored, as crawlers do.
func parseRobots(body []byte) *robots {
	type group struct {
		agents []string
		rules  []robotsRule
	}
	var groups []*group
	var cur *group
	inAgents := false // the previous meaningful line was a User-agent
	for _, line := range strings.Split(string(body), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(v))
			inAgents = true
		case "allow", "disallow":
			inAgents = false
			if cur == nil || v == "" {
				continue // an empty Disallow allows everything: no rule
			}
			cur.rules = append(cur.rules, robotsRule{allow: k == "allow", pattern: v})
		default:
			// Sitemap, Crawl-delay and others do not end a run of User-agent lines.
		}
	}
	var own, star []robotsRule
	foundOwn := false
	for _, g := range groups {
		for _, a := range g.agents {
			switch {
			case a == "*":
				star = append(star, g.rules...)
			case agentMatches(a):
				foundOwn = true
				own = append(own, g.rules...)
			default:
				continue
			}
			break
		}
	}
	if foundOwn {
		return &robots{rules: own}
	}
	return &robots{rules: star}
}

// agentMatches reports whether a User-agent line names wparchive: the
// product token, compared case-insensitively, possibly with a version.
func agentMatches(a string) bool {
	a, _, _ = strings.Cut(a, "/")
	return strings.TrimSpace(a) == robotsAgent
}

// allowed reports whether the path (with its query) may be fetched: the
// longest matching rule decides, Allow winning a tie.
func (r *robots) allowed(pathQuery string) bool {
	if r == nil {
		return true
	}
	if pathQuery == "" {
		pathQuery = "/"
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if !patternMatches(rule.pattern, pathQuery) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// patternMatches matches a robots.txt path pattern: a prefix, where "*"
// stands for any run of characters and a final "$" anchors the end.
func patternMatches(pattern, p string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(p, parts[0]) {
		return false
	}
	pos := len(parts[0])
	if len(parts) == 1 {
		return !anchored || pos == len(p)
	}
	for i, part := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			return len(p)-pos >= len(part) && strings.HasSuffix(p, part)
		}
		j := strings.Index(p[pos:], part)
		if j < 0 {
			return false
		}
		pos += j + len(part)
	}
	return true
}
