package durable_test

import (
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// A logger taken from the handler's context at its top and used inside a
// child, a map item or a branch logs each line once, on the run that
// reaches it first, also after the child suspended and resumed in a later
// invocation: log := ctx.Logger() at the top of a handler is the common
// way to write one.
func TestOuterLoggerInsideChildrenPrintsOnce(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		log := ctx.Logger()
		log.Info("start")
		_, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			log.Info("child before wait")
			if err := durable.Wait(c, "w", time.Second); err != nil {
				return 0, err
			}
			log.Info("child after wait")
			return 1, nil
		})
		if err != nil {
			return 0, err
		}
		_, err = durable.Map(ctx, "m", []int{0, 1}, func(c *durable.Context, it, _ int, _ []int) (int, error) {
			if err := durable.Wait(c, "w", time.Second); err != nil {
				return 0, err
			}
			log.Info("item after wait", "item", it)
			return it, nil
		})
		if err != nil {
			return 0, err
		}
		log.Info("end")
		return 0, nil
	})
	exec := run(t, h, nil)
	wantResult(t, exec, "0")
	wantPrintedOnce(t, exec, "start", "child before wait", "child after wait", "end")
	wantPrinted(t, exec, 2, "item after wait") // once per item
}
