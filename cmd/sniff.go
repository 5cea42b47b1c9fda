package cmd

import (
	"bytes"
	"fmt"
)

// sniffExport tells apart, from a file's first bytes, a WordPress export
// from the things people give by mistake: an HTML page, a SQL dump, a zip.
func sniffExport(name string, head []byte) error {
	h := bytes.ToLower(bytes.TrimLeft(head, "\ufeff \t\r\n"))
	switch {
	case len(h) == 0:
		return fmt.Errorf("%s: the file is empty; export the site again from Tools → Export", name)
	case bytes.HasPrefix(h, []byte("pk\x03\x04")):
		return fmt.Errorf("%s: is a zip archive; unzip it and give the .xml file inside", name)
	case bytes.HasPrefix(h, []byte("\x1f\x8b")):
		return fmt.Errorf("%s: is gzip-compressed; decompress it first (gunzip %s)", name, name)
	case bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html")):
		return fmt.Errorf("%s: is an HTML page, not a WordPress export; to archive pages use 'wparchive fetch'", name)
	case bytes.Contains(h, []byte("<rss")) || bytes.Contains(h, []byte("wordpress.org/export")) || bytes.HasPrefix(h, []byte("<?xml")):
		return nil
	case bytes.Contains(h, []byte("create table")) || bytes.Contains(h, []byte("insert into")):
		return fmt.Errorf("%s: is a SQL dump, not a WordPress export; export the site from Tools → Export", name)
	case h[0] == '{' || h[0] == '[':
		return fmt.Errorf("%s: is a JSON file, not a WordPress export; export the site from Tools → Export (an .xml file), or use 'wparchive fetch --api' for a site's REST API", name)
	case !bytes.Contains(h, []byte("<")):
		// Junk before the XML is repaired, but no XML at all is a CSV, a text file…
		return fmt.Errorf("%s: holds no XML, so it is not a WordPress export; export the site from Tools → Export in the WordPress admin", name)
	case len(head) < 4096:
		// The whole file is in head (checkInput reads 4 KiB), and an export
		// without <rss> is something else: a CSV with HTML in it, say.
		return fmt.Errorf("%s: has no <rss> element, so it is not a WordPress export; export the site from Tools → Export in the WordPress admin", name)
	}
	// Junk before the XML is repaired by the reader; let it try.
	return nil
}
