package transitive

import (
	"example.com/helpers"
	durable "github.com/durable-go/durable-go/core"
)

// OtherPackageWrapper: a function literal handed to another package's
// wrapper of durable.RunInChildContext runs as a child function.
func OtherPackageWrapper(ctx *durable.Context) (int, error) {
	total := 0
	_, err := helpers.InChild(ctx, "child", func(c *durable.Context) (int, error) {
		total++ // want `stepcapture: the child function assigns total, captured from durable code`
		return total, nil
	})
	return total, err
}
