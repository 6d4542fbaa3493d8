package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/protocol"
)

// rawGreeter speaks the invocation protocol by hand: it answers the first
// invocation with SUCCEEDED and "Hello, <input>!" without checkpointing,
// and prints one JSON record per invocation to stdout.
type rawGreeter struct {
	stdout io.Writer
	greet  string
}

func (g rawGreeter) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	ev, err := protocol.DecodeEvent(payload)
	if err != nil {
		return nil, err
	}
	var input string
	for _, op := range ev.InitialExecutionState.Operations {
		if op.ExecutionDetails != nil && op.ExecutionDetails.InputPayload != nil {
			if err := json.Unmarshal([]byte(*op.ExecutionDetails.InputPayload), &input); err != nil {
				return nil, err
			}
		}
	}
	fmt.Fprintf(g.stdout, `{"plugin": "RAW", "hook": "invocation-start", "durableExecutionArn": %q}`+"\n", ev.DurableExecutionArn)
	fmt.Fprintln(g.stdout, `{"plugin": "RAW", "hook": "invocation-start", "durableExecutionArn": "arn:other"}`)
	fmt.Fprintln(g.stdout, "plain text is not a record")
	result, _ := json.Marshal(fmt.Sprintf(g.greet, input))
	return json.Marshal(protocol.InvocationOutput{Status: protocol.InvocationSucceeded, Result: ptr(string(result))})
}

func ptr[T any](v T) *T { return &v }

const rawRequirement = `---
description: Raw protocol greeting
Variables:
  INPUT_1: ${GEN_STR:8}
Input: ${INPUT_1}
ExpectedResult:
  ExecutionStatus: SUCCEEDED
  Result: Hello, ${INPUT_1}!
ExpectedExecutionHistory:
  - EventType: InvocationCompleted
    EventId: 2
    EventTimestamp: '*'
    InvocationCompletedDetails: {}
  - EventType: ExecutionSucceeded
    EventId: 3
    EventTimestamp: '*'
    ExecutionSucceededDetails:
      Result:
        Payload: '"Hello, ${INPUT_1}!"'
ExpectedLogs:
  - match: {plugin: RAW, hook: invocation-start}
    count: 1
`

func parse(t *testing.T, id, text string) *conformance.Requirement {
	t.Helper()
	r, err := conformance.ParseRequirement("test", id, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func registryOf(id string, e conformance.Entry) conformance.Registry {
	return conformance.Registry{Entries: map[string]conformance.Entry{id: e}}
}

func TestRunRequirementRawProtocol(t *testing.T) {
	tests := []struct {
		name       string
		greet      string
		wantStatus conformance.Status
		wantDetail []string
	}{
		{"passes", "Hello, %s!", conformance.Passed, nil},
		{"wrong result fails at the history with EventId and path", "Bye, %s!", conformance.Failed, []string{
			"history EventId 3 (ExecutionSucceeded): ExecutionSucceededDetails.Result.Payload: expected",
			`got "\"Bye, `,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := parse(t, "1-1", rawRequirement)
			reg := registryOf("1-1", conformance.Entry{New: func(env *conformance.Env) durabletest.Handler {
				return rawGreeter{stdout: env.Stdout, greet: tt.greet}
			}})
			out := conformance.RunRequirement(context.Background(), req, reg)
			if out.Status != tt.wantStatus {
				t.Fatalf("status %s (%s), want %s", out.Status, out.Detail, tt.wantStatus)
			}
			for _, w := range tt.wantDetail {
				if !strings.Contains(out.Detail, w) {
					t.Errorf("detail %q lacks %q", out.Detail, w)
				}
			}
		})
	}
}

func TestRunRequirementOutcomesWithoutRunning(t *testing.T) {
	req := parse(t, "1-1", rawRequirement)
	tests := []struct {
		name       string
		reg        conformance.Registry
		wantStatus conformance.Status
		wantDetail string
	}{
		{"uncovered", conformance.Registry{}, conformance.NotImplemented, "no handler registered"},
		{"declared gap", registryOf("1-1", conformance.Entry{NotImplemented: "needs feature X"}), conformance.NotImplemented, "needs feature X"},
		{"handler factory panics", registryOf("1-1", conformance.Entry{New: func(*conformance.Env) durabletest.Handler { panic("boom") }}), conformance.Failed, "panic: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := conformance.RunRequirement(context.Background(), req, tt.reg)
			if out.Status != tt.wantStatus || out.Detail != tt.wantDetail {
				t.Errorf("got %s %q, want %s %q", out.Status, out.Detail, tt.wantStatus, tt.wantDetail)
			}
		})
	}
}

// quietLogger keeps test output clean; lines still count as emitted.
func quietLogger() durable.Option {
	return durable.WithLogger(logsink.NewSlogLogger(slog.NewJSONHandler(io.Discard, nil)))
}

const stepLogRequirement = `---
description: Step with logs and plugin-style records
Variables:
  INPUT_1: ${GEN_STR:8}
Input: ${INPUT_1}
ExpectedResult:
  ExecutionStatus: SUCCEEDED
  Result: Hello, ${INPUT_1}!
ExpectedExecutionHistory:
  - {EventType: StepStarted, SubType: Step, EventId: 2, Id: '${ID1}', Name: greet, EventTimestamp: '*', StepStartedDetails: {}}
  - {EventType: WaitStarted, SubType: Wait, EventId: 4, EventTimestamp: '*', WaitStartedDetails: {Duration: 3600}}
  - {EventType: InvocationCompleted, EventId: 5, EventTimestamp: '*', InvocationCompletedDetails: {}}
  - {EventType: WaitSucceeded, EventId: 6, EventTimestamp: '*'}
ExpectedLogs:
  - match: {message: '/Greeting step running for: ${INPUT_1}/', operationId: '${ID1}', level: INFO}
    count: 1
    after:
      - {hook: start, first: true}
  - match: {hook: end}
    count: 1
    after:
      - {message: '/Greeting step running/'}
  - match: {hook: start}
    count: 2
  - match: {message: '/before the wait/'}
    count: 1
`

func greeterWithWait(env *conformance.Env) durabletest.Handler {
	return durable.Handler(func(ctx *durable.Context, name string) (string, error) {
		fmt.Fprintf(env.Stdout, `{"hook": "start", "first": %t, "executionArn": %q}`+"\n", !ctx.IsReplaying(), ctx.ExecutionArn())
		greeting, err := durable.Step(ctx, "greet", func(sc *durable.StepContext) (string, error) {
			sc.Logger().Info("Greeting step running for: " + name)
			return "Hello, " + name + "!", nil
		})
		if err != nil {
			return "", err
		}
		ctx.Logger().Info("before the wait")
		if err := durable.Wait(ctx, "", time.Hour); err != nil {
			return "", err
		}
		fmt.Fprintf(env.Stdout, `{"hook": "end", "executionArn": %q}`+"\n", ctx.ExecutionArn())
		return greeting, nil
	}, quietLogger())
}

func TestRunRequirementSDKHandlerWithLogs(t *testing.T) {
	req := parse(t, "1-7", stepLogRequirement)
	out := conformance.RunRequirement(context.Background(), req, registryOf("1-7", conformance.Entry{New: greeterWithWait}))
	if out.Status != conformance.Passed {
		t.Fatalf("%s: %s", out.Status, out.Detail)
	}
}

func TestRunRequirementLogFailureIsPrecise(t *testing.T) {
	text := strings.Replace(stepLogRequirement, "  - match: {hook: start}\n    count: 2", "  - match: {hook: start}\n    count: 3", 1)
	out := conformance.RunRequirement(context.Background(), parse(t, "1-7", text), registryOf("1-7", conformance.Entry{New: greeterWithWait}))
	want := `ExpectedLogs[2] {"hook":"start"}: expected exactly 3 matching records, found 2 of`
	if out.Status != conformance.Failed || !strings.Contains(out.Detail, want) {
		t.Fatalf("got %s %q, want a failure with %q", out.Status, out.Detail, want)
	}
}

const callbackRequirement = `---
description: Callback with heartbeat then success
AsyncInvoke: true
Variables:
  CB_NAME: ${GEN_STR:10}
Input: ${CB_NAME}
ExpectedResult:
  ExecutionStatus: SUCCEEDED
  Result: '{"status": "approved", "who": "caf\u00e9"}'
CallbackActions:
  - {CallbackName: '${CB_NAME}', Operation: heartbeat, Delay: 1}
  - {CallbackName: '${/^[a-z0-9]{10}$/}', Operation: success, Payload: {status: approved, who: café}, Delay: 1}
ExpectedExecutionHistory:
  - {EventType: CallbackStarted, SubType: Callback, EventId: 2, Id: '${CB1}', Name: '${CB_NAME}', EventTimestamp: '*',
     CallbackStartedDetails: {CallbackId: '*', HeartbeatTimeout: 5}}
  - {EventType: InvocationCompleted, EventId: 3, EventTimestamp: '*', InvocationCompletedDetails: '*'}
  - {EventType: CallbackSucceeded, SubType: Callback, EventId: 4, Id: '${CB1}', Name: '${CB_NAME}', EventTimestamp: '*',
     CallbackSucceededDetails: {Result: {Payload: '{"status": "approved", "who": "caf\u00e9"}'}}}
  - {EventType: ExecutionSucceeded, EventId: 6, EventTimestamp: '*', ExecutionSucceededDetails: {Result: '*'}}
`

func callbackHandler(*conformance.Env) durabletest.Handler {
	return durable.Handler(func(ctx *durable.Context, name string) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, name, durable.WithHeartbeatTimeout(5*time.Second))
		if err != nil {
			return "", err
		}
		return cb.Result()
	}, quietLogger())
}

func TestRunRequirementAsyncCallback(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(string) string
		wantStatus conformance.Status
		wantDetail string
	}{
		{"heartbeat, then success one poll later", func(s string) string { return s }, conformance.Passed, ""},
		{"delay beyond the heartbeat timeout times out", func(s string) string {
			return strings.Replace(s, "Operation: heartbeat, Delay: 1", "Operation: heartbeat, Delay: 9", 1)
		}, conformance.Failed, "callback"},
		{"no matching action", func(s string) string {
			s = strings.Replace(s, "CallbackName: '${CB_NAME}', Operation: heartbeat", "CallbackName: other, Operation: heartbeat", 1)
			return strings.Replace(s, "'${/^[a-z0-9]{10}$/}'", "'${/^approval/}'", 1)
		}, conformance.Failed, "no matching callback action"},
		{"no actions leaves the callback open until no progress", func(s string) string {
			s = strings.Replace(s, "HeartbeatTimeout: 5", "HeartbeatTimeout: '*'", 1)
			return s[:strings.Index(s, "CallbackActions:")] + s[strings.Index(s, "ExpectedExecutionHistory:"):]
		}, conformance.Failed, "history EventId 4 (CallbackTimedOut)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := parse(t, "4-1", tt.edit(callbackRequirement))
			out := conformance.RunRequirement(context.Background(), req, registryOf("4-1", conformance.Entry{New: callbackHandler}))
			t.Logf("%s %s", out.Status, out.Detail)
			if out.Status != tt.wantStatus || !strings.Contains(out.Detail, tt.wantDetail) {
				t.Fatalf("got %s %q, want %s with %q", out.Status, out.Detail, tt.wantStatus, tt.wantDetail)
			}
		})
	}
}

const longWaitRequirement = `---
description: Async long wait without ExpectedResult
AsyncInvoke: true
Input:
ExpectedExecutionHistory:
  - {EventType: WaitStarted, SubType: Wait, EventId: 2, Id: '${ID1}', EventTimestamp: '*', WaitStartedDetails: {Duration: 3600}}
  - {EventType: InvocationCompleted, EventId: 3, EventTimestamp: '*', InvocationCompletedDetails: {}}
`

func TestRunRequirementAsyncStopsWhenHistoryMatches(t *testing.T) {
	h := func(*conformance.Env) durabletest.Handler {
		return durable.Handler(func(ctx *durable.Context, _ any) (any, error) {
			return nil, durable.Wait(ctx, "", time.Hour)
		}, quietLogger())
	}
	out := conformance.RunRequirement(context.Background(), parse(t, "2-5", longWaitRequirement), registryOf("2-5", conformance.Entry{New: h}))
	if out.Status != conformance.Passed {
		t.Fatalf("%s: %s", out.Status, out.Detail)
	}
}

func TestRunRequirementSyncBlocked(t *testing.T) {
	text := strings.Replace(callbackRequirement, "AsyncInvoke: true\n", "", 1)
	out := conformance.RunRequirement(context.Background(), parse(t, "4-1", text), registryOf("4-1", conformance.Entry{New: func(*conformance.Env) durabletest.Handler {
		return durable.Handler(func(ctx *durable.Context, name string) (string, error) {
			cb, err := durable.CreateCallback[string](ctx, name)
			if err != nil {
				return "", err
			}
			return cb.Result()
		}, quietLogger())
	}}))
	if out.Status != conformance.Failed || !strings.Contains(out.Detail, "execution blocked") {
		t.Fatalf("got %s %q, want a blocked failure", out.Status, out.Detail)
	}
}

func TestRunAndReport(t *testing.T) {
	dir := t.TempDir()
	write := func(suite, id, text string) {
		if err := os.MkdirAll(filepath.Join(dir, suite), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, suite, id+".yaml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("step", "1-10", rawRequirement)
	write("step", "1-2", strings.Replace(rawRequirement, "Raw protocol greeting", "Second", 1))
	write("step", "1-3", "---\ndescription: Uncovered\nExpectedExecutionHistory: []\n")
	write("wait", "2-1", strings.Replace(rawRequirement, "description: Raw protocol greeting", "description: Optional one\noptional: true", 1))
	good := conformance.Entry{New: func(env *conformance.Env) durabletest.Handler { return rawGreeter{env.Stdout, "Hello, %s!"} }}
	bad := conformance.Entry{New: func(env *conformance.Env) durabletest.Handler { return rawGreeter{env.Stdout, "Hi %s"} }}
	reg := conformance.Registry{Entries: map[string]conformance.Entry{"1-2": good, "1-10": bad, "2-1": bad}}

	outcomes, err := conformance.Run(context.Background(), dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	passed, failed, notImpl := conformance.Report(&buf, outcomes)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{
		"PASSED 1-2 Second",
		"NOT_IMPLEMENTED 1-3 Uncovered — no handler registered",
		"FAILED 1-10 Raw protocol greeting — history EventId 3 (ExecutionSucceeded): ExecutionSucceededDetails.Result.Payload:",
		"FAILED 2-1 Optional one — (optional) history EventId 3",
		"conformance: 1 passed, 2 failed, 1 not implemented, of 4",
	}
	if len(lines) != len(want) {
		t.Fatalf("report:\n%s", buf.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], w)
		}
	}
	if passed != 1 || failed != 2 || notImpl != 1 {
		t.Errorf("counts %d/%d/%d, want 1/2/1", passed, failed, notImpl)
	}
	blocking := 0
	for _, o := range outcomes {
		if o.Blocking() {
			blocking++
		}
	}
	if blocking != 1 {
		t.Errorf("%d blocking outcomes, want 1 (the optional failure does not block)", blocking)
	}

	only, err := conformance.Run(context.Background(), dir, reg, conformance.WithIDs("1-2"))
	if err != nil || len(only) != 1 || only[0].ID != "1-2" {
		t.Errorf("WithIDs: %v, %+v", err, only)
	}
}
