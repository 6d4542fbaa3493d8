package durable_test

import (
	"fmt"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// Items still running when their Map completes (WithMinSuccessful) are
// orphaned: none of their updates may reach the service after the map's
// SUCCEED. Twenty items of many steps each fill the checkpoint queue, so
// items are waiting to queue their updates when the map completes.
func TestOrphanedItemsSendNothingAfterTheirMap(t *testing.T) {
	for iter := range 10 {
		ended := map[string]bool{}
		var late []string
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			items := make([]int, 20)
			res, err := durable.Map(ctx, "m", items, func(c *durable.Context, _ int, i int, _ []int) (int, error) {
				for k := range 30 * (i + 1) {
					if _, err := durable.Step(c, "", func(*durable.StepContext) (int, error) { return k, nil }); err != nil {
						return 0, err
					}
				}
				return i, nil
			}, durable.WithMinSuccessful(2))
			if err != nil {
				return 0, err
			}
			return res.SuccessCount(), nil
		})
		exec := run(t, h, nil, durabletest.WithCrash(func(inv int, u protocol.OperationUpdate) bool {
			if ended[u.ParentID] {
				late = append(late, fmt.Sprintf("invocation %d: %s %s %q", inv, u.Action, u.Type, u.Name))
			}
			if u.Type == protocol.OperationTypeContext && (u.Action == protocol.ActionSucceed || u.Action == protocol.ActionFail) {
				ended[u.ID] = true
			}
			return false
		}))
		if exec.Status() != "SUCCEEDED" || len(late) > 0 {
			t.Fatalf("run %d: %s %v; %d updates after their parent ended: %v", iter, exec.Status(), exec.Error(), len(late), late[:min(5, len(late))])
		}
	}
}
