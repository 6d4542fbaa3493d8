package durable

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// hangingLambda answers CheckpointDurableExecution like the service would,
// except that the attempts listed in hang never answer: they block until
// the client gives up on them.
type hangingLambda struct {
	srv     *httptest.Server
	hang    func(attempt int) bool
	mu      sync.Mutex
	tokens  []string // ClientToken of each checkpoint request
	release chan struct{}
}

func newHangingLambda(t *testing.T, hang func(attempt int) bool) *hangingLambda {
	h := &hangingLambda{hang: hang, release: make(chan struct{})}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(func() { close(h.release); h.srv.Close() })
	return h
}

func (h *hangingLambda) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct{ ClientToken string }
	_ = json.Unmarshal(body, &req)
	h.mu.Lock()
	h.tokens = append(h.tokens, req.ClientToken)
	n := len(h.tokens)
	h.mu.Unlock()
	if h.hang(n) {
		select {
		case <-r.Context().Done():
		case <-h.release:
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"CheckpointToken":"t2","NewExecutionState":{"Operations":[]}}`)
}

func (h *hangingLambda) checkpointTokens() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.tokens...)
}

// withServiceBounds shortens the attempt timeout and the deadline margin
// for one test.
func withServiceBounds(t *testing.T, attempt, margin time.Duration) {
	t.Cleanup(SetServiceBoundsForTest(attempt, margin))
}

const hangEvent = `{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x","CheckpointToken":"t1","InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}]}}`

func stepHandler(svc protocol.Service) *Function {
	return Handler(func(c *Context, _ any) (int, error) {
		return Step(c, "s", func(*StepContext) (int, error) { return 7, nil }, WithAtMostOncePerRetry())
	}, withService(svc))
}

// An attempt that hangs is cut short and repeated with the same
// ClientToken; the invocation then completes normally.
func TestHungCheckpointAttemptIsRetried(t *testing.T) {
	withServiceBounds(t, 200*time.Millisecond, time.Second)
	h := newHangingLambda(t, func(n int) bool { return n == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := stepHandler(newLambdaService(newTestLambdaClient(h.srv.URL))).Handle(ctx, []byte(hangEvent))
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if out.Status != protocol.InvocationSucceeded {
		t.Fatalf("status %s, want SUCCEEDED", out.Status)
	}
	tokens := h.checkpointTokens()
	if len(tokens) < 2 {
		t.Fatalf("%d checkpoint requests, want the hung one and a repeat", len(tokens))
	}
	if tokens[0] == "" || tokens[0] != tokens[1] {
		t.Errorf("the repeated attempt has ClientToken %q, the hung one %q: want the same, non-empty", tokens[1], tokens[0])
	}
}

// A service that never answers: the invocation ends with a retryable
// error before its deadline (by the documented margin), not at it.
func TestHungCheckpointEndsBeforeDeadline(t *testing.T) {
	const margin = time.Second
	withServiceBounds(t, 300*time.Millisecond, margin)
	h := newHangingLambda(t, func(int) bool { return true })
	deadline := time.Now().Add(2500 * time.Millisecond)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	out, err := stepHandler(newLambdaService(newTestLambdaClient(h.srv.URL))).Handle(ctx, []byte(hangEvent))
	returned := time.Now()
	if err == nil {
		t.Fatalf("Handle returned %+v, want a retryable error", out)
	}
	if !errors.Is(err, protocol.ErrServiceTimeout) || !isRetryableServiceError(err) {
		t.Errorf("error %v: want a retryable protocol.ErrServiceTimeout", err)
	}
	if left := deadline.Sub(returned); left < margin/2 {
		t.Errorf("Handle returned %v before the deadline, want about %v (the margin)", left, margin)
	}
	if n := len(h.checkpointTokens()); n < 2 {
		t.Errorf("%d checkpoint attempts, want several within the invocation's time", n)
	}
}

// Without a deadline a hung service gets a bounded number of attempts.
func TestHungCheckpointWithoutDeadline(t *testing.T) {
	withServiceBounds(t, 100*time.Millisecond, time.Second)
	h := newHangingLambda(t, func(int) bool { return true })
	_, err := stepHandler(newLambdaService(newTestLambdaClient(h.srv.URL))).Handle(context.Background(), []byte(hangEvent))
	if !errors.Is(err, protocol.ErrServiceTimeout) {
		t.Fatalf("Handle error %v, want protocol.ErrServiceTimeout", err)
	}
	if n := len(h.checkpointTokens()); n != serviceHungAttempts {
		t.Errorf("%d attempts, want %d", n, serviceHungAttempts)
	}
}
