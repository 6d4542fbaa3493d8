// Package logging: rule logging where no fix is mechanical, and logging
// that is fine.
package logging

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
	zlog "github.com/rs/zerolog/log"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
)

func Handler(ctx *durable.Context, id string) (string, error) {
	fields := []zap.Field{zap.String("id", id)}

	log.Fatal("bye")                                           // want `logging: log.Fatal in durable code prints again on every replay; log with ctx.Logger\(\), which drops lines while replaying \(no automatic fix: log.Fatal exits the process; return an error instead\)`
	log.Println("id", id)                                      // want `no automatic fix: it prints its operands rather than a message with key/value pairs`
	slog.Log(context.Background(), slog.Level(2), "x", "k", 1) // want `no automatic fix: the level is not one of slog's level constants`
	n, _ := fmt.Println("counted")                             // want `no automatic fix: the call's results are used`
	zap.L().Info("fields", fields...)                          // want `no automatic fix: the fields are passed as a slice`
	zap.L().Info("ns", zap.Namespace("order"))                 // want `no automatic fix: zap.Namespace\("order"\) is not a key/value zap field`
	zap.S().Panicw("bad", "id", id)                            // want `no automatic fix: zap.SugaredLogger.Panicw panics`
	ev := zlog.Info().Str("id", id)
	ev.Msg("built elsewhere")                 // want `no automatic fix: the zerolog event is built elsewhere`
	zlog.Info().Str("id", id).Msgf("n=%d", n) // want `no automatic fix: Msgf with fields`
	logrus.Trace("fine-grained")              // want `no automatic fix: the durable Logger has no trace level`
	entry := logrus.WithField("id", id)
	entry.Info("entry")                                      // want `no automatic fix: the logrus entry is built elsewhere`
	logrus.WithField("id", id).Infof("n=%d", n)              // want `no automatic fix: a formatted message with fields`
	zlog.Print("zerolog print", id)                          // want `logging: log.Print in durable code`
	println("builtin")                                       // want `logging: println in durable code prints again on every replay`
	(*slog.Logger).Info(slog.Default(), "method expression") // want `no automatic fix: the logger is passed as an argument \(a method expression\)`
	zap.L().Named("svc").Info("named")                       // want `no automatic fix: the logger is derived with zap.Logger.Named here`
	zap.S().With(zap.String("k", id)).Infow("typed field")   // want `no automatic fix: zap.String\("k", id\) is a zap.Field`

	// Not logging to stdout, or replay-aware: fine.
	ctx.Logger().Info("replay-aware", "id", id)
	_ = fmt.Sprintf("id=%s", id)
	fmt.Fprintf(os.NewFile(3, "fd3"), "to a file %s", id)
	_, err := durable.Step(ctx, "step", func(sc *durable.StepContext) (int, error) {
		slog.Info("once per attempt") // a step body is not durable code
		sc.Logger().Info("step logger")
		return 0, nil
	})
	return id, err
}

// helperNoCtx logs from durable code called without a context: no fix.
func Child(ctx *durable.Context, _ string) (int, error) {
	return durable.RunInChildContext(ctx, "child", func(_ *durable.Context) (int, error) {
		slog.Info("child") // want `logging: slog.Info in durable code prints again on every replay; log with the durable context's Logger\(\), which drops lines while replaying \(no automatic fix: no \*durable.Context parameter is in scope here\)`
		return 0, nil
	})
}

// Shadowed: ctx is not the durable context where the call is.
func Shadowed(ctx *durable.Context, _ string) (int, error) { // want Shadowed:"runs no durable operation"
	{
		ctx := context.Background()
		slog.InfoContext(ctx, "shadowed") // want `no automatic fix: no \*durable.Context parameter is in scope here`
	}
	return 0, nil
}

// Gated: lines logged only while the context is not replaying print
// once, like ctx.Logger()'s; the clock is still read on every replay.
// EarlyReturn logs after returning early while replaying: what follows
// runs only while the context is not replaying, and prints once.
func EarlyReturn(ctx *durable.Context, verbose bool) (int, error) { // want EarlyReturn:"runs no durable operation"
	if ctx.IsReplaying() {
		slog.Info("replaying") // want `logging: slog.Info in durable code`
		return 0, nil
	}
	slog.Info("first run only")
	fmt.Println("banner")
	_ = time.Now() // want `nondeterminism: time.Now in durable code`
	if verbose {
		log.Printf("verbose %v", verbose)
	}
	return 1, nil
}

// EarlyContinue leaves the rest of a loop's body while replaying, with
// continue or break: what follows runs only while not replaying.
func EarlyContinue(ctx *durable.Context, items []string) error { // want EarlyContinue:"runs no durable operation"
	for _, item := range items {
		if ctx.IsReplaying() {
			continue
		}
		slog.Info("item", "item", item)
	}
outer:
	for range items {
		for range items {
			if ctx.IsReplaying() {
				break outer
			}
			log.Printf("once")
		}
	}
	for i := range items {
		if ctx.IsReplaying() {
			goto next // may jump forward into the block: not a gate
		}
		slog.Info("maybe replaying") // want `logging: slog.Info in durable code`
	next:
		slog.Info("replaying too", "i", i) // want `logging: slog.Info in durable code`
	}
	return nil
}

// EarlyReturnInCase returns early in a case of a switch or select.
func EarlyReturnInCase(ctx *durable.Context, kind string, done chan struct{}) error { // want EarlyReturnInCase:"runs no durable operation"
	switch kind {
	case "a":
		if ctx.IsReplaying() {
			return nil
		}
		slog.Info("case a")
	default:
		slog.Info("default") // want `logging: slog.Info in durable code`
	}
	select {
	case <-done:
		if ctx.IsReplaying() {
			break
		}
		log.Print("done")
	default:
	}
	return nil
}

// StoredReplayState tests a local variable holding ctx.IsReplaying():
// a context that was not replaying when it was read is not replaying
// afterwards either.
func StoredReplayState(ctx *durable.Context, verbose bool) error { // want StoredReplayState:"runs no durable operation"
	replaying := ctx.IsReplaying()
	if !replaying {
		slog.Info("first run only")
	}
	var was bool // false until assigned, whatever the replay state
	was = ctx.IsReplaying()
	if !was {
		slog.Info("not assigned on every path") // want `logging: slog.Info in durable code`
	}
	changed := ctx.IsReplaying()
	if verbose {
		changed = false
	}
	if !changed {
		slog.Info("maybe replaying") // want `logging: slog.Info in durable code`
	}
	if replaying {
		return nil
	}
	log.Print("after the gate")
	return nil
}

// NoEarlyReturn only looks like EarlyReturn: its gate does not return, so
// what follows runs while replaying too.
func NoEarlyReturn(ctx *durable.Context, verbose bool) (int, error) { // want NoEarlyReturn:"runs no durable operation"
	if ctx.IsReplaying() {
		verbose = false
	}
	slog.Info("every replay") // want `logging: slog.Info in durable code`
	for i := 0; i < 2; i++ {
		if ctx.IsReplaying() {
			i++
		}
		slog.Info("in the loop") // want `logging: slog.Info in durable code`
	}
	if !ctx.IsReplaying() {
		return 0, nil
	}
	slog.Info("replaying only") // want `logging: slog.Info in durable code`
	return 1, nil
}

func Gated(ctx *durable.Context, verbose bool) (int, error) {
	if !ctx.IsReplaying() {
		slog.Info("first run only")
		fmt.Println("banner")
		_ = time.Now() // want `nondeterminism: time.Now in durable code`
	}
	if verbose && !ctx.IsReplaying() {
		log.Printf("verbose %v", verbose)
	}
	if ctx.IsReplaying() {
		slog.Info("replaying") // want `logging: slog.Info in durable code`
	} else {
		slog.Info("not replaying")
	}
	if verbose || !ctx.IsReplaying() {
		slog.Info("maybe replaying") // want `logging: slog.Info in durable code`
	}
	return durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		if !ctx.IsReplaying() { // want `outerctx: ctx is a captured outer durable context`
			slog.Info("the parent's replay state") // want `logging: slog.Info in durable code`
		}
		return 0, nil
	})
}
