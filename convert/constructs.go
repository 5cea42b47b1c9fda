package convert

// Constructs lists the shortcode names and block types used in content, in
// order of appearance with repeats, for 'wparchive inspect'. It uses the
// same lexers as the conversion, so the two never disagree.
func Constructs(content string) (shortcodes, blocks []string) {
	var walk func(parts []blockPart)
	walk = func(parts []blockPart) {
		for _, p := range parts {
			if p.block == nil {
				continue
			}
			if p.block.name != "" {
				blocks = append(blocks, p.block.name)
			}
			walk(p.block.inner)
		}
	}
	if hasBlocks(content) {
		walk(parseBlocks(content))
	}
	s := content
	for len(s) > 0 {
		sc, ok := nextShortcode(s, isShortcodeLike)
		if !ok {
			break
		}
		if !sc.escaped {
			shortcodes = append(shortcodes, sc.name)
		}
		// Continue inside an enclosing shortcode: it may hold others.
		next := sc.end
		if sc.enclosing && !sc.escaped && sc.openEnd > sc.start {
			next = sc.openEnd
		}
		if next <= 0 || next > len(s) {
			break
		}
		s = s[next:]
	}
	return shortcodes, blocks
}
