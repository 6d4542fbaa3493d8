package console_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// BenchmarkLargeExecutionPage renders the page of an execution of 900
// invocations (a wait each) that printed 20 lines each.
func BenchmarkLargeExecutionPage(b *testing.B) {
	host, logs, hs := newConsole(b)
	host.Register("many", durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		for i := range 900 {
			if err := durable.Wait(ctx, fmt.Sprint("wait ", i), time.Second); err != nil {
				return "", err
			}
		}
		return "done", nil
	}))
	e, _, err := host.Start("many", "", "", nil, "")
	if err != nil {
		b.Fatal(err)
	}
	changed := make(chan struct{}, 1)
	defer host.Subscribe(func(string) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})()
	for e.Status() == durabletest.ExecutionRunning {
		<-changed
	}
	for _, inv := range e.Invocations() {
		for j := range 20 {
			logs.Add(e.Arn(), inv.RequestID, "stdout", fmt.Sprintf(`{"level":"INFO","message":"line %d"}`, j))
		}
	}
	if n := len(e.Invocations()); n != 901 {
		b.Fatalf("%d invocations (%s), want 901", n, e.Status())
	}
	page := hs.URL + "/execution?arn=" + url.QueryEscape(e.Arn())
	b.ResetTimer()
	for range b.N {
		resp, err := http.Get(page)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
