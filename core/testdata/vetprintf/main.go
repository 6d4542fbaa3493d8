// Command vetprintf misuses the context logger's f variants; go vet must
// report each call (see TestVetChecksLoggerFormats).
package main

import (
	"errors"

	durable "github.com/durable-go/durable-go/core"
)

func handler(ctx *durable.Context, _ any) (int, error) {
	log := ctx.Logger()
	log.Debugf("debug %d", "text")
	log.Infof("info %s %s", "one")
	log.Warningf("warning", 42)
	log.Errorf("error %w", errors.New("declined"))
	_, err := durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
		sc.Logger().Infof("step %d", "text")
		return 0, nil
	})
	return 0, err
}

func main() { _ = durable.Handler(handler) }
