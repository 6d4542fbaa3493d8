package logtest

import (
	"encoding/json"
	"fmt"
	"sync"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
)

// Concurrency shape: enough goroutines and lines for -race and for
// interleaved writes to show.
const (
	goroutines        = 8
	linesPerGoroutine = 50
)

// Messages a naive encoder would break across lines or objects.
var awkwardMessages = []string{
	"line one\nline two",
	`quotes " and \ backslash`,
	"tab\tand unicode é ✓ and }{",
}

func outputCases() []testCase {
	return []testCase{
		{name: "Output/OneObjectPerLine", log: always(func(l durable.LoggerInterface) {
			for _, m := range awkwardMessages {
				l.Info(m, "value", m)
			}
		}), check: func(o *output) {
			o.wantLines(len(awkwardMessages))
			for i, m := range awkwardMessages {
				o.line(i).message(m)
				o.line(i).has("value", m)
			}
		}},
		{name: "Output/Concurrent", log: always(logConcurrently), check: checkConcurrent},
	}
}

// logConcurrently logs from several goroutines at once, through bound
// loggers too when the logger is a Binder, as core does for parallel
// branches sharing one sink.
func logConcurrently(l durable.LoggerInterface) {
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := l
			if b, ok := l.(logsink.Binder); ok {
				target = b.With("branch", g)
			}
			for seq := range linesPerGoroutine {
				if seq%2 == 0 {
					target.Info("concurrent", "goroutine", g, "seq", seq)
				} else {
					target.Warning("concurrent", durable.Extra{"goroutine": g, "seq": seq})
				}
			}
		}()
	}
	wg.Wait()
}

func checkConcurrent(o *output) {
	o.t.Helper()
	o.wantLines(goroutines * linesPerGoroutine)
	seen := make(map[string]int)
	for i := range o.lines {
		l := o.line(i)
		l.message("concurrent")
		key := fmt.Sprintf("goroutine=%v seq=%v", l.fields["goroutine"], l.fields["seq"])
		seen[key]++
		if b, ok := l.fields["branch"]; ok && b.(json.Number) != l.fields["goroutine"] {
			o.t.Errorf("line %d: bound branch=%v but goroutine=%v: fields leaked between loggers\n%s",
				i+1, b, l.fields["goroutine"], l.raw)
		}
	}
	for g := range goroutines {
		for seq := range linesPerGoroutine {
			key := fmt.Sprintf("goroutine=%d seq=%d", g, seq)
			if seen[key] != 1 {
				o.t.Errorf("line with %s written %d times, want once", key, seen[key])
			}
		}
	}
}
