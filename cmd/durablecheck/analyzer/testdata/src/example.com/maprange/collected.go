package maprange

import (
	"maps"
	"slices"
	"sort"

	durable "github.com/durable-go/durable-go/core"
)

// Collected: keys collected from a map keep its random order until they
// are sorted.
func Collected(ctx *durable.Context, prices map[string]int) (int, error) {
	keys := slices.Collect(maps.Keys(prices))
	for _, k := range keys { // want `maprange: range over keys, collected from a map in its random order, runs durable operations`
		if err := charge(ctx, k); err != nil {
			return 0, err
		}
	}
	var names []string
	for name := range prices {
		names = append(names, name)
	}
	item := func(c *durable.Context, n string, _ int, _ []string) (int, error) { return len(n), nil }
	_, _ = durable.Map(ctx, "names", names, item) // want `maprange: durable.Map over names, collected from a map in its random order`

	// Sorted, or ranged over without operations: fine.
	sorted := make([]string, 0, len(prices))
	for name := range prices {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		if err := charge(ctx, k); err != nil {
			return 0, err
		}
	}
	other := slices.Collect(maps.Keys(prices))
	slices.Sort(other)
	_, _ = durable.Map(ctx, "other", other, item)
	total := 0
	for _, k := range keys {
		total += len(k)
	}
	var listed []string
	for _, k := range slices.Sorted(maps.Keys(prices)) {
		listed = append(listed, k)
	}
	_, err := durable.Map(ctx, "listed", listed, item)
	return total, err
}

// branchFor returns the branch of a region.
func branchFor(region string) func(*durable.Context) (int, error) {
	return func(c *durable.Context) (int, error) { return len(region), durable.Wait(c, "settle", 0) }
}

// Branches: branches appended in a map's order run under shifted
// indices on replay.
func Branches(ctx *durable.Context, regions map[string]bool) error {
	var branches []durable.Branch[int]
	for r := range regions {
		branches = append(branches, durable.Branch[int]{Name: r, Func: branchFor(r)})
	}
	_, err := durable.Parallel(ctx, "regions", branches) // want `maprange: durable.Parallel over branches, collected from a map in its random order`
	return err
}

// names sorts itself.
type names []string

func (n names) Sort() { sort.Strings(n) }

// SortedByMethod: a slice of a type with a sorting method.
func SortedByMethod(ctx *durable.Context, prices map[string]int) error {
	var ns names
	for k := range prices {
		ns = append(ns, k)
	}
	ns.Sort()
	for _, k := range ns {
		if err := charge(ctx, k); err != nil {
			return err
		}
	}
	return nil
}
