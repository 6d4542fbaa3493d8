package maprange

import (
	"slices"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Fanned: goroutines feed the channel, so its values arrive in an order
// their timing decides.
func Fanned(ctx *durable.Context, ids []string) error {
	found := make(chan string, len(ids))
	for _, id := range ids {
		go func() { found <- lookup(id) }()
	}
	for id := range found { // want `chanrange: range over a channel runs durable operations in the order its values arrive, which the goroutines sending them decide, so a replay meets them in another order; compute the values with durable.Map or durable.Parallel`
		if err := charge(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func lookup(id string) string { return id }

// feed fills a channel on its caller's goroutine, but the analyzer does
// not look into it: any function handed the channel may start goroutines.
func feed(ch chan<- string, ids []string) {
	for _, id := range ids {
		ch <- id
	}
	close(ch)
}

// Channels of unknown origin: a parameter, one handed to a function, a
// ticker.
func Unknown(ctx *durable.Context, in <-chan string, ids []string) error {
	for id := range in { // want `chanrange: range over a channel runs durable operations`
		_ = durable.Wait(ctx, "pause-"+id, time.Second)
	}
	handed := make(chan string, len(ids))
	feed(handed, ids)
	for id := range handed { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, id)
	}
	for range time.Tick(time.Second) { // want `chanrange: range over a channel` `nondeterminism: time.Tick in durable code`
		_, _ = durable.RunInChildContext(ctx, "tick", func(c *durable.Context) (int, error) { return 0, nil })
	}
	return nil
}

// Arrived: values gathered from a channel keep their arrival order.
func Arrived(ctx *durable.Context, ids []string) error {
	results := make(chan string)
	for _, id := range ids {
		go func() { results <- lookup(id) }()
	}
	var got []string
	for range ids {
		got = append(got, <-results)
	}
	for _, id := range got { // want `chanrange: range over got, collected from a channel in the order its values arrived`
		_ = charge(ctx, id)
	}
	var picked []string
	for range ids {
		select {
		case id := <-results:
			picked = append(picked, id)
		case <-ctx.Context().Done():
			return ctx.Context().Err()
		}
	}
	_, _ = durable.Map(ctx, "picked", picked, func(c *durable.Context, id string, _ int, _ []string) (int, error) { return len(id), nil }) // want `chanrange: durable.Map over picked, collected from a channel in the order its values arrived`
	done := make(chan string)
	go feed(done, ids)
	var arrived []string
	for id := range done {
		arrived = append(arrived, id)
	}
	for _, id := range arrived { // want `chanrange: range over arrived, collected from a channel in the order its values arrived, runs durable operations in another order on replay`
		_ = charge(ctx, id)
	}
	item := func(c *durable.Context, id string, _ int, _ []string) (int, error) { return len(id), nil }
	_, _ = durable.Map(ctx, "arrived", arrived, item) // want `chanrange: durable.Map over arrived, collected from a channel in the order its values arrived`

	// Sorted first: fine.
	again := make(chan string)
	go feed(again, ids)
	var sorted []string
	for id := range again {
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)
	_, err := durable.Map(ctx, "sorted", sorted, item)
	return err
}

// InPlace: a channel the function makes and fills itself, with no
// goroutine and without handing it on, yields its values in the order it
// sent them: nothing to report.
func InPlace(ctx *durable.Context, ids []string) error {
	queue := make(chan string, len(ids))
	for _, id := range ids {
		queue <- id
	}
	close(queue)
	for id := range queue {
		if err := charge(ctx, id); err != nil {
			return err
		}
	}
	var pending = make(chan string, 2)
	pending <- "a"
	pending <- "b"
	close(pending)
	var order []string
	for id := range pending {
		order = append(order, id)
	}
	for _, id := range order {
		_ = charge(ctx, id)
	}
	queued := make(chan string, 1)
	var received []string
	for _, id := range ids {
		queued <- id
		received = append(received, <-queued)
	}
	for _, id := range received {
		_ = charge(ctx, id)
	}
	// A channel range without durable operations is fine too.
	total := 0
	found := make(chan string, len(ids))
	go func() { found <- ids[0]; close(found) }()
	for id := range found {
		total += len(id)
	}
	_ = total
	return nil
}

// Suppressed: the one goroutine sends in order.
func Suppressed(ctx *durable.Context, ids []string) {
	ch := make(chan string)
	go feed(ch, ids)
	//durable:ignore chanrange feed sends the ids in order from one goroutine
	for id := range ch {
		_ = charge(ctx, id)
	}
}

// Producers: one goroutine started once, sending in its own program
// order, is the only sender: its values arrive in that order.
func Producers(ctx *durable.Context, ids []string, prices map[string]int) error {
	piped := make(chan string)
	go func() {
		defer close(piped)
		for _, id := range ids {
			piped <- lookup(id)
		}
	}()
	for id := range piped {
		if err := charge(ctx, id); err != nil {
			return err
		}
	}

	// Two senders, a sender started in a loop, a sender ranging over a
	// map, a sender besides the function itself, a sender in a select:
	// the order is timing's (or the map's).
	two := make(chan string)
	go func() { two <- ids[0] }()
	go func() { two <- ids[1] }()
	for id := range two { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, id)
	}
	looped := make(chan string, len(ids))
	for _, id := range ids {
		go func() { looped <- id }()
	}
	for id := range looped { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, id)
	}
	keys := make(chan string)
	go func() {
		for k := range prices {
			keys <- k
		}
		close(keys)
	}()
	for k := range keys { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, k)
	}
	mixed := make(chan string, 2)
	go func() { mixed <- ids[0] }()
	mixed <- ids[1]
	for id := range mixed { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, id)
	}
	selected := make(chan string)
	go func() {
		defer close(selected)
		for range ids {
			select {
			case selected <- ids[0]:
			case selected <- ids[1]:
			}
		}
	}()
	for id := range selected { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, id)
	}
	merged := make(chan string)
	go func() {
		for {
			select {
			case id := <-two:
				merged <- id
			case <-ctx.Context().Done():
				return
			}
		}
	}()
	for id := range merged { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, id)
	}
	return nil
}
