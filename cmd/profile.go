package cmd

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/pflag"

	"github.com/wparchive/wparchive/archive"
)

// ProfileFlags let a user send a CPU or memory profile with a bug report.
type ProfileFlags struct {
	CPU string
	Mem string
}

func (p *ProfileFlags) bind(f *pflag.FlagSet) {
	f.StringVar(&p.CPU, "cpuprofile", "", "write a CPU profile to `FILE` (for bug reports)")
	f.StringVar(&p.Mem, "memprofile", "", "write a heap profile to `FILE` when the items are done (for bug reports)")
}

// heapReporter writes the heap profile when the run starts its closing
// phase: the moment its memory is the largest, before anything is freed.
type heapReporter struct {
	archive.Reporter
	path    string
	written bool
	err     error
}

func (h *heapReporter) Event(e archive.Event) {
	if e.Kind == archive.EventPhase && e.Phase == "finishing" && !h.written {
		h.written = true
		h.err = writeHeap(h.path)
	}
	h.Reporter.Event(e)
}

// wrap returns r, made to write the heap profile at the closing phase.
func (p *ProfileFlags) wrap(r archive.Reporter) archive.Reporter {
	if p.Mem == "" {
		return r
	}
	return &heapReporter{Reporter: r, path: p.Mem}
}

func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}

// start begins profiling; the returned stop writes the profiles.
func (p *ProfileFlags) start() (stop func() error, err error) {
	var cpu *os.File
	if p.CPU != "" {
		if cpu, err = os.Create(p.CPU); err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return err
			}
		}
		return nil
	}, nil
}
