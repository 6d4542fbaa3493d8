package durable_test

import (
	"context"
	"errors"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
)

// panicOnStart is a plugin whose invocation-start hook panics.
type panicOnStart struct{ plugin.Base }

func (panicOnStart) OnInvocationStart(context.Context, *plugin.InvocationInfo) { panic("faulty") }
func (panicOnStart) OnInvocationEnd(context.Context, *plugin.InvocationInfo)   {}

// documentedSDKAreas returns the areas of the README's table of the SDK's
// own logs.
func documentedSDKAreas(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatalf("reading the README: %v", err)
	}
	_, table, ok := strings.Cut(string(readme), "| Area (`logger`) |")
	if !ok {
		t.Fatal("the README has no table of the SDK's log areas")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	var areas []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z.]+)` \\|").FindAllStringSubmatch(table, -1) {
		areas = append(areas, m[1])
	}
	if len(areas) == 0 {
		t.Fatal("the README's table of the SDK's log areas lists none")
	}
	return areas
}

// Item 10: every area the README documents logs at least one decision, and
// every area that logs is documented.
func TestSDKLogsEveryDocumentedArea(t *testing.T) {
	lines := sdkLines(t, func(opts ...durable.Option) durabletest.Handler {
		opts = append(opts, durable.WithPlugins(panicOnStart{}))
		return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			v, err := durable.RunInChildContext(ctx, "big", func(c *durable.Context) (string, error) {
				return durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString, nil })
			})
			if err != nil {
				return 0, err
			}
			if _, err := durable.Step(ctx, "flaky", func(sc *durable.StepContext) (int, error) {
				if sc.Attempt() == 1 {
					return 0, errors.New("unavailable")
				}
				return 1, nil
			}, durable.WithRetryStrategy(func(error, int) durable.RetryDecision {
				return durable.RetryDecision{ShouldRetry: true, Delay: time.Second}
			})); err != nil {
				return 0, err
			}
			return len(v), durable.Wait(ctx, "", time.Second)
		}, opts...)
	})
	logged := map[string]int{}
	for _, l := range lines {
		area, _ := l["logger"].(string)
		logged[area]++
	}
	documented := documentedSDKAreas(t)
	for _, area := range documented {
		if logged[area] == 0 {
			t.Errorf("area %s is in the README's table but logged nothing", area)
		}
		delete(logged, area)
	}
	var undocumented []string
	for area := range logged {
		undocumented = append(undocumented, area)
	}
	sort.Strings(undocumented)
	if len(undocumented) > 0 {
		t.Errorf("areas %q logged but are not in the README's table", undocumented)
	}
}
