package durabletest

import (
	"sync"
	"testing"

	"github.com/durable-go/durable-go/core/internal/testhook"
)

func TestLogCapture(t *testing.T) {
	e := &Execution{}
	var wg sync.WaitGroup
	for inv := 1; inv <= 2; inv++ {
		obs := e.observer(inv)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				replay := inv == 1 && i%2 == 0
				obs(testhook.LogRecord{Message: "m", Replay: replay, Emitted: !replay, Fields: map[string]any{"i": i}})
			}()
		}
	}
	wg.Wait()

	tests := []struct {
		name    string
		records []LogRecord
		want    int
	}{
		{"all calls", e.Logs(), 100},
		{"emitted only", e.EmittedLogs(), 75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.records) != tt.want {
				t.Fatalf("%d records, want %d", len(tt.records), tt.want)
			}
			perInvocation := map[int]int{}
			for _, r := range tt.records {
				perInvocation[r.Invocation]++
				if r.Replay == r.Emitted {
					t.Fatalf("record %+v: replayed and emitted disagree", r)
				}
			}
			if perInvocation[2] != 50 || perInvocation[1] != tt.want-50 {
				t.Fatalf("records per invocation %v", perInvocation)
			}
		})
	}

	// Records are copies: changing one does not change the capture.
	e.Logs()[0].Fields["i"] = "changed"
	if e.Logs()[0].Fields["i"] == "changed" {
		t.Fatal("Logs returned the captured map itself")
	}
}
