package nondeterminism

import (
	"log/slog"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Logged: a value read only for a line of the replay-aware logger is
// read when the line prints; on replay the line and the value are
// dropped together.
func Logged(ctx *durable.Context, id string) (string, error) {
	start := time.Now() // want `nondeterminism: time.Now in durable code`
	log := ctx.Logger().With("id", id)
	log.Info("received", "at", time.Now().UTC(), "host", os.Getenv("HOSTNAME"))
	ctx.Logger().Slog().Info("received", slog.Time("at", time.Now()))
	if err := durable.Wait(ctx, "nap", time.Until(start.Add(time.Hour))); err != nil { // want `nondeterminism: time.Until in durable code`
		return "", err
	}
	log.Info("done", "elapsed", time.Since(start).String())
	at := time.Now().Format(time.RFC3339) // want `nondeterminism: time.Now in durable code`
	log.Info("stamped", "at", at)
	slog.Info("plain", "at", time.Now()) // want `logging: slog.Info in durable code` `nondeterminism: time.Now in durable code`
	return id, nil
}

// logDone logs through the durable Logger it is handed.
func logDone(log durable.Logger, start time.Time) { log.Info("done", "elapsed", time.Since(start)) }

func LoggedInHelper(ctx *durable.Context) error { // want LoggedInHelper:"runs no durable operation"
	logDone(ctx.Logger(), time.Time{})
	return nil
}

// Inline is a handler written in place, in a package variable.
var Inline = durable.Handler(func(ctx *durable.Context, id string) (string, error) {
	return time.Now().String(), nil // want `nondeterminism: time.Now in durable code`
})
