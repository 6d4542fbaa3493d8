package stepcode

import (
	"os"
	"strings"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// SDKFuncs: the functions the SDK runs once, after a check or when a
// child completes, are not durable code.
func SDKFuncs(ctx *durable.Context, deadline time.Time) (string, error) {
	_, err := durable.WaitForCondition(ctx, "poll", "", func(sc *durable.StepContext, s string) (string, error) {
		b, err := os.ReadFile("/tmp/status")
		return string(b), err
	}, durable.ExponentialWaitStrategy(durable.WaitStrategyConfig[string]{
		ShouldContinue: func(s string) bool { return s != "done" && time.Now().Before(deadline) },
	}))
	if err != nil {
		return "", err
	}
	return durable.RunInChildContext(ctx, "big", func(c *durable.Context) (string, error) {
		return strings.Repeat("x", 1<<20), nil
	}, durable.WithResultSummary(func(r string) string { return time.Now().String() + ": " + r[:10] }))
}
