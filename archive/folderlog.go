package archive

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/wparchive/wparchive/wxr/spill"
)

// folderLog holds the folders planned for items, in ascending id order, in
// a temporary file, from planning until the index notes them: a large site
// plans a folder for every item.
type folderLog struct {
	f   *os.File
	w   *bufio.Writer
	r   *bufio.Reader
	err error

	// The next entry read back, not yet asked for.
	id     int64
	folder string
	ok     bool
	buf    []byte
}

func newFolderLog(dir string) (*folderLog, error) {
	f, err := spill.TempFile(dir, "wparchive-folders-*")
	if err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	return &folderLog{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// add logs the folder of id; ids must come in ascending order.
func (g *folderLog) add(id int64, folder string) {
	if g.err != nil {
		return
	}
	g.buf = binary.AppendVarint(g.buf[:0], id)
	g.buf = binary.AppendUvarint(g.buf, uint64(len(folder)))
	g.buf = append(g.buf, folder...)
	if _, err := g.w.Write(g.buf); err != nil {
		g.err = err
	}
}

// done ends the writing and starts the reading back.
func (g *folderLog) done() error {
	if g.err == nil {
		g.err = g.w.Flush()
	}
	if g.err == nil {
		_, g.err = g.f.Seek(0, io.SeekStart)
	}
	g.r = bufio.NewReaderSize(g.f, 64<<10)
	g.next()
	return g.err
}

// next reads the next entry.
func (g *folderLog) next() {
	g.ok = false
	if g.err != nil {
		return
	}
	id, err := binary.ReadVarint(g.r)
	if err == io.EOF {
		return
	}
	var n uint64
	if err == nil {
		n, err = binary.ReadUvarint(g.r)
	}
	if err == nil && n > 1<<20 {
		err = fmt.Errorf("folder of item %d: bad length %d", id, n)
	}
	if err == nil {
		g.buf = append(g.buf[:0], make([]byte, n)...)
		_, err = io.ReadFull(g.r, g.buf)
	}
	if err != nil {
		g.err = fmt.Errorf("folder log: %w", err)
		return
	}
	g.id, g.folder, g.ok = id, string(g.buf), true
}

// find returns the folder logged for id, "" for none; ids must be asked
// in ascending order.
func (g *folderLog) find(id int64) string {
	for g.ok && g.id < id {
		g.next()
	}
	if g.ok && g.id == id {
		return g.folder
	}
	return ""
}

func (g *folderLog) close() {
	g.f.Close()
	_ = os.Remove(g.f.Name())
}
