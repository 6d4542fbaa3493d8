package logrusadapter_test

import (
	"context"
	"sync"
	"testing"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/sirupsen/logrus"
)

type traceKey struct{}

// traceHook records the trace id it finds in each entry's context.
type traceHook struct {
	mu  sync.Mutex
	ids []string
}

func (*traceHook) Levels() []logrus.Level { return logrus.AllLevels }
func (h *traceHook) Fire(e *logrus.Entry) error {
	id, _ := e.Context.Value(traceKey{}).(string)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ids = append(h.ids, id)
	return nil
}

// The invocation's and the step's context.Context reach logrus hooks as
// the entry's Context.
func TestContextReachesHooks(t *testing.T) {
	native := logrus.New()
	hook := &traceHook{}
	native.AddHook(hook)
	native.SetOutput(&syncBuffer{})
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().Info("in context")
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Info("in step")
			return 1, nil
		})
	}, durable.WithLogger(logrusadapter.New(native)))
	goctx := context.WithValue(context.Background(), traceKey{}, "t-1")
	if _, err := durabletest.NewRunner(h).Run(goctx, nil); err != nil {
		t.Fatal(err)
	}
	if len(hook.ids) != 2 || hook.ids[0] != "t-1" || hook.ids[1] != "t-1" {
		t.Errorf("hook saw trace ids %q, want t-1 on both lines", hook.ids)
	}
}
