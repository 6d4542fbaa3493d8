package durabletest

import (
	"container/heap"
	"time"
)

// DefaultStartTime is where the virtual clock of a Runner starts unless
// WithStartTime says otherwise: 2026-01-01T00:00:00Z.
var DefaultStartTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// clock is the service's virtual clock. Time moves only when the runner
// advances it; timers fire in (due time, scheduling order), each with the
// clock set to its own instant. It is guarded by Service.mu.
type clock struct {
	now    time.Time
	timers timerHeap
	seq    uint64
}

// timer is a scheduled service-side transition: a wait ending, a retry
// coming due, a callback or execution timing out.
type timer struct {
	at   time.Time
	seq  uint64
	fire func()
	// background timers (execution timeouts) do not count as progress for
	// RunToCompletion: an execution blocked on a callback without timeout
	// reports ErrBlocked instead of jumping to its timeout a year later.
	background bool
	cancelled  bool
}

func (t *timer) cancel() {
	if t != nil {
		t.cancelled = true
	}
}

func newClock(start time.Time) *clock { return &clock{now: start} }

// schedule arranges for fire to run when the clock reaches at.
func (c *clock) schedule(at time.Time, background bool, fire func()) *timer {
	c.seq++
	t := &timer{at: at, seq: c.seq, fire: fire, background: background}
	heap.Push(&c.timers, t)
	return t
}

// next returns the earliest live timer, skipping background ones unless
// asked for them.
func (c *clock) next(includeBackground bool) (*timer, bool) {
	c.dropCancelled()
	var best *timer
	for _, t := range c.timers {
		if t.cancelled || (t.background && !includeBackground) {
			continue
		}
		if best == nil || t.before(best) {
			best = t
		}
	}
	return best, best != nil
}

// fireNext moves the clock to the earliest live timer if it is due no
// later than limit, and fires every timer due at that instant, in order.
// It reports whether anything fired.
func (c *clock) fireNext(limit time.Time) bool {
	t, ok := c.next(true)
	if !ok || t.at.After(limit) {
		return false
	}
	if t.at.After(c.now) {
		c.now = t.at
	}
	for {
		c.dropCancelled()
		if len(c.timers) == 0 || c.timers[0].at.After(c.now) {
			return true
		}
		t := heap.Pop(&c.timers).(*timer)
		t.fire()
	}
}

func (c *clock) dropCancelled() {
	for len(c.timers) > 0 && c.timers[0].cancelled {
		heap.Pop(&c.timers)
	}
}

func (t *timer) before(o *timer) bool {
	if !t.at.Equal(o.at) {
		return t.at.Before(o.at)
	}
	return t.seq < o.seq
}

// timerHeap orders timers by due time, then scheduling order.
type timerHeap []*timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].before(h[j]) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(*timer)) }

func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return t
}
