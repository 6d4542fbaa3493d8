package durable_test

import (
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/protocol"
)

type declined struct{}

func (declined) Error() string     { return "card declined" }
func (declined) ErrorData() string { return `{"code":51}` }

// An *OperationError holds the ErrorData of the failure it reports;
// protocol §1.3 says it travels on when such an error escapes: the spec's
// own example is {"ErrorType":"StepError","ErrorMessage":"card
// declined","ErrorData":"{\"code\":51}"}. It was dropped wherever an
// operation's error was checkpointed again (the execution's, a child
// context's, a map item's).
func TestOperationErrorKeepsErrorDataWhenItEscapes(t *testing.T) {
	charge := func(ctx *durable.Context) (int, error) {
		return durable.Step(ctx, "charge", func(*durable.StepContext) (int, error) { return 0, declined{} }, durable.WithRetryStrategy(durable.NoRetry))
	}
	for _, tt := range []struct {
		name    string
		fn      func(*durable.Context, any) (int, error)
		errType string
	}{
		{"handler", func(ctx *durable.Context, _ any) (int, error) { return charge(ctx) }, "StepError"},
		{"child context", func(ctx *durable.Context, _ any) (int, error) {
			return durable.RunInChildContext(ctx, "pay", charge)
		}, "ChildContextError"},
		{"map item", func(ctx *durable.Context, _ any) (int, error) {
			r, err := durable.Map(ctx, "pay", []int{1}, func(c *durable.Context, _, _ int, _ []int) (int, error) { return charge(c) })
			if err != nil {
				return 0, err
			}
			return 0, r.All[0].Err()
		}, "BatchItemError"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exec := run(t, durable.Handler(tt.fn), nil)
			want := protocol.ErrorObject{ErrorType: tt.errType, ErrorMessage: "card declined", ErrorData: `{"code":51}`}
			if got := exec.Error(); exec.Status() != "FAILED" || got == nil || got.ErrorType != want.ErrorType || got.ErrorMessage != want.ErrorMessage || got.ErrorData != want.ErrorData {
				t.Errorf("status %s, error %+v; want FAILED with %+v", exec.Status(), got, want)
			}
		})
	}
}
