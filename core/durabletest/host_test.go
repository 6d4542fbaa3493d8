package durabletest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

func TestHostRunsExecutionsOnSkippedWallClock(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, in string) (string, error) {
		if err := durable.Wait(ctx, "nap", time.Hour); err != nil {
			return "", err
		}
		return "woke " + in, nil
	})
	h := durabletest.NewHost(nil, durabletest.WithSkipTime())
	h.Register("sleeper", fn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan string, 100)
	defer h.Subscribe(func(arn string) { changes <- arn })()
	go h.Run(ctx)

	input := `"x"`
	e, started, err := h.Start("sleeper", "", "run-1", &input, "")
	if err != nil || !started {
		t.Fatalf("Start: %v, started %v", err, started)
	}
	for e.Status() == durabletest.ExecutionRunning {
		<-changes
	}
	if got := e.Result(); got == nil || *got != `"woke x"` {
		t.Fatalf("result %v, status %s, error %+v", got, e.Status(), e.Error())
	}
	if e.Name() != "run-1" {
		t.Errorf("Name() = %q, want run-1", e.Name())
	}
	if got := e.EndTime().Sub(e.StartTime()); got < time.Hour {
		t.Errorf("the service clock moved %v, want the skipped hour", got)
	}
	again, started, err := h.Start("sleeper", "", "run-1", &input, "")
	if err != nil || started || again != e {
		t.Errorf("same name and input: %v started %v, want the existing execution", err, started)
	}
	other := `"y"`
	_, _, err = h.Start("sleeper", "", "run-1", &other, "")
	var apiErr *protocol.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "DurableExecutionAlreadyStartedException" {
		t.Errorf("same name, other input: %v", err)
	}
	if _, _, err := h.Start("nobody", "", "", nil, ""); !errors.As(err, &apiErr) || apiErr.Code != "ResourceNotFoundException" {
		t.Errorf("unknown function: %v", err)
	}
}

func TestHostTokensAreUnguessable(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2; i++ {
		fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
			cb, err := durable.CreateCallback[string](ctx, "approve")
			if err != nil {
				return "", err
			}
			return cb.ID(), nil
		})
		h := durabletest.NewHost(nil)
		h.Register("f", fn)
		e, _, _ := h.Start("f", "", "", nil, "")
		ctx, cancel := context.WithCancel(context.Background())
		changes := make(chan string, 100)
		unsub := h.Subscribe(func(arn string) { changes <- arn })
		go h.Run(ctx)
		for e.Status() == durabletest.ExecutionRunning {
			<-changes
		}
		unsub()
		cancel()
		id := *e.Result()
		if seen[id] {
			t.Fatalf("two hosts handed out the same callback id %s", id)
		}
		seen[id] = true
	}
}

// With skip-time the service clock jumps over one execution's wait; the
// callback another execution waits for must keep its real time: its
// timeout moves with the jump instead of firing during it.
func TestHostSkipTimeLeavesCallbackTimeoutsTheirRealTime(t *testing.T) {
	sleeper := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return "woke", durable.Wait(ctx, "nap", time.Hour)
	})
	approver := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approve", durable.WithCallbackTimeout(5*time.Minute))
		if err != nil {
			return "", err
		}
		return cb.Result()
	})
	h := durabletest.NewHost(nil, durabletest.WithSkipTime())
	h.Register("sleeper", sleeper)
	h.Register("approver", approver)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan string, 1000)
	defer h.Subscribe(func(arn string) { changes <- arn })()
	a, _, _ := h.Start("approver", "", "", nil, "")
	go h.Run(ctx)
	for len(a.Callbacks()) == 0 || a.Invoking() {
		<-changes
	}
	b, _, _ := h.Start("sleeper", "", "", nil, "")
	for b.Status() == durabletest.ExecutionRunning {
		<-changes
	}
	if got := b.EndTime().Sub(b.StartTime()); got < time.Hour {
		t.Fatalf("the sleeper's wait took %v of service time, want the skipped hour", got)
	}
	if st := a.Callbacks()[0].Status; st != protocol.StatusStarted {
		t.Fatalf("callback %s after another execution's wait was skipped, want STARTED", st)
	}
	next, ok := a.NextTimer()
	if left := next.Sub(h.Now()); !ok || left < 4*time.Minute {
		t.Errorf("callback timeout due in %v (timer %v), want about 5 minutes left", left, ok)
	}
}

// The Host, durable-local's service, refuses a callback result over
// 256 KiB as SendDurableExecutionCallbackSuccess does, whichever way it
// arrives (the REST API or the console), and leaves the callback open.
func TestHostRefusesCallbackResultsOverTheLimit(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		cb, err := durable.CreateCallback[string](ctx, "approve")
		if err != nil {
			return 0, err
		}
		v, err := cb.Result()
		return len(v), err
	})
	h := durabletest.NewHost(nil)
	h.Register("f", fn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan string, 100)
	defer h.Subscribe(func(arn string) { changes <- arn })()
	go h.Run(ctx)
	e, _, _ := h.Start("f", "", "", nil, "")
	for len(e.Callbacks()) == 0 {
		<-changes
	}
	id := e.Callbacks()[0].CallbackDetails.CallbackID
	err := h.SendCallbackSuccess(ctx, id, []byte(strings.Repeat("x", 256<<10+1)))
	var apiErr *protocol.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "RequestTooLargeException" || apiErr.StatusCode != 413 {
		t.Fatalf("a result of 256 KiB + 1 byte: %v, want RequestTooLargeException (HTTP 413)", err)
	}
	if st := e.Callbacks()[0].Status; st != protocol.StatusStarted {
		t.Fatalf("callback %s after a refused result, want STARTED", st)
	}
	if err := h.SendCallbackSuccess(ctx, id, []byte(strings.Repeat("x", 256<<10))); err != nil {
		t.Fatalf("a result of exactly 256 KiB: %v", err)
	}
	for e.Status() == durabletest.ExecutionRunning {
		<-changes
	}
	if r := e.Result(); r == nil || *r != "262144" {
		t.Errorf("result %v, want the length of the callback's 256 KiB", r)
	}
}

// A function registered with a nil handler (a nil *durable.Function
// included) cannot start: Start says so instead of starting an execution
// whose every invocation panics until WithMaxInvocations fails it.
func TestHostRefusesToStartANilHandler(t *testing.T) {
	var unset *durable.Function
	h := durabletest.NewHost(nil)
	h.Register("nil", nil)
	h.Register("typed-nil", unset)
	for _, fn := range []string{"nil", "typed-nil"} {
		e, started, err := h.Start(fn, "", "", nil, "")
		if err == nil || !strings.Contains(err.Error(), "nil handler") || e != nil || started {
			t.Errorf("Start(%q) = %v, %v, %v; want an error naming the nil handler", fn, e, started, err)
		}
	}
	if n := len(h.Executions()); n != 0 {
		t.Errorf("%d executions started, want none", n)
	}

	// A chained invoke of it fails the invoke, saying why.
	h.Register("caller", durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Invoke[int](ctx, "call", "typed-nil", 1)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan string, 100)
	defer h.Subscribe(func(arn string) { changes <- arn })()
	go h.Run(ctx)
	e, _, err := h.Start("caller", "", "", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for e.Status() == durabletest.ExecutionRunning {
		<-changes
	}
	op, ok := e.FindOperation("call")
	if !ok || op.ChainedInvokeDetails == nil || op.ChainedInvokeDetails.Error == nil ||
		!strings.Contains(op.ChainedInvokeDetails.Error.ErrorMessage, "nil handler") {
		t.Errorf("chained invoke of a nil handler: %+v, want it failed naming the nil handler", op)
	}
	if n := len(h.Executions()); n != 1 {
		t.Errorf("%d executions, want only the caller's", n)
	}
}
