package cmd

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/pflag"
)

// ProfileFlags let a user send a CPU or memory profile with a bug report.
type ProfileFlags struct {
	CPU string
	Mem string
}

func (p *ProfileFlags) bind(f *pflag.FlagSet) {
	f.StringVar(&p.CPU, "cpuprofile", "", "write a CPU profile to `FILE` (for bug reports)")
	f.StringVar(&p.Mem, "memprofile", "", "write a heap profile to `FILE` at the end (for bug reports)")
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
		if p.Mem == "" {
			return nil
		}
		f, err := os.Create(p.Mem)
		if err != nil {
			return fmt.Errorf("--memprofile: %w", err)
		}
		defer f.Close()
		runtime.GC()
		return pprof.WriteHeapProfile(f)
	}, nil
}
