package durable_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// This file injects faults between the real aws-sdk-go-v2 client and the
// durable service: an httptest server speaks the REST routes of
// CheckpointDurableExecution and GetDurableExecutionState over the local
// runner's in-memory service, and a fault plan decides what happens to
// chosen requests.

// faultKind is what the server does to a faulted request.
type faultKind int

const (
	fault5xx          faultKind = iota // 500 ServiceException, nothing applied
	fault429                           // 429 TooManyRequestsException, nothing applied
	faultDropBefore                    // connection closed before the update is applied
	faultDropAfter                     // update applied, connection closed before the answer
	faultHang                          // no answer until the client gives up
	faultHangAfter                     // update applied, no answer until the client gives up
	faultTruncated                     // update applied, 200 with half the body
	faultInvalidToken                  // 400 InvalidParameterValueException "Invalid checkpoint token"
	faultKMS                           // 502 KMSAccessDeniedException
)

// faultPlan faults times consecutive checkpoint requests (SDK retries are
// requests too), starting with the first one match accepts.
type faultPlan struct {
	name  string
	kind  faultKind
	times int
	match func(updates []protocol.OperationUpdate) bool
	dedup bool // the service sees ClientTokens, so it answers a repeat with its first answer
	want  faultOutcome
}

type faultOutcome string

const (
	// outcomeRecovered: the SDK or the runtime retried within the
	// invocation; no invocation ended with an error.
	outcomeRecovered faultOutcome = "recovered in the invocation"
	// outcomeReinvoked: an invocation ended with a retryable Lambda error
	// and the re-invocation finished the execution.
	outcomeReinvoked faultOutcome = "retryable error, re-invoked"
	// outcomeFailed: the execution FAILED.
	outcomeFailed faultOutcome = "FAILED"
)

// faultServer is the REST front of a durabletest.Service.
type faultServer struct {
	t    *testing.T
	svc  *durabletest.Service
	plan *faultPlan

	mu      sync.Mutex
	left    int // faulted requests still to come; -1 before the match
	faulted int
	srv     *httptest.Server
	release chan struct{}
}

func newFaultServer(t *testing.T, svc *durabletest.Service, plan *faultPlan) *faultServer {
	f := &faultServer{t: t, svc: svc, plan: plan, left: -1, release: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() { close(f.release); f.srv.Close() })
	return f
}

func (f *faultServer) serve(w http.ResponseWriter, r *http.Request) {
	path, _, _ := strings.Cut(r.RequestURI, "?")
	rest, ok := strings.CutPrefix(path, "/2025-12-01/durable-executions/")
	if !ok {
		http.Error(w, "unknown route", http.StatusNotFound)
		return
	}
	escaped, route, _ := strings.Cut(rest, "/")
	arn, err := url.PathUnescape(escaped)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch route {
	case "checkpoint":
		f.checkpoint(w, r, arn)
	case "state":
		q := r.URL.Query()
		maxItems, _ := strconv.Atoi(q.Get("MaxItems"))
		st, err := f.svc.GetExecutionState(r.Context(), protocol.StateRequest{
			DurableExecutionArn: arn, CheckpointToken: q.Get("CheckpointToken"), Marker: q.Get("Marker"), MaxItems: maxItems,
		})
		if err != nil {
			writeAPIError(w, err)
			return
		}
		writeJSON(w, restJSON(f.t, st))
	default:
		http.Error(w, "unknown route", http.StatusNotFound)
	}
}

type checkpointBody struct {
	CheckpointToken string
	ClientToken     string
	Updates         []protocol.OperationUpdate
}

func (f *faultServer) checkpoint(w http.ResponseWriter, r *http.Request, arn string) {
	var body checkpointBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.t.Errorf("checkpoint request: %v", err)
		return
	}
	f.mu.Lock()
	if f.left < 0 && f.plan != nil && f.plan.match(body.Updates) {
		f.left = f.plan.times
	}
	faulted := f.left > 0
	if faulted {
		f.left--
		f.faulted++
	}
	f.mu.Unlock()
	kind := faultKind(-1)
	if faulted {
		kind = f.plan.kind
	}
	switch kind {
	case fault5xx:
		writeError(w, http.StatusInternalServerError, "ServiceException", "internal error")
		return
	case fault429:
		writeError(w, http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded")
		return
	case faultInvalidToken:
		writeError(w, http.StatusBadRequest, "InvalidParameterValueException", "Invalid checkpoint token")
		return
	case faultKMS:
		writeError(w, http.StatusBadGateway, "KMSAccessDeniedException", "Lambda was unable to decrypt the execution data")
		return
	case faultDropBefore:
		dropConnection(w, nil)
		return
	case faultHang:
		select {
		case <-r.Context().Done():
		case <-f.release:
		}
		return
	}
	// Without de-duplication the service does not see the ClientToken, so
	// a repeat of an applied checkpoint meets its spent token.
	clientToken := ""
	if f.plan != nil && f.plan.dedup {
		clientToken = body.ClientToken
	}
	resp, err := f.svc.Checkpoint(r.Context(), protocol.CheckpointRequest{
		DurableExecutionArn: arn, CheckpointToken: body.CheckpointToken, ClientToken: clientToken, Updates: body.Updates,
	})
	if err != nil {
		writeAPIError(w, err)
		return
	}
	answer := restJSON(f.t, resp)
	switch kind {
	case faultHangAfter:
		select {
		case <-r.Context().Done():
		case <-f.release:
		}
	case faultDropAfter:
		dropConnection(w, nil)
	case faultTruncated:
		dropConnection(w, answer[:len(answer)/2])
	default:
		writeJSON(w, answer)
	}
}

// dropConnection closes the connection, after writing a 200 response head
// announcing more body than partial when partial is not nil.
func dropConnection(w http.ResponseWriter, partial []byte) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if partial != nil {
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", 2*len(partial)+10)
		_, _ = buf.Write(partial)
		_ = buf.Flush()
	}
	_ = bufio.NewWriter(conn).Flush()
}

func writeJSON(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"message": msg})
	_, _ = w.Write(b)
}

func writeAPIError(w http.ResponseWriter, err error) {
	var ae *protocol.APIError
	if e, ok := err.(*protocol.APIError); ok {
		ae = e
	} else {
		ae = &protocol.APIError{Code: "ServiceException", StatusCode: 500, Message: err.Error()}
	}
	if ae.StatusCode == 0 {
		ae.StatusCode = 500
	}
	writeError(w, ae.StatusCode, ae.Code, ae.Message)
}

// restJSON encodes v as the REST API does: timestamps are epoch seconds
// (the runtime's own encoding, used in invocation events, is epoch
// milliseconds).
func restJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(n any) {
		switch n := n.(type) {
		case map[string]any:
			for k, v := range n {
				if ms, ok := v.(float64); ok && strings.HasSuffix(k, "Timestamp") {
					n[k] = ms / 1000
					continue
				}
				walk(v)
			}
		case []any:
			for _, v := range n {
				walk(v)
			}
		}
	}
	walk(tree)
	b, _ = json.Marshal(tree)
	return b
}

// bodyRuns counts executions of step bodies by name and attempt.
type bodyRuns struct {
	mu   sync.Mutex
	runs map[string]map[int]int
}

func (b *bodyRuns) add(name string, attempt int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.runs == nil {
		b.runs = map[string]map[int]int{}
	}
	if b.runs[name] == nil {
		b.runs[name] = map[int]int{}
	}
	b.runs[name][attempt]++
}

// faultWorkflow: an at-least-once step, an at-most-once step, a wait, a
// child context and a map of 40 items, 10 at a time.
func faultWorkflow(runs *bodyRuns) *durable.Function {
	return durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		a, err := durable.Step(ctx, "a", func(sc *durable.StepContext) (string, error) {
			runs.add("a", sc.Attempt())
			return "A", nil
		})
		if err != nil {
			return "", err
		}
		charge, err := durable.Step(ctx, "charge", func(sc *durable.StepContext) (int, error) {
			runs.add("charge", sc.Attempt())
			return 42, nil
		}, durable.WithAtMostOncePerRetry())
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return "", err
		}
		inner, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (string, error) {
			return durable.Step(c, "inner", func(sc *durable.StepContext) (string, error) {
				runs.add("inner", sc.Attempt())
				return "I", nil
			})
		})
		if err != nil {
			return "", err
		}
		items := make([]int, 40)
		for i := range items {
			items[i] = i
		}
		res, err := durable.Map(ctx, "items", items, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			return durable.Step(c, "double", func(*durable.StepContext) (int, error) { return 2 * item, nil })
		}, durable.WithMaxConcurrency(10))
		if err != nil {
			return "", err
		}
		sum := 0
		for _, v := range res.Results() {
			sum += v
		}
		if f := res.Failed(); len(f) > 0 {
			return "", f[0].Err()
		}
		return fmt.Sprintf("%s-%d-%s-%d", a, charge, inner, sum), nil
	})
}

func updateNamed(name string, action protocol.OperationAction) func([]protocol.OperationUpdate) bool {
	return func(us []protocol.OperationUpdate) bool {
		for _, u := range us {
			if u.Name == name && (action == "" || u.Action == action) {
				return true
			}
		}
		return false
	}
}

// faultPlans is the table the README's Reliability section reports. The
// test client makes 3 attempts per call.
var faultPlans = []faultPlan{
	{name: "5xx for 2 attempts", kind: fault5xx, times: 2, match: updateNamed("a", ""), want: outcomeRecovered},
	{name: "5xx for 5 attempts", kind: fault5xx, times: 5, match: updateNamed("a", ""), want: outcomeReinvoked},
	{name: "429 for 2 attempts", kind: fault429, times: 2, match: updateNamed("charge", protocol.ActionStart), want: outcomeRecovered},
	{name: "429 for 5 attempts on an at-most-once START", kind: fault429, times: 5, match: updateNamed("charge", protocol.ActionStart), want: outcomeReinvoked},
	{name: "connection dropped before the update is applied", kind: faultDropBefore, times: 1, match: updateNamed("charge", protocol.ActionSucceed), want: outcomeRecovered},
	{name: "connection dropped after the update is applied, no de-duplication", kind: faultDropAfter, times: 1, match: updateNamed("charge", protocol.ActionStart), want: outcomeReinvoked},
	{name: "connection dropped after the update is applied, ClientToken de-duplication", kind: faultDropAfter, times: 1, match: updateNamed("charge", protocol.ActionStart), dedup: true, want: outcomeRecovered},
	{name: "connection dropped after a SUCCEED is applied, no de-duplication", kind: faultDropAfter, times: 1, match: updateNamed("charge", protocol.ActionSucceed), want: outcomeReinvoked},
	{name: "hung attempt (no answer within the attempt timeout)", kind: faultHang, times: 1, match: updateNamed("inner", ""), want: outcomeRecovered},
	{name: "hung attempt after the update is applied, no de-duplication", kind: faultHangAfter, times: 1, match: updateNamed("charge", protocol.ActionSucceed), want: outcomeReinvoked},
	{name: "hung attempt after the update is applied, ClientToken de-duplication", kind: faultHangAfter, times: 1, match: updateNamed("charge", protocol.ActionSucceed), dedup: true, want: outcomeRecovered},
	{name: "truncated 200 body", kind: faultTruncated, times: 1, match: updateNamed("inner", ""), want: outcomeReinvoked},
	{name: "invalid checkpoint token", kind: faultInvalidToken, times: 1, match: updateNamed("pause", ""), want: outcomeReinvoked},
	{name: "KMS error", kind: faultKMS, times: 1, match: updateNamed("a", ""), want: outcomeFailed},
	{name: "throttling in the middle of a 40-item map, 2 attempts", kind: fault429, times: 2, match: updateNamed("map-item-20", ""), want: outcomeRecovered},
	{name: "throttling in the middle of a 40-item map, 6 attempts", kind: fault429, times: 6, match: updateNamed("map-item-20", ""), want: outcomeReinvoked},
}

// runWithFaults runs faultWorkflow through the real client against a
// fault server; plan may be nil (the fault-free run).
func runWithFaults(t *testing.T, plan *faultPlan) (*durabletest.Execution, *bodyRuns, *faultServer) {
	t.Helper()
	runs := &bodyRuns{}
	var client protocol.Service
	fn := faultWorkflow(runs)
	// The runner hands its in-memory service to the handler through the
	// context; the client replaces it, so every call crosses HTTP.
	runner := durabletest.NewRunner(handlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return fn.Invoke(testhook.WithService(ctx, client), payload)
	}))
	fs := newFaultServer(t, runner.Service(), plan)
	client = durable.NewTestLambdaService(fs.srv.URL)
	exec, err := runner.Run(context.Background(), nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return exec, runs, fs
}

type handlerFunc func(ctx context.Context, payload []byte) ([]byte, error)

func (f handlerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// completed lists the terminal operations as id -> status and result.
func completed(exec *durabletest.Execution) map[string]string {
	out := map[string]string{}
	for _, op := range exec.Operations() {
		if !op.Status.Terminal() || op.Type == protocol.OperationTypeExecution {
			continue
		}
		res := ""
		switch {
		case op.StepDetails != nil && op.StepDetails.Result != nil:
			res = *op.StepDetails.Result
		case op.ContextDetails != nil && op.ContextDetails.Result != nil:
			res = *op.ContextDetails.Result
		}
		out[op.ID] = fmt.Sprintf("%s %s %s %s", op.Type, op.Name, op.Status, res)
	}
	return out
}

// succeededTwice returns the ids with more than one *Succeeded event. A
// WaitForCondition's RETRY with a state is a StepSucceeded event too, with
// a next attempt delay: it does not end the operation and is not counted.
func succeededTwice(exec *durabletest.Execution) []string {
	n := map[string]int{}
	var twice []string
	for _, ev := range exec.History() {
		if rd := ev.Details.RetryDetails; rd != nil && rd.NextAttemptDelaySeconds > 0 {
			continue
		}
		if strings.HasSuffix(string(ev.EventType), "Succeeded") && ev.EventType != durabletest.EventExecutionSucceeded {
			n[ev.ID]++
			if n[ev.ID] == 2 {
				twice = append(twice, ev.ID)
			}
		}
	}
	return twice
}

func TestFaultInjectionWithTheRealClient(t *testing.T) {
	defer durable.SetServiceBoundsForTest(200*time.Millisecond, time.Second)()
	base, _, _ := runWithFaults(t, nil)
	if base.Status() != "SUCCEEDED" {
		t.Fatalf("fault-free run: %s %+v", base.Status(), base.Error())
	}
	baseOps := completed(base)
	for i := range faultPlans {
		plan := &faultPlans[i]
		t.Run(plan.name, func(t *testing.T) {
			exec, runs, fs := runWithFaults(t, plan)
			if fs.faulted == 0 {
				t.Fatal("the fault plan never matched a request")
			}
			got := outcomeRecovered
			for _, inv := range exec.Invocations() {
				if inv.Err != nil {
					got = outcomeReinvoked
				}
			}
			if exec.Status() == "FAILED" {
				got = outcomeFailed
			}
			if got != plan.want {
				t.Errorf("outcome %q, want %q (status %s, error %+v)", got, plan.want, exec.Status(), exec.Error())
			}
			if twice := succeededTwice(exec); len(twice) > 0 {
				t.Errorf("operations with two SUCCEEDs: %v", twice)
			}
			for attempt, n := range runs.runs["charge"] {
				if n > 1 {
					t.Errorf("the at-most-once step ran %d times in attempt %d", n, attempt)
				}
			}
			t.Logf("| %s | %s | %d | %v |", plan.name, got, len(exec.Invocations()), runs.runs["charge"])
			if plan.want == outcomeFailed {
				return
			}
			if exec.Status() != "SUCCEEDED" || *exec.Result() != *base.Result() {
				t.Fatalf("status %s result %v, want the fault-free result %s", exec.Status(), exec.Result(), *base.Result())
			}
			ops := completed(exec)
			for id, want := range baseOps {
				if ops[id] != want {
					t.Errorf("operation %s: %q, fault-free run %q", id, ops[id], want)
				}
			}
			if len(ops) != len(baseOps) {
				t.Errorf("%d completed operations, fault-free run %d", len(ops), len(baseOps))
			}
		})
	}
}
