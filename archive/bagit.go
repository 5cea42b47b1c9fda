package archive

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// BagIt tag files (RFC 8493). The output folder is the bag; everything the
// run writes is payload under data/.
const (
	BagitFile       = "bagit.txt"
	BagInfoFile     = "bag-info.txt"
	ManifestFile    = "manifest-sha256.txt"
	TagManifestFile = "tagmanifest-sha256.txt"
)

// writeBag writes the BagIt tag files for everything w wrote under data/,
// the tag manifest last: a bag with a tag manifest is a finished bag.
func writeBag(w *Writer, tool string, sr *SiteRecord, rep *Report, bag bool) error {
	payload := []byte(PayloadDir + "/")
	skip := func(name []byte) bool {
		return bag && !bytes.HasPrefix(name, payload) || string(name) == ManifestFile
	}
	// A large run has a name per file: the names are read twice from the
	// writer's store, never gathered.
	var octets, files int64
	err := w.eachSum(func(name []byte, s fileSum) error {
		if !skip(name) {
			octets += s.size
			files++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", ManifestFile, err)
	}
	writeManifest := func() error {
		it, err := w.sumIter()
		if err != nil {
			return fmt.Errorf("%s: %w", ManifestFile, err)
		}
		defer it.close()
		_, err = w.WriteFrom(ManifestFile, &manifestReader{it: it, skip: skip}, -1)
		return err
	}
	if !bag {
		// A generator's tree is no bag, but every file still has its checksum.
		if err := w.Flush(); err != nil {
			return fmt.Errorf("flush to disk: %w", err)
		}
		return writeManifest()
	}
	if err := w.WriteFile(BagitFile, []byte("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")); err != nil {
		return err
	}
	var info bytes.Buffer
	writeTag(&info, "Bag-Software-Agent", tool)
	if d := baggingDate(sr.PubDate); d != "" {
		writeTag(&info, "Bagging-Date", d)
	}
	writeTag(&info, "External-Description", "WordPress archive of "+firstNonEmpty(sr.Title, sr.Link, "an unnamed site"))
	if sr.Link != "" {
		writeTag(&info, "External-Identifier", sr.Link)
	}
	writeTag(&info, "Payload-Oxum", fmt.Sprintf("%d.%d", octets, files))
	writeTag(&info, "Wparchive-Format", FormatVersion)
	writeTag(&info, "Wparchive-Complete", fmt.Sprint(rep.Complete))
	for _, s := range sr.Sources {
		writeTag(&info, "Wparchive-Source", fmt.Sprintf("%s sha256:%s size:%d", s.Name, s.SHA256, s.Size))
	}
	if err := w.WriteFile(BagInfoFile, info.Bytes()); err != nil {
		return err
	}
	if err := writeManifest(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("flush to disk: %w", err)
	}
	var tags bytes.Buffer
	for _, name := range []string{BagitFile, BagInfoFile, ManifestFile} {
		s, _ := w.SumOf(name)
		fmt.Fprintf(&tags, "%s  %s\n", s.SHA256, name)
	}
	return w.WriteFile(TagManifestFile, tags.Bytes())
}

// manifestReader reads as the manifest: a "sha256  path" line per name
// the iterator gives and skip does not refuse.
type manifestReader struct {
	it   *sumIter
	skip func(name []byte) bool
	buf  []byte
	line []byte // what is left of the current line, in buf
	eof  bool
}

func (m *manifestReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(m.line) == 0 {
			if m.eof {
				break
			}
			e, ok, err := m.it.next()
			if err != nil {
				return n, err
			}
			if !ok {
				m.eof = true
				break
			}
			if m.skip(e.name) {
				continue
			}
			m.buf = appendManifestLine(m.buf[:0], e.name, e.sum)
			m.line = m.buf
		}
		c := copy(p[n:], m.line)
		m.line = m.line[c:]
		n += c
	}
	if n == 0 && m.eof {
		return 0, io.EOF
	}
	return n, nil
}

// appendManifestLine appends name's "sha256  path" line to b.
func appendManifestLine(b, name []byte, s fileSum) []byte {
	b = hex.AppendEncode(b, s.sha[:])
	b = append(b, "  "...)
	if bytes.ContainsAny(name, "%\n\r") {
		b = append(b, bagEscape(string(name))...)
	} else {
		b = append(b, name...)
	}
	return append(b, '\n')
}

// writeTag writes one "Label: value" line; line breaks inside the value
// would start a new tag, so they are folded into spaces.
func writeTag(b *bytes.Buffer, label, value string) {
	value = strings.Join(strings.Fields(value), " ")
	fmt.Fprintf(b, "%s: %s\n", label, value)
}

// baggingDate is the export's own date, so that two runs over the same
// export produce the same bag.
func baggingDate(pub string) string {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, strings.TrimSpace(pub)); err == nil {
			return t.UTC().Format("2006-01-02")
		}
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// bagEscape percent-encodes what RFC 8493 requires in manifest paths.
func bagEscape(p string) string {
	if !strings.ContainsAny(p, "%\n\r") {
		return p
	}
	r := strings.NewReplacer("%", "%25", "\n", "%0A", "\r", "%0D")
	return r.Replace(p)
}

func bagUnescape(p string) string {
	r := strings.NewReplacer("%0A", "\n", "%0a", "\n", "%0D", "\r", "%0d", "\r", "%25", "%")
	return r.Replace(p)
}

// Rebag rewrites the checksums of the bag in fsys after its payload changed
// outside a run ('wparchive render' adds html/): every payload file is
// hashed again, manifest-sha256.txt and the Payload-Oxum of bag-info.txt are
// rewritten, and the tag manifest last. Other bag-info.txt lines are kept.
func Rebag(ctx context.Context, fsys *RootFS) error {
	w := NewWriter(fsys, nil)
	defer w.Close()
	err := fs.WalkDir(fsys.Root.FS(), PayloadDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: %w: a symbolic link in the payload", p, ErrUnsafePath)
		}
		if d.IsDir() || strings.HasPrefix(path.Base(p), ".tmp-") {
			return nil
		}
		_, err = w.Adopt(p)
		return err
	})
	if err != nil {
		return fmt.Errorf("rebag: %w", err)
	}
	var manifest []byte
	var octets, files int64
	err = w.eachSum(func(name []byte, s fileSum) error {
		manifest = appendManifestLine(manifest, name, s)
		octets += s.size
		files++
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebag: %w", err)
	}
	info, err := fsys.ReadFile(BagInfoFile)
	if err != nil {
		return fmt.Errorf("rebag: %w", err)
	}
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(string(info), "\n") {
		if strings.HasPrefix(line, "Payload-Oxum:") {
			writeTag(&out, "Payload-Oxum", fmt.Sprintf("%d.%d", octets, files))
			continue
		}
		out.WriteString(line)
	}
	if err := w.WriteFile(ManifestFile, manifest); err != nil {
		return err
	}
	if err := w.WriteFile(BagInfoFile, out.Bytes()); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	var tags bytes.Buffer
	for _, name := range []string{BagitFile, BagInfoFile, ManifestFile} {
		s, err := w.Adopt(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(&tags, "%s  %s\n", s.SHA256, name)
	}
	return w.WriteFile(TagManifestFile, tags.Bytes())
}
