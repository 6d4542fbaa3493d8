// Package suppress: //durable:ignore <rule> <reason>.
package suppress

import (
	"log/slog"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

func Handler(ctx *durable.Context, in string) (string, error) { // want Handler:"runs no durable operation"
	_ = time.Now() //durable:ignore nondeterminism only measures the replay's own duration

	//durable:ignore logging the bootstrap banner is wanted on every invocation
	slog.Info("invocation started")

	// A suppression names one rule: another rule on the line still reports.
	_ = os.Getenv("X") //durable:ignore logging wrong rule // want `nondeterminism: os.Getenv in durable code`

	// A suppression without a reason is reported and suppresses nothing.
	_ = os.Getpid() //durable:ignore nondeterminism // want `durable:ignore nondeterminism needs a reason` `nondeterminism: os.Getpid in durable code`

	//durable:ignore clock the reason // want `durable:ignore names unknown rule clock; rules: nondeterminism, maprange, chanrange, concurrency, outerctx, logging, stepctx, stepcapture`
	_ = time.Now() // want `nondeterminism: time.Now in durable code`

	//durable:ignore // want `durable:ignore needs a rule and a reason`
	_ = time.Now() // want `nondeterminism: time.Now in durable code`

	// Only the line of the comment and the next one are covered.
	//durable:ignore nondeterminism covers the next line only

	_ = time.Now() // want `nondeterminism: time.Now in durable code`
	return in, nil
}

// Bootstrap prints its banner on every invocation, on purpose.
//
//durable:ignore logging the banner marks each invocation in the function's logs
func Bootstrap(ctx *durable.Context, in string) (string, error) { // want Bootstrap:"runs no durable operation"
	slog.Info("banner")
	slog.Info("banner", "in", in)
	_ = time.Now() // want `nondeterminism: time.Now in durable code`
	return in, nil
}
