package logging

import (
	"fmt"
	"log/slog"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Deferred: the runtime runs a durable function's deferred calls each
// time an invocation suspends, so a deferred line of the durable logger
// prints once per invocation.
func Deferred(ctx *durable.Context, id string) (err error) {
	log := ctx.Logger().With("id", id)
	defer slog.Info("bye") // want `logging: slog.Info in durable code prints again on every replay; log with ctx.Logger\(\), which drops lines while replaying \(no automatic fix: the call is deferred`
	defer func() {
		fmt.Println("closed") // want `no automatic fix: the call is deferred`
	}()
	defer log.Info("finished") // want `logging: durable.Logger.Info in a deferred call of durable code runs each time an invocation suspends`
	defer func() {
		ctx.Logger().Slog().Info("done") // want `logging: slog.Logger.Info in a deferred call of durable code runs each time an invocation suspends`
		if err != nil {
			log.Error("failed", "error", err) // conditional: prints when the function fails
		}
	}()
	_, err = durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		defer child.Logger().Infof("child %s done", id) // want `logging: durable.Logger.Infof in a deferred call`
		return 0, durable.Wait(child, "nap", time.Second)
	})
	if err != nil {
		return err
	}
	return durable.Wait(ctx, "nap", time.Second)
}

// DeferredInStep: a step body does not suspend halfway.
func DeferredInStep(ctx *durable.Context) (int, error) {
	return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
		defer sc.Logger().Info("attempt done")
		return 1, nil
	})
}
