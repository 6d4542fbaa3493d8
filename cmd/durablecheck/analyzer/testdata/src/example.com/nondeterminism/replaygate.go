package nondeterminism

import (
	"log/slog"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// ReplayGate: operations that run only while the context is not
// replaying (or only while it is) shift the operations after them on
// replay.
func ReplayGate(ctx *durable.Context, id string) error {
	if !ctx.IsReplaying() { // want `nondeterminism: durable operations that run only while ctx is not replaying`
		if err := durable.Wait(ctx, "once", time.Second); err != nil {
			return err
		}
	}
	replaying := ctx.IsReplaying()
	if replaying { // want `nondeterminism: durable operations that run only while ctx is not replaying`
		slog.Info("replaying") // want `logging: slog.Info in durable code`
	} else {
		_ = notifyOps(ctx)
	}
	if !ctx.IsReplaying() {
		slog.Info("live", "id", id) // the logging idiom: fine
	}
	return nil
}

// EarlyReturn: returning while replaying skips what follows on replay.
func EarlyReturn(ctx *durable.Context) error {
	if ctx.IsReplaying() { // want `nondeterminism: durable operations that run only while ctx is not replaying`
		return nil
	}
	return durable.Wait(ctx, "after", time.Second)
}

func notifyOps(ctx *durable.Context) error {
	_, err := durable.Step(ctx, "notify", func(*durable.StepContext) (bool, error) { return true, nil })
	return err
}
