package zerologadapter_test

import (
	"bytes"
	"context"
	"testing"

	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/rs/zerolog"
)

type traceKey struct{}

// traceHook writes the trace id it finds in the event's context.
type traceHook struct{}

func (traceHook) Run(e *zerolog.Event, _ zerolog.Level, _ string) {
	if id, ok := e.GetCtx().Value(traceKey{}).(string); ok {
		e.Str("traceId", id)
	}
}

// The invocation's and the step's context.Context reach zerolog hooks.
func TestContextReachesHooks(t *testing.T) {
	var buf bytes.Buffer
	l := zerologadapter.New(zerolog.New(&buf).Hook(traceHook{}))
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().Info("in context")
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Info("in step")
			return 1, nil
		})
	}, durable.WithLogger(l))
	goctx := context.WithValue(context.Background(), traceKey{}, "t-1")
	if _, err := durabletest.NewRunner(h).Run(goctx, nil); err != nil {
		t.Fatal(err)
	}
	lines := decode(t, &buf)
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	for _, l := range lines {
		if l["traceId"] != "t-1" {
			t.Errorf("line %v: the hook did not find the trace id in the event's context", l)
		}
	}
}

// A line logged without a context of its own (a *Logger used directly,
// whose methods pass context.Background) keeps the context bound to the
// zerolog.Logger with With().Ctx.
func TestLoggersOwnContextKept(t *testing.T) {
	var buf bytes.Buffer
	goctx := context.WithValue(context.Background(), traceKey{}, "t-2")
	l := zerologadapter.New(zerolog.New(&buf).Hook(traceHook{}).With().Ctx(goctx).Logger())
	l.Info("direct")
	lines := decode(t, &buf)
	if len(lines) != 1 || lines[0]["traceId"] != "t-2" {
		t.Errorf("lines %v: want one line with the trace id of the logger's own context", lines)
	}
}
