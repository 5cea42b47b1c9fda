package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestKeepHeapFloor(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	ctx, cancel := context.WithCancel(context.Background())
	defer func() {
		cancel()
		time.Sleep(100 * time.Millisecond) // let the watcher see it
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}()
	keepHeapFloor(ctx)
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("GC percent %d, want off", p)
	}
	if l := debug.SetMemoryLimit(-1); l != heapFloor {
		t.Errorf("memory limit %d, want the floor %d", l, heapFloor)
	}
	// A live heap past half the floor raises the limit to twice its size.
	big := make([]byte, heapFloor)
	for i := range big {
		big[i] = 1
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 2*heapFloor {
		if time.Now().After(deadline) {
			t.Fatalf("limit still %d with %d bytes live", debug.SetMemoryLimit(-1), len(big))
		}
		time.Sleep(20 * time.Millisecond)
	}
	runtime.KeepAlive(big)
}
