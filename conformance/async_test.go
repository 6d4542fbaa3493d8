package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// fakeExec is a scripted execution: script runs after every clock move
// and may append events; sends are recorded with their virtual time.
type fakeExec struct {
	start, now time.Time
	events     []*Map
	script     func(f *fakeExec)
	sends      []string
	sendErr    error
	status     string
}

func newFake(script func(f *fakeExec)) *fakeExec {
	t0 := time.Unix(1000, 0)
	return &fakeExec{start: t0, now: t0, script: script, status: "RUNNING"}
}

func (f *fakeExec) elapsed() time.Duration { return f.now.Sub(f.start) }

func (f *fakeExec) add(typ string, kv ...any) {
	m := mapOf(append([]any{"EventId", jsonNumber(len(f.events) + 1), "EventType", typ}, kv...)...)
	f.events = append(f.events, m)
}

func jsonNumber(n int) json.Number { return json.Number(strconv.Itoa(n)) }

func (f *fakeExec) RunToCompletion(context.Context) error { return nil }
func (f *fakeExec) Advance(_ context.Context, d time.Duration) error {
	f.now = f.now.Add(d)
	if f.script != nil {
		f.script(f)
	}
	return nil
}
func (f *fakeExec) record(op, id, payload string) error {
	f.sends = append(f.sends, fmt.Sprintf("%s %s %s %s", f.elapsed(), op, id, payload))
	return f.sendErr
}
func (f *fakeExec) SendCallbackSuccess(_ context.Context, id string, result []byte) error {
	return f.record("success", id, string(result))
}
func (f *fakeExec) SendCallbackFailure(_ context.Context, id string, e protocol.ErrorObject) error {
	return f.record("failure", id, e.ErrorType+"/"+e.ErrorMessage)
}
func (f *fakeExec) SendCallbackHeartbeat(_ context.Context, id string) error {
	return f.record("heartbeat", id, "")
}
func (f *fakeExec) Status() string          { return f.status }
func (f *fakeExec) Result() *string         { return nil }
func (f *fakeExec) Arn() string             { return "arn:fake" }
func (f *fakeExec) Clock() time.Time        { return f.now }
func (f *fakeExec) Events() ([]*Map, error) { return append([]*Map(nil), f.events...), nil }

// callbackStarted appends a CallbackStarted event.
func (f *fakeExec) callbackStarted(id, name, parent string) {
	kv := []any{"SubType", "Callback", "Id", "op-" + id, "CallbackStartedDetails", mapOf("CallbackId", id)}
	if name != "" {
		kv = append(kv, "Name", name)
	}
	if parent != "" {
		kv = append(kv, "ParentId", parent)
	}
	f.add("CallbackStarted", kv...)
}

func newValidation(t *testing.T, text string) *validation {
	t.Helper()
	req, err := ParseRequirement("test", "4-1", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	v := &validation{req: req, cfg: newConfig([]Option{WithSeed(1)}), b: NewBindings(), logs: &logCapture{}}
	if err := bindVariables(req.Variables, v.b, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPollCallbackActions(t *testing.T) {
	tests := []struct {
		name      string
		actions   string
		script    func(f *fakeExec)
		wantSends []string
		wantProbs string // substring of the joined problems; empty for none
	}{
		{
			name:    "delay runs on the virtual clock after the poll that saw the callback",
			actions: "- {CallbackName: approval, Operation: success, Payload: {status: approved}, Delay: 1}",
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.callbackStarted("cb1", "approval", "")
				}
				if len(f.sends) == 1 && len(f.events) == 1 {
					f.add("ExecutionSucceeded")
				}
			},
			wantSends: []string{`3s success cb1 {"status": "approved"}`},
		},
		{
			name: "heartbeat keeps the callback for the next poll",
			actions: `- {CallbackName: '*', Operation: heartbeat}
- {CallbackName: '*', Operation: success, Payload: ok}`,
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.callbackStarted("cb1", "x", "")
				}
				if len(f.sends) == 2 && len(f.events) == 1 {
					f.add("ExecutionSucceeded")
				}
			},
			wantSends: []string{"2s heartbeat cb1 ", `4s success cb1 "ok"`},
		},
		{
			name:    "sequential delays hold up the next action",
			actions: "- {CallbackName: '*', Operation: success, Delay: 4}\n- {CallbackName: '*', Operation: failure, Payload: {ErrorType: E, ErrorMessage: m}, Delay: 1}",
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.callbackStarted("cb1", "a", "")
					f.callbackStarted("cb2", "b", "")
				}
				if len(f.sends) == 2 && len(f.events) == 2 {
					f.add("ExecutionSucceeded")
				}
			},
			wantSends: []string{"6s success cb1 ", "7s failure cb2 E/m"},
		},
		{
			name:    "wait-for-callback children inherit the operation name",
			actions: "- {CallbackName: approve, Operation: success}",
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.add("ContextStarted", "SubType", "WaitForCallback", "Id", "w1", "Name", "approve")
					f.callbackStarted("cb1", "", "w1")
				}
				if len(f.sends) == 1 && len(f.events) == 2 {
					f.add("ExecutionSucceeded")
				}
			},
			wantSends: []string{"2s success cb1 "},
		},
		{
			name:    "unmatched callback fails and is not retried",
			actions: "- {CallbackName: other, Operation: success}",
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.callbackStarted("cb1", "mine", "")
				}
				if f.elapsed() == 6*time.Second {
					f.add("ExecutionFailed")
				}
			},
			wantProbs: `callback "mine": no matching callback action`,
		},
		{
			name: "no actions leaves callbacks open",
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.callbackStarted("cb1", "mine", "")
				}
				if f.elapsed() == 4*time.Second {
					f.add("ExecutionFailed")
				}
			},
		},
		{
			name:    "terminal poll performs no action",
			actions: "- {CallbackName: '*', Operation: success}",
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.callbackStarted("cb1", "a", "")
					f.add("ExecutionTimedOut")
				}
			},
		},
		{
			name:    "failed API call is recorded and polling goes on",
			actions: "- {CallbackName: '*', Operation: success}",
			script: func(f *fakeExec) {
				f.sendErr = errors.New("callback closed")
				if len(f.events) == 0 {
					f.callbackStarted("cb1", "a", "")
				}
				if f.elapsed() == 4*time.Second {
					f.add("ExecutionFailed")
				}
			},
			wantSends: []string{"2s success cb1 "},
			wantProbs: `callback "a" (cb1): success: callback closed`,
		},
		{
			name: "no progress for the timeout fails",
			script: func(f *fakeExec) {
				if len(f.events) == 0 {
					f.add("WaitStarted")
				}
			},
			wantProbs: "no new events for 30s (history stuck at 1 events, last WaitStarted)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "ExpectedResult: {ExecutionStatus: SUCCEEDED}\nAsyncInvoke: true\n"
			if tt.actions != "" {
				text += "CallbackActions:\n" + tt.actions + "\n"
			}
			v := newValidation(t, text)
			f := newFake(tt.script)
			v.poll(context.Background(), f)
			if got, want := strings.Join(f.sends, " | "), strings.Join(tt.wantSends, " | "); got != want {
				t.Errorf("sends %q, want %q", got, want)
			}
			probs := strings.Join(v.problems, "; ")
			if tt.wantProbs == "" && probs != "" || !strings.Contains(probs, tt.wantProbs) {
				t.Errorf("problems %q, want %q", probs, tt.wantProbs)
			}
		})
	}
}

func TestPollStopsEarlyWithoutExpectedResult(t *testing.T) {
	v := newValidation(t, "AsyncInvoke: true\nExpectedExecutionHistory:\n  - {EventId: 1, EventType: WaitStarted, Id: '${W}'}\n")
	f := newFake(func(f *fakeExec) {
		if len(f.events) == 0 {
			f.add("WaitStarted", "Id", "w1")
		}
	})
	_, matched := v.poll(context.Background(), f)
	if !matched || f.elapsed() != 2*time.Second || len(v.problems) > 0 {
		t.Errorf("matched=%v after %s, problems %v; want a match on the first poll", matched, f.elapsed(), v.problems)
	}
	if w, _ := v.b.Lookup("W"); w != "w1" {
		t.Errorf("W bound to %v", w)
	}
}

func TestPollGivesUpOnEndlessHistory(t *testing.T) {
	v := newValidation(t, "AsyncInvoke: true\nExpectedResult: {ExecutionStatus: SUCCEEDED}\n")
	v.cfg.maxPolls = 10
	f := newFake(func(f *fakeExec) { f.add("StepStarted") })
	v.poll(context.Background(), f)
	if len(v.problems) != 1 || !strings.Contains(v.problems[0], "gave up after 10 polls") {
		t.Errorf("problems %v", v.problems)
	}
}

func TestCheckStopsAtFirstFailingStage(t *testing.T) {
	text := `ExpectedResult: {ExecutionStatus: SUCCEEDED}
ExpectedExecutionHistory:
  - {EventId: 1, EventType: StepStarted}
ExpectedLogs:
  - match: {a: b}
`
	tests := []struct {
		name, event, status, want string
	}{
		{"history first", "StepFailed", "FAILED", `history EventId 1 (StepFailed): EventType: expected "StepStarted", got "StepFailed"`},
		{"then result", "StepStarted", "FAILED", "result: ExecutionStatus: expected SUCCEEDED, got FAILED"},
		{"then logs", "StepStarted", "SUCCEEDED", `ExpectedLogs[0] {"a":"b"}: expected at least one matching record, found 0 of 0 records`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newValidation(t, text)
			f := newFake(nil)
			f.add(tt.event)
			f.status = tt.status
			v.check(context.Background(), f)
			if got := strings.Join(v.problems, "; "); got != tt.want {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
		})
	}
}
