package conformance

import (
	"errors"
	"reflect"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

func actionsFrom(t *testing.T, text string) []CallbackAction {
	t.Helper()
	r := &Requirement{}
	if err := r.fillCallbacks(yamlValue(t, "CallbackActions:\n"+text).(*Map)); err != nil {
		t.Fatal(err)
	}
	return r.CallbackActions
}

func TestCallbackActionChoice(t *testing.T) {
	acts := actionsFrom(t, `
  - {CallbackName: '${CB_NAME}', Operation: heartbeat}
  - {CallbackName: approval, Operation: success}
  - {CallbackName: '${/^ord-[0-9]+$/}', Operation: failure}
  - {CallbackName: '*', Operation: success}
  - {CallbackName: '${CB_NAME}', Operation: success}
`)
	b := bindingsOf("CB_NAME", "abc")
	c := newCallbackActions(acts)
	steps := []struct {
		name     string
		wantOp   string
		wantIdx  int
		wantFail bool
	}{
		{"abc", "heartbeat", 0, false}, // first unused match in file order
		{"ord-12", "failure", 2, false},
		{"approval", "success", 1, false},
		{"abc", "success", 3, false}, // '*' comes before the second ${CB_NAME}
		{"abc", "success", 4, false},
		{"abc", "", -1, true}, // every action used
	}
	for _, s := range steps {
		a, err := c.take(s.name, b)
		if s.wantFail {
			if !errors.Is(err, errNoMatchingAction) {
				t.Fatalf("take(%q) error %v, want no matching callback action", s.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("take(%q): %v", s.name, err)
		}
		if !reflect.DeepEqual(a, acts[s.wantIdx]) {
			t.Fatalf("take(%q) = %+v, want action %d", s.name, a, s.wantIdx)
		}
	}
}

func TestCallbackActionParsing(t *testing.T) {
	acts := actionsFrom(t, `
  - {CallbackName: x, Operation: SUCCESS, Payload: {status: approved}, Delay: 4}
  - {CallbackName: y, Operation: success, Payload: }
  - {CallbackName: z, Operation: success}
`)
	if acts[0].Delay.Seconds() != 4 || acts[0].Operation != "SUCCESS" {
		t.Errorf("action 0 = %+v", acts[0])
	}
	if !acts[1].HasPayload || acts[1].Payload != nil || acts[2].HasPayload {
		t.Errorf("payload presence: %+v %+v", acts[1], acts[2])
	}
	for _, bad := range []string{"  - {Operation: success}", "  - {CallbackName: x}", "  - {CallbackName: x, Operation: success, Delay: soon}"} {
		r := &Requirement{}
		if err := r.fillCallbacks(yamlValue(t, "CallbackActions:\n"+bad).(*Map)); err == nil {
			t.Errorf("%s parsed without error", bad)
		}
	}
}

func TestCallbackPayloads(t *testing.T) {
	b := bindingsOf("CB_PAYLOAD", "p1")
	acts := actionsFrom(t, `
  - {CallbackName: a, Operation: success, Payload: '${CB_PAYLOAD}'}
  - {CallbackName: a, Operation: success, Payload: {status: approved, "n": 42, who: 'é'}}
  - {CallbackName: a, Operation: success}
  - {CallbackName: a, Operation: success, Payload: 42}
  - {CallbackName: a, Operation: success, Payload: }
`)
	wantSuccess := []string{`"p1"`, `{"status": "approved", "n": 42, "who": "\u00e9"}`, "", "42", "null"}
	for i, w := range wantSuccess {
		got := successPayload(acts[i], b)
		if w == "" && got != nil || w != "" && string(got) != w {
			t.Errorf("success payload %d = %q, want %q", i, got, w)
		}
	}

	fails := actionsFrom(t, `
  - {CallbackName: a, Operation: failure, Payload: {ErrorType: Rejected, ErrorMessage: 'not ${CB_PAYLOAD}', Other: x, StackTrace: [l1, l2], ErrorData: d}}
  - {CallbackName: a, Operation: failure}
  - {CallbackName: a, Operation: failure, Payload: {Other: x}}
  - {CallbackName: a, Operation: failure, Payload: oops}
`)
	wantFail := []protocol.ErrorObject{
		{ErrorType: "Rejected", ErrorMessage: "not p1", ErrorData: "d", StackTrace: []string{"l1", "l2"}},
		{}, {},
	}
	for i, w := range wantFail {
		got, err := failurePayload(fails[i], b)
		if err != nil || !reflect.DeepEqual(got, w) {
			t.Errorf("failure payload %d = %+v, %v; want %+v", i, got, err, w)
		}
	}
	if _, err := failurePayload(fails[3], b); err == nil {
		t.Error("non-mapping failure payload accepted")
	}
}
