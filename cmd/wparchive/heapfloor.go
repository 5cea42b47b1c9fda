package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// heapFloor is the memory the garbage collector lets the run use before it
// collects. A run's live heap is small and does not grow with the export
// (a few megabytes: the index, checksums, folders and link tables spill to
// disk), but it allocates about 100 KB per item, so collecting at 1.5 or 2
// times the live heap ran the collector thousands of times on a large
// export. The limit counts all of Go's memory, about 10 MB of it outside
// the heap. The collector's own CPU time is small past 32 MiB, but each
// collection also slows the conversion around it: on 10,000 posts of the
// theme unit test export, 64 MiB instead of 32 cut the collections from
// 141 to 45 and the run's CPU time by 11%, 96 MiB gained nothing more.
// Peak memory is about the same for a small export as for a large one.
const heapFloor = 64 << 20

// keepHeapFloor turns the collector's pacing over to a memory limit of
// heapFloor, raised to twice the live heap when that is larger, as Go's
// default pacing would: one huge item still gets room, and the collector
// does not run without end beneath it. It stops with ctx.
func keepHeapFloor(ctx context.Context) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(heapFloor)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(50 * time.Millisecond)
	go func() {
		defer tick.Stop()
		limit := int64(heapFloor)
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			want := max(int64(heapFloor), 2*int64(sample[0].Value.Uint64()))
			if want != limit {
				limit = want
				debug.SetMemoryLimit(limit)
			}
		}
	}()
}
