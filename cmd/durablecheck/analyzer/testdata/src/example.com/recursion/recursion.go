// Package recursion: helpers that call each other. What a helper reaches,
// and whether it calls a function parameter only in step bodies, must
// not depend on which of the mutually recursive helpers is looked at
// first.
package recursion

import (
	"log/slog"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// ping reads the clock and calls pong; pong reaches the clock only
// through ping. Handler looks at ping first.
func ping(n int) string {
	if n > 0 {
		return pong(n - 1)
	}
	return time.Now().String()
}

func pong(n int) string { return "pong " + ping(n) }

func Handler(ctx *durable.Context, n int) (string, error) { // want Handler:"runs no durable operation"
	a := ping(n) // want `nondeterminism: time.Now in durable code \(via recursion.ping\)`
	b := pong(n) // want `nondeterminism: time.Now in durable code \(via recursion.pong → recursion.ping\)`
	return a + b, nil
}

// Three helpers in a cycle, entered at the middle one: each reaches the
// environment through the shortest chain.
func one(n int) string {
	if n > 0 {
		return two(n - 1)
	}
	return os.Getenv("STAGE")
}

func two(n int) string { return three(n) }

func three(n int) string { return one(n) }

func Cycle(ctx *durable.Context, n int) (string, error) { // want Cycle:"runs no durable operation"
	a := two(n)   // want `nondeterminism: os.Getenv in durable code \(via recursion.two → recursion.three → recursion.one\)`
	b := three(n) // want `nondeterminism: os.Getenv in durable code \(via recursion.three → recursion.one\)`
	c := one(n)   // want `nondeterminism: os.Getenv in durable code \(via recursion.one\)`
	return a + b + c, nil
}

// logTo logs through the logger it is handed, and hands itself another
// logger: whatever its caller hands it, it logs through slog.Default.
func logTo(log *slog.Logger, n int) {
	if n > 0 {
		logTo(slog.Default(), n-1)
	}
	log.Info("level", "n", n)
}

func Logs(ctx *durable.Context, n int) (string, error) { // want Logs:"runs no durable operation"
	logTo(ctx.Logger().Slog(), n) // want `logging: slog.Logger.Info in durable code \(via recursion.logTo → recursion.logTo\)`
	return "", nil
}
