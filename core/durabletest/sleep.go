package durabletest

import (
	"context"
	"slices"
	"time"
)

// Sleep lets d of virtual time pass inside an invocation, as if the code
// calling it (a step body, typically) worked for d: the runner's clock
// moves forward by d, the service's timers due on the way fire in order,
// each at its own instant (a wait ends, a retry comes due), and Sleep
// returns at once. Use it to test what happens while an invocation runs
// long, such as a map item or parallel branch whose wait ends while
// another item still works (it resumes in the same invocation). ctx must
// derive from the context the runner passed to the handler (a durable
// step's context does); Sleep reports whether it found an invocation that
// has not ended, and does nothing otherwise. A negative d counts as 0.
func Sleep(ctx context.Context, d time.Duration) bool {
	return whileRunning(ctx, func(s *Service, inv *invocation) { s.elapseLocked(s.clock.now.Add(max(d, 0)), inv) })
}

// elapseLocked moves the clock to target during the invocation inv (nil:
// none), firing the timers due on the way, each at its own instant, and
// wakes inv's runtime if it waits for a time now reached
// (invocationClock). Invocations of a runner run one at a time.
func (s *Service) elapseLocked(target time.Time, inv *invocation) {
	for s.clock.fireNext(target) {
	}
	if s.clock.now.Before(target) {
		s.clock.now = target
	}
	if inv != nil {
		inv.ring(s.clock.now)
	}
}

// alarm is a runtime's wait for the clock to reach at (invocationClock.At).
type alarm struct {
	at time.Time
	ch chan struct{}
}

// ring closes the alarms due at now.
func (inv *invocation) ring(now time.Time) {
	inv.alarms = slices.DeleteFunc(inv.alarms, func(a *alarm) bool {
		if a.at.After(now) {
			return false
		}
		close(a.ch)
		return true
	})
}

// invocationClock is the virtual clock as the runtime of a running
// invocation reads it (testhook.Clock): time passes during the invocation
// only through its checkpoint calls (WithServiceLatency) and Sleep.
type invocationClock struct {
	s   *Service
	inv *invocation
}

// Now returns the virtual time.
func (c invocationClock) Now() time.Time { return c.s.Now() }

// At returns a channel closed when the virtual clock reaches at during the
// invocation; an alarm the invocation ends before is never closed.
func (c invocationClock) At(at time.Time) (<-chan struct{}, func()) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	a := &alarm{at: at, ch: make(chan struct{})}
	if !at.After(c.s.clock.now) {
		close(a.ch)
		return a.ch, func() {}
	}
	c.inv.alarms = append(c.inv.alarms, a)
	return a.ch, func() {
		c.s.mu.Lock()
		defer c.s.mu.Unlock()
		c.inv.alarms = slices.DeleteFunc(c.inv.alarms, func(b *alarm) bool { return b == a })
	}
}
