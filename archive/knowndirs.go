package archive

// knownDirs remembers folders known to exist, and whether this writer made
// each, in bounded memory: a run makes a folder per bundle, and remembering
// them all cost about 60 bytes a folder. Two generations are kept; when the
// newer is full the older is dropped, and a folder found in the older moves
// to the newer, so those in use stay. Forgetting a folder costs checks, and
// never trust: it is looked at again (it must still be a folder, not a
// link) and taken as not made by this writer, whose files are then checked
// one by one, as in a folder of an earlier run.
type knownDirs struct {
	cur, old map[string]bool // folder → made by this writer
	limit    int             // folders in a generation; 0: knownDirsLimit
}

// knownDirsLimit is the size of a generation of knownDirs.
const knownDirsLimit = 1024

// get reports whether dir is known to exist, and if so whether this
// writer made it.
func (k *knownDirs) get(dir string) (made, ok bool) {
	if made, ok = k.cur[dir]; ok {
		return made, true
	}
	if made, ok = k.old[dir]; ok {
		k.put(dir, made)
	}
	return made, ok
}

// add records that dir exists, made by this writer if made, and returns
// whether it is known to be made by this writer.
func (k *knownDirs) add(dir string, made bool) bool {
	was, _ := k.get(dir)
	made = made || was
	k.put(dir, made)
	return made
}

func (k *knownDirs) put(dir string, made bool) {
	limit := k.limit
	if limit <= 0 {
		limit = knownDirsLimit
	}
	if _, ok := k.cur[dir]; !ok && len(k.cur) >= limit {
		k.old, k.cur = k.cur, nil
	}
	if k.cur == nil {
		k.cur = map[string]bool{}
	}
	k.cur[dir] = made
}
