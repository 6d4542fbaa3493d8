package maprange

import (
	"slices"
	"sync"

	durable "github.com/durable-go/durable-go/core"
)

// SyncMap: sync.Map's Range visits its entries in an unspecified order,
// like a map's range.
func SyncMap(ctx *durable.Context, seen *sync.Map) error {
	seen.Range(func(k, v any) bool { // want `maprange: sync.Map.Range visits the entries in random order, so the durable operations its function runs meet a replay in another order; collect the keys, sort them`
		return charge(ctx, k.(string)) == nil
	})
	visit := func(k, _ any) bool {
		_, err := durable.Step(ctx, "visit-"+k.(string), func(*durable.StepContext) (bool, error) { return true, nil })
		return err == nil
	}
	var local sync.Map
	local.Range(visit) // want `maprange: sync.Map.Range visits the entries in random order`

	var keys []string
	seen.Range(func(k, _ any) bool {
		keys = append(keys, k.(string))
		return true
	})
	for _, k := range keys { // want `maprange: range over keys, collected from a sync.Map in its random order, runs durable operations in another order on replay`
		_ = charge(ctx, k)
	}

	// Keys collected and sorted, or a Range without operations: fine.
	var sorted []string
	seen.Range(func(k, _ any) bool {
		sorted = append(sorted, k.(string))
		return true
	})
	slices.Sort(sorted)
	for _, k := range sorted {
		if err := charge(ctx, k); err != nil {
			return err
		}
	}
	n := 0
	seen.Range(func(_, _ any) bool { n++; return true })
	_ = n
	return nil
}
