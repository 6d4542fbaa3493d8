package durabletest_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

// observedHandler runs next under durabletest.ObserveLogs, as a function
// binary serving a handler outside a Runner does.
type observedHandler struct {
	next durabletest.Handler
	obs  func(durabletest.LogRecord)
}

func (h observedHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return h.next.Invoke(durabletest.ObserveLogs(ctx, h.obs), payload)
}

func TestObserveLogsSeesEveryCallWithItsReplayFlag(t *testing.T) {
	quiet := logsink.NewSlogLogger(slog.NewTextHandler(io.Discard, nil))
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		ctx.Logger().Info("before the wait")
		if err := durable.Wait(ctx, "nap", time.Hour); err != nil {
			return "", err
		}
		ctx.Logger().Info("after the wait")
		return "done", nil
	}, durable.WithLogger(quiet))
	var mu sync.Mutex
	var seen []durabletest.LogRecord
	h := observedHandler{next: fn, obs: func(r durabletest.LogRecord) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
	}}
	exec, err := durabletest.NewRunner(h).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(exec.Invocations()); got != 2 {
		t.Fatalf("%d invocations, want 2 (one before the wait, one after)", got)
	}
	mu.Lock()
	defer mu.Unlock()
	type call struct {
		msg             string
		replay, emitted bool
	}
	var got []call
	for _, r := range seen {
		got = append(got, call{r.Message, r.Replay, r.Emitted})
	}
	want := []call{
		{"before the wait", false, true},
		{"before the wait", true, false},
		{"after the wait", false, true},
	}
	if len(got) != len(want) {
		t.Fatalf("observed %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("observed %+v, want %+v", got, want)
		}
	}
}
