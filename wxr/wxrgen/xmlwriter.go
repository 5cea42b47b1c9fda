package wxrgen

import (
	"bufio"
	"strconv"
	"strings"
)

// xmlWriter writes the few XML forms a WXR export uses. Errors are sticky in
// the bufio.Writer and surface at Flush.
type xmlWriter struct{ *bufio.Writer }

// The escapers are read-only once built.
var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;")
)

// text writes <name>escaped s</name>.
func (w xmlWriter) text(name, s string) {
	w.WriteByte('<')
	w.WriteString(name)
	w.WriteByte('>')
	textEscaper.WriteString(w, s)
	w.WriteString("</")
	w.WriteString(name)
	w.WriteString(">\n")
}

func (w xmlWriter) int(name string, n int64) {
	w.text(name, strconv.FormatInt(n, 10))
}

// cdata writes <name><![CDATA[s]]></name>, as WordPress does for anything
// that may hold markup; a "]]>" inside s is split across two sections.
func (w xmlWriter) cdata(name, s string) {
	w.WriteByte('<')
	w.WriteString(name)
	w.WriteByte('>')
	w.cdataBody(s)
	w.WriteString("</")
	w.WriteString(name)
	w.WriteString(">\n")
}

// cdataBody writes s as CDATA sections.
func (w xmlWriter) cdataBody(s string) {
	w.WriteString("<![CDATA[")
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			break
		}
		w.WriteString(s[:i+2])
		w.WriteString("]]><![CDATA[")
		s = s[i+2:]
	}
	w.WriteString(s)
	w.WriteString("]]>")
}

func (w xmlWriter) open(name string) {
	w.WriteByte('<')
	w.WriteString(name)
	w.WriteString(">\n")
}

func (w xmlWriter) close(name string) {
	w.WriteString("</")
	w.WriteString(name)
	w.WriteString(">\n")
}
