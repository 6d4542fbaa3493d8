package stepcapture

import (
	"sync"

	durable "github.com/durable-go/durable-go/core"
)

// Children: a completed child, map item or branch is not run again on
// replay, so what its function assigns in the code around is lost.
func Children(ctx *durable.Context, ids []string) (int, error) {
	total := 0
	_, err := durable.RunInChildContext(ctx, "sum", func(c *durable.Context) (int, error) {
		v, err := durable.Step(c, "v", func(*durable.StepContext) (int, error) { return 5, nil })
		total += v // want `stepcapture: the child function assigns total, captured from durable code: a completed child function is not run again on replay, so the code after it sees another value of total; return the value from the child function and use its result`
		local := v
		local++
		return local, err
	})
	if err != nil {
		return 0, err
	}
	var mu sync.Mutex
	seen := map[string]bool{}
	results := make([]int, len(ids))
	item := func(c *durable.Context, id string, i int, _ []string) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		seen[id] = true      // want `stepcapture: the map item function assigns seen`
		results[i] = len(id) // want `stepcapture: the map item function assigns results`
		return len(id), nil
	}
	if _, err := durable.Map(ctx, "items", ids, item); err != nil {
		return 0, err
	}
	var last string
	_, err = durable.Parallel(ctx, "par", []durable.Branch[int]{{Name: "a", Func: func(c *durable.Context) (int, error) {
		last = "a" // want `stepcapture: the branch function assigns last`
		return 1, nil
	}}})
	// A closure taking a context, called inline, runs on replay too.
	add := func(c *durable.Context, n int) { total += n }
	add(ctx, 1)
	return total + len(seen) + len(last), err
}

// KeptContext: a child's context kept for after the child is reported
// where it is used.
func KeptContext(ctx *durable.Context) (int, error) {
	var kept *durable.Context
	if _, err := durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		kept = child
		return 1, nil
	}); err != nil {
		return 0, err
	}
	return durable.Step(kept, "late", func(*durable.StepContext) (int, error) { return 2, nil }) // want `outerctx: kept holds the context of the child function, which has returned: an operation on it fails the execution with ErrContextDone`
}

// A ledger's methods run as children.
type ledger struct {
	balance int
	ctx     *durable.Context
}

func (l *ledger) credit(c *durable.Context) (int, error) {
	l.ctx = c
	l.balance += 10 // want `stepcapture: the child function assigns l.balance, a field of its receiver: a completed child function is not run again on replay`
	return l.balance, nil
}

func (l *ledger) Run(ctx *durable.Context) (int, error) {
	if _, err := durable.RunInChildContext(ctx, "credit", l.credit); err != nil {
		return 0, err
	}
	return l.balance, nil
}

type task struct{ done bool }

// Shared: a map item writing through its item or items writes into the
// handler's slice.
func Shared(ctx *durable.Context, tasks []*task, plain []task) (int, error) {
	_, err := durable.Map(ctx, "tasks", tasks, func(c *durable.Context, t *task, i int, all []*task) (bool, error) {
		t.done = true      // want `stepcapture: the map item function assigns t.done, through its parameter t`
		all[i].done = true // want `stepcapture: the map item function assigns all\[i\].done, through its parameter all`
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	_, err = durable.Map(ctx, "plain", plain, func(c *durable.Context, t task, i int, _ []task) (bool, error) {
		t.done = true // a copy
		return t.done, nil
	})
	return len(tasks), err
}
