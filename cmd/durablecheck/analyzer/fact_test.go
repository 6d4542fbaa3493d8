package analyzer

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"
)

// Drivers such as go vet hand facts between packages gob-encoded: every
// field a finding needs must survive the round trip.
func TestFactRoundTrip(t *testing.T) {
	in := &effectsFact{Module: "example.com/m", Reaches: []reach{
		effect{Rule: ruleNondeterminism, What: "time.Now", Hint: hintClock}.via([]string{"m.Stamp", "m.now"}),
		{Rule: ruleLogging, What: "slog.Logger.Info", Hint: "h", Chain: []string{"m.Log"}, Param: 2},
	}, Returned: []reach{
		effect{Rule: ruleNondeterminism, What: "time.Sleep", Hint: hintTimer}.via([]string{"m.Backoff's result"}),
	}}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	out := new(effectsFact)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("decoded %+v, want %+v", out, in)
	}
}

// The other facts survive the round trip too.
func TestOtherFactsRoundTrip(t *testing.T) {
	for _, in := range []any{&stepParamsFact{Params: []int{0, 2}, Returned: []int{1}, Children: []childArg{{Index: 3, What: "the child function"}}}, &noOpsFact{}, &heldOpsFact{Exprs: []string{"w.ctx"}}, &fieldCallFact{Module: "example.com/m", Calls: []fieldCall{{Param: 1, Field: "m.Deps.Now", Caller: "m.Deps.Handle", At: "m.go:12", Chain: []string{"m.Deps.deadline"}, Ignored: []string{ruleLogging}}}}} {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(&in); err != nil {
			t.Fatalf("%T: %v", in, err)
		}
		var out any
		if err := gob.NewDecoder(&buf).Decode(&out); err != nil {
			t.Fatalf("%T: %v", in, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("decoded %#v, want %#v", out, in)
		}
	}
}

func init() {
	gob.Register(&stepParamsFact{})
	gob.Register(&noOpsFact{})
	gob.Register(&heldOpsFact{})
	gob.Register(&fieldCallFact{})
}
