package durable_test

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/durabletest"
)

// TestSoak runs many executions of random workflows (20 programs in turn)
// on the local runner, each on a fresh runner, and checks that results stay
// right, that goroutines do not accumulate and that the live heap does not
// grow with the number of executions. CI runs 200; DURABLE_SOAK=1 runs
// 10,000 (the README quotes its peak heap under -race).
func TestSoak(t *testing.T) {
	n := 200
	if os.Getenv("DURABLE_SOAK") == "1" {
		n = 10_000
	}
	const programs = 20
	progs := make([][]flowNode, programs)
	want := make([]string, programs)
	for i := range progs {
		progs[i] = genFlow(uint64(1000 + i))
	}
	ctx := context.Background()
	runOne := func(i int) string {
		exec, err := durabletest.NewRunner(flowHandler(progs[i%programs], &flowRuns{})).Start(ctx, nil)
		if err == nil {
			err = driveFlow(ctx, exec)
		}
		if err != nil {
			t.Fatalf("execution %d: %v", i, err)
		}
		out := exec.Status()
		if r := exec.Result(); r != nil {
			out += " " + *r
		}
		if e := exec.Error(); e != nil {
			out += " " + e.ErrorType + ": " + e.ErrorMessage
		}
		return out
	}
	for i := range programs {
		want[i] = runOne(i)
	}

	var peak uint64
	var ms runtime.MemStats
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	liveHeap := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	warm := n / 10
	var warmHeap uint64
	var warmGoroutines int
	start := time.Now()
	for i := range n {
		if i == warm {
			warmHeap, warmGoroutines = liveHeap(), runtime.NumGoroutine()
		}
		if got := runOne(i); got != want[i%programs] {
			t.Fatalf("execution %d (program %d): %q, first run %q", i, i%programs, got, want[i%programs])
		}
		if i%25 == 0 {
			sample()
		}
	}
	sample()
	endHeap := liveHeap()
	// Goroutines of finished invocations may still be on their way out.
	goroutines := runtime.NumGoroutine()
	for tries := 0; goroutines > warmGoroutines+2 && tries < 100; tries++ {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
		goroutines = runtime.NumGoroutine()
	}
	t.Logf("%d executions in %v: peak heap %.1f MiB, live heap %.1f MiB after %d executions and %.1f MiB at the end, goroutines %d -> %d",
		n, time.Since(start).Round(time.Millisecond), mib(peak), mib(warmHeap), warm, mib(endHeap), warmGoroutines, goroutines)
	if goroutines > warmGoroutines+2 {
		t.Errorf("goroutines grew from %d to %d over %d executions", warmGoroutines, goroutines, n-warm)
	}
	if endHeap > warmHeap+8<<20 {
		t.Errorf("live heap grew from %.1f MiB to %.1f MiB over %d executions", mib(warmHeap), mib(endHeap), n-warm)
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
