package recursion

import (
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// A node walks a tree through an interface: its implementation calls the
// interface again.
type node interface{ visit(depth int) time.Time }

type tree struct{ kids []node }

func (t tree) visit(depth int) time.Time {
	if depth == 0 || len(t.kids) == 0 {
		return time.Now()
	}
	return t.kids[0].visit(depth - 1)
}

func Walk(ctx *durable.Context, n int) (string, error) { // want Walk:"runs no durable operation"
	var root node = tree{}
	return root.visit(n).String(), nil // want `nondeterminism: time.Now in durable code \(via recursion.tree.visit\)`
}
