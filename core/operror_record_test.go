package durable

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

// Every field of an ErrorObject is optional (protocol §1.3) and a record
// may end FAILED, TIMED_OUT or STOPPED without one: the operation's error
// must still say something, not be a blank message.
func TestRecordedFailureWithoutErrorObjectIsNotBlank(t *testing.T) {
	id := operationID("", 1)
	for _, tt := range []struct {
		rec  string
		call func(*Context) error
	}{
		{`{"Id":"` + id + `","Type":"CHAINED_INVOKE","SubType":"ChainedInvoke","Status":"STOPPED"}`, func(c *Context) error {
			_, err := Invoke[int](c, "", "target", 1)
			return err
		}},
		{`{"Id":"` + id + `","Type":"STEP","SubType":"Step","Name":"s","Status":"FAILED"}`, func(c *Context) error {
			_, err := Step(c, "s", func(*StepContext) (int, error) { return 1, nil })
			return err
		}},
		{`{"Id":"` + id + `","Type":"CONTEXT","SubType":"RunInChildContext","Status":"FAILED"}`, func(c *Context) error {
			_, err := RunInChildContext(c, "", func(*Context) (int, error) { return 1, nil })
			return err
		}},
		{`{"Id":"` + id + `","Type":"CALLBACK","SubType":"Callback","Status":"TIMED_OUT","CallbackDetails":{"CallbackId":"cb"}}`, func(c *Context) error {
			cb, err := CreateCallback[string](c, "")
			if err != nil {
				return err
			}
			_, err = cb.Result()
			return err
		}},
	} {
		var rec protocol.Operation
		if err := json.Unmarshal([]byte(tt.rec), &rec); err != nil {
			t.Fatal(err)
		}
		t.Run(string(rec.Type), func(t *testing.T) {
			fn := Handler(func(c *Context, _ any) (string, error) {
				err := tt.call(c)
				if err == nil {
					return "no error", nil
				}
				return err.Error(), nil
			}, withService(nopService{}))
			payload := `{"DurableExecutionArn":"a/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"},` + tt.rec + `]}}`
			out, err := fn.Handle(context.Background(), []byte(payload))
			if err != nil || out.Status != protocol.InvocationSucceeded {
				t.Fatalf("Handle = %+v, %v", out, err)
			}
			if msg := *out.Result; !strings.Contains(msg, string(rec.Status)) {
				t.Errorf("the operation's error says %s; want it to name the status %s", msg, rec.Status)
			}
		})
	}
}
