package durable

import (
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// In-process resume of map items and parallel branches (protocol §8.7).
//
// A suspended item keeps its slot. While other items of its batch still
// run, the batch waits for whichever comes first: an item's end, or the
// earliest time a suspended item's timer (a wait's end, a retry's next
// attempt) is due. When that time comes, the batch refreshes the state
// with one checkpoint call (an empty one when nothing is queued) and
// starts again, in the same invocation and the same slot, every suspended
// item whose awaited operation the service has moved on meanwhile (a wait
// SUCCEEDED, a retry READY, a callback completed). The item starts from
// its start in replay, as it would in the next invocation: its completed
// operations return their records, no step runs twice, and the lines it
// logged before it suspended are dropped as replay. Items due before the
// batch would suspend (every other item ended past their time) resume the
// same way instead of ending the invocation.
//
// An item need not wait for a timer when another item's checkpoint
// response reports its awaited operation moved on (a callback completed
// from outside, a wait the service ended): the checkpointer closes the
// channel of movement when it merges a response that completes an
// operation or makes one READY, and a batch with waiting items waits on
// that channel too. Woken, the batch resumes the items whose operation the
// state shows moved on through the same path (resumeDue: a refresh first,
// so that the updates still queued are sent before the item replays),
// while its other items still run. A batch without waiting items asks for
// no channel, and a response no batch waits on costs one atomic load. An
// item the refresh could not restart (restart) does not wake the batch
// again until a later response moves something on (refreshPacer.stuck).
//
// An item due by the clock whose operation the service has not moved on
// yet (the service's timers may lag behind their scheduled time, or the
// clocks differ) stays suspended: the next refresh waits at least
// minRefreshBackoff, doubling after each refresh that resumed nothing due
// up to maxRefreshBackoff. That bounds the calls a lagging service costs
// while other items run (one after 1 s, then 2, 4, 8 and every 16 s),
// without making an item wait much longer than the service did, and
// without spinning. When no item runs any more, the batch suspends after
// its refresh as before, and the service re-invokes once the timer has
// fired.

// Pacing of state refreshes (see above).
const (
	minRefreshBackoff = time.Second
	maxRefreshBackoff = 16 * time.Second
	// refreshReserve is the least time before the invocation's service
	// deadline (its deadline minus serviceDeadlineMargin) a refresh needs:
	// closer to it, the call could be cut short and end the invocation
	// with an error, where suspending ends it cleanly.
	refreshReserve = 5 * time.Second
)

// refreshPacer paces a batch's state refreshes.
type refreshPacer struct {
	notBefore time.Time     // no refresh before this
	backoff   time.Duration // the next pause after a refresh that left a due item suspended
	// stuck: the last refresh left an item whose operation moved on
	// suspended (restart refused it); only a response moving an operation
	// on again wakes the batch for it, rather than every turn of its loop.
	stuck bool
}

// now returns the service's time: a local runner's clock, or the wall clock.
func (inv *invocation) now() time.Time {
	if inv.clock != nil {
		return inv.clock.Now()
	}
	return time.Now()
}

// alarm returns a channel closed when the service's time reaches at, and
// the function that releases it.
func (inv *invocation) alarm(at time.Time) (<-chan struct{}, func()) {
	if inv.clock != nil {
		return inv.clock.At(at)
	}
	ch := make(chan struct{})
	t := time.AfterFunc(time.Until(at), func() { close(ch) })
	return ch, func() { t.Stop() }
}

// earliestResume returns the earliest known time a waiting item's timer
// is due (zero: none is timed).
func (b *batch[T]) earliestResume() time.Time {
	var at time.Time
	for _, i := range b.waiting {
		if r := b.tasks[i].resume; !r.IsZero() && (at.IsZero() || r.Before(at)) {
			at = r
		}
	}
	return at
}

// blockers returns the operations the waiting items wait for: the batch,
// when it suspends, can go on once one of them has moved on.
func (b *batch[T]) blockers() []string {
	var ids []string
	for _, i := range b.waiting {
		ids = append(ids, b.tasks[i].blockers...)
	}
	return ids
}

// resumable reports whether the batch may resume items in this invocation:
// not in a replay check (which calls no service), not once the invocation
// failed or the batch's own item was orphaned, and not when the
// invocation's deadline is too close for a refresh.
func (b *batch[T]) resumable() bool {
	inv := b.ctx.inv
	if inv.check != nil || inv.fatalErr() != nil || inv.goctx.Err() != nil || b.ctx.task.isOrphaned() {
		return false
	}
	if d, ok := inv.goctx.Deadline(); ok && time.Until(d) < serviceDeadlineMargin+refreshReserve {
		return false
	}
	return true
}

// alarm returns a channel closed when the next refresh is due, or nil
// (never) when no waiting item is timed or items cannot resume.
func (b *batch[T]) alarm() <-chan struct{} {
	at := b.earliestResume()
	if at.IsZero() || !b.resumable() {
		return nil
	}
	if at.Before(b.refreshes.notBefore) {
		at = b.refreshes.notBefore
	}
	ch, release := b.ctx.inv.alarm(at)
	b.release = release
	return ch
}

// due reports whether a waiting item's timer is due at now and the pacing
// allows a refresh.
func (b *batch[T]) due(now time.Time) bool {
	if now.Before(b.refreshes.notBefore) {
		return false
	}
	for _, i := range b.waiting {
		if r := b.tasks[i].resume; !r.IsZero() && !r.After(now) {
			return true
		}
	}
	return false
}

// resumeDue refreshes the state when a waiting item is due, or when the
// state already shows one's awaited operation moved on (another item's
// checkpoint brought the news), and restarts the waiting items whose
// awaited operation has moved on; it returns how many it restarted (they
// run again, in the slots they kept). The refresh comes first even then:
// it sends the updates still queued, which an item's replay must find.
func (b *batch[T]) resumeDue() int {
	inv := b.ctx.inv
	if !b.due(inv.now()) && !b.anyMovedOn() || !b.resumable() {
		return 0
	}
	if err := inv.cp.refresh(); err != nil {
		b.ctx.checkpointFailed(err)
	}
	now := inv.now()
	restarted, stillDue := 0, false
	waiting := b.waiting[:0]
	for _, i := range b.waiting {
		t := b.tasks[i]
		if b.movedOn(t) && b.restart(i) {
			restarted++
			continue
		}
		if !t.resume.IsZero() && !t.resume.After(now) {
			stillDue = true
		}
		waiting = append(waiting, i)
	}
	clear(b.waiting[len(waiting):])
	b.waiting = waiting
	p := &b.refreshes
	p.stuck = b.anyMovedOn()
	if !stillDue {
		p.notBefore, p.backoff = time.Time{}, 0
		return restarted
	}
	p.backoff = min(max(2*p.backoff, minRefreshBackoff), maxRefreshBackoff)
	p.notBefore = now.Add(p.backoff)
	return restarted
}

// movement returns a channel closed when a checkpoint response moves an
// operation on, or nil (never) when no item waits or items cannot resume:
// a waiting item whose callback another item's checkpoint reported
// completed resumes at once, not at the next timer or the batch's end.
func (b *batch[T]) movement() <-chan struct{} {
	if len(b.waiting) == 0 || !b.resumable() {
		return nil
	}
	return b.ctx.inv.cp.movement()
}

// releaseAlarm releases the last alarm's timer.
func (b *batch[T]) releaseAlarm() {
	if b.release != nil {
		b.release()
		b.release = nil
	}
}

// anyMovedOn reports whether the state shows an operation a waiting item
// waits for moved on.
func (b *batch[T]) anyMovedOn() bool {
	for _, i := range b.waiting {
		if b.movedOn(b.tasks[i]) {
			return true
		}
	}
	return false
}

// movedOn reports whether an operation the suspended task t waits for has
// moved on in the state: completed, or (a step waiting for its retry)
// ready for its next attempt.
func (b *batch[T]) movedOn(t *task) bool {
	for _, id := range t.blockers {
		if rec := b.ctx.inv.state.get(id); rec != nil && (rec.Status.Terminal() || rec.Status == protocol.StatusReady) {
			return true
		}
	}
	return false
}

// restart starts the suspended item i again. An item without a record
// (its START not checkpointed, which the refresh before rules out) stays
// suspended.
func (b *batch[T]) restart(i int) bool {
	if !b.cfg.flat && b.ctx.inv.state.get(operationID(b.o.id, i)) == nil {
		return false
	}
	b.ended[i] = false
	if !b.start(i, true) {
		b.events <- i // recorded outcome: finished at once
	}
	return true
}
