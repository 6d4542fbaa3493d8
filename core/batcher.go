package durable

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/durable-go/durable-go/core/protocol"
)

// Batching limits (protocol §3.5).
const (
	maxBatchUpdates = 250
	maxBatchBytes   = 750 * 1024
	// syncWindow bounds how long a synchronous update waits for other
	// running work to join its batch. When nothing else is running the batch
	// is sent at once; the window only matters while other goroutines are
	// still executing user code (map, parallel).
	syncWindow = 20 * time.Millisecond
	// maxQueued and maxQueuedBytes bound the queue: a goroutine that would
	// queue more waits until the sender has taken a batch. Two batches let
	// the next one fill while a call is in flight.
	maxQueued      = 2 * maxBatchUpdates
	maxQueuedBytes = 2 * maxBatchBytes
)

// defaultMaxCheckpointDelay is how long a queued update may wait before
// it is sent when no synchronous operation, batch limit or the end of the
// invocation sends it earlier (see WithCheckpointWindow).
const defaultMaxCheckpointDelay = time.Second

// waiter is a caller blocked until the updates queued before it are
// acknowledged: a synchronous update (parked, its goroutine counted by
// enter) or a flush barrier.
type waiter struct {
	after  int // how many queued updates it waits for, its own included
	parked bool
	poll   bool // a state refresh: a call must be made even with no update (refresh)
	done   chan error
}

// checkpointer owns the checkpoint token and sends queued updates in FIFO
// batches from one goroutine. Unlike the Python SDK's fixed idle window, it
// sends as soon as every goroutine running durable code is waiting for an
// acknowledgement: nothing more can join the batch, so sequential code pays
// no batching delay while map and parallel still produce large batches.
// Asynchronous updates (step outcomes, context starts) wait in the queue
// until a synchronous update or a flush needs them sent, a batch limit is
// reached, or the oldest has waited maxAge.
type checkpointer struct {
	svc    protocol.Service
	arn    string
	state  *executionState
	ctx    context.Context
	log    *slog.Logger // the SDK's durable.checkpoint logger
	maxAge time.Duration
	// onMerge, when set, receives the operations each response changed
	// (plugins' operation-change and operation-end hooks).
	onMerge func([]protocol.Operation)
	// onRepeat, when set, is told of each operation a response repeats
	// that the state already held terminal (executionState.mergeNoting),
	// before onMerge receives the response's operations.
	onRepeat func(id string)

	mu          sync.Mutex
	token       string
	queue       []protocol.OperationUpdate
	sizes       []int // updateSize of each queued update
	queueBytes  int
	waiters     []waiter
	spare       []protocol.OperationUpdate // the last sent batch's buffer, reused
	spareW      []waiter
	barriers    int       // flushes waiting
	firstSync   time.Time // when the oldest waiter arrived
	firstQueued time.Time // when the oldest queued update arrived
	active      int       // goroutines running durable code, not waiting on us
	closed      bool
	err         error // sticky: every later checkpoint fails with it
	terminal    bool  // the service ended the execution
	kick        chan struct{}
	stopped     chan struct{}
	room        sync.Cond // signalled when the sender takes a batch (maxQueued, maxQueuedBytes)
	// moved, made when a batch with suspended items asks for it
	// (movement), is closed by the next response merged that moves an
	// operation on; watched tells whether it exists, so that a response
	// no batch waits on costs one atomic load.
	moved   chan struct{}
	watched atomic.Bool
}

func newCheckpointer(ctx context.Context, svc protocol.Service, arn, token string, state *executionState, log *slog.Logger, maxAge time.Duration) *checkpointer {
	c := &checkpointer{
		svc: svc, arn: arn, token: token, state: state, ctx: ctx, log: log, maxAge: maxAge,
		kick:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
		sizes:   make([]int, 0, 32), // one allocation, not one per doubling up to a typical queue
	}
	c.room.L = &c.mu
	go c.run()
	return c
}

func (c *checkpointer) signal() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// enter and leave count goroutines running durable code (handler, branch).
func (c *checkpointer) enter() {
	c.mu.Lock()
	c.active++
	c.mu.Unlock()
}

func (c *checkpointer) leave() {
	c.mu.Lock()
	c.active--
	c.mu.Unlock()
	c.signal()
}

// enqueue queues a fire-and-forget update. When the queue is full it
// waits, as a goroutine parked on the checkpointer, for the sender to take
// a batch.
func (c *checkpointer) enqueue(u *protocol.OperationUpdate) error { return c.enqueueFrom(nil, u) }

// enqueueFrom is enqueue for an update of task t (nil: none), which is
// refused with errOrphaned once t is orphaned.
func (c *checkpointer) enqueueFrom(t *task, u *protocol.OperationUpdate) error {
	c.mu.Lock()
	for (len(c.queue) >= maxQueued || c.queueBytes >= maxQueuedBytes) && c.err == nil && !c.closed {
		c.active--
		c.signal()
		c.room.Wait()
		c.active++
	}
	if err := c.refuseLocked(t); err != nil {
		c.mu.Unlock()
		return err
	}
	c.appendLocked(u)
	signal := len(c.queue) >= maxBatchUpdates || c.queueBytes >= maxBatchBytes || len(c.queue) == 1
	c.mu.Unlock()
	if signal {
		c.signal() // a full batch, or a new deadline for the sender
	}
	return nil
}

// send queues a synchronous update and blocks until its batch has been
// acknowledged and merged into state. The calling goroutine must be one
// counted by enter.
func (c *checkpointer) send(u *protocol.OperationUpdate) error { return c.sendFrom(nil, u) }

// sendFrom is send for an update of task t (nil: none), which is refused
// with errOrphaned once t is orphaned.
func (c *checkpointer) sendFrom(t *task, u *protocol.OperationUpdate) error {
	c.mu.Lock()
	if err := c.refuseLocked(t); err != nil {
		c.mu.Unlock()
		return err
	}
	c.appendLocked(u)
	done := c.waitLocked(true)
	c.active--
	c.mu.Unlock()
	c.signal()
	return <-done
}

// flush blocks until everything queued so far is acknowledged. It is called
// by the invocation itself, not by a counted goroutine.
func (c *checkpointer) flush() error {
	c.mu.Lock()
	if err := c.refuseLocked(nil); err != nil {
		c.mu.Unlock()
		return err
	}
	c.barriers++
	done := c.waitLocked(false)
	c.mu.Unlock()
	c.signal()
	return <-done
}

// refresh blocks until a checkpoint call made after it was asked for has
// been answered and merged into state: the call carrying the updates
// queued so far, or when none is queued, a call with no updates (protocol
// §3.2), whose answer holds what the service changed meanwhile, such as a
// wait that ended. Refreshes asked for together share one call. The
// calling goroutine must be one counted by enter.
func (c *checkpointer) refresh() error {
	c.mu.Lock()
	if err := c.refuseLocked(nil); err != nil {
		c.mu.Unlock()
		return err
	}
	done := c.waitLocked(true)
	c.waiters[len(c.waiters)-1].poll = true
	c.active--
	c.mu.Unlock()
	c.signal()
	return <-done
}

// errRefreshWithoutToken is a malformed answer to a checkpoint without
// updates: only a batch of updates can end the execution (protocol §3.2).
var errRefreshWithoutToken = errors.New("the answer to a checkpoint without updates has no CheckpointToken")

// errOrphaned refuses an update of a task whose batch completed without
// it (a late map item or parallel branch).
var errOrphaned = errors.New("durable: the batch of this item has completed")

// refuseLocked returns why no update (of task t, when not nil) can be
// queued now. The orphan check is made here, under the lock the batch's
// own SUCCEED is queued under, after any wait for room: a task that
// passed an earlier check while its batch completed cannot slip an update
// in after that SUCCEED.
func (c *checkpointer) refuseLocked(t *task) error {
	if t != nil && t.isOrphaned() {
		return errOrphaned
	}
	if c.err != nil {
		return c.err
	}
	if c.closed {
		return fmt.Errorf("%w: invocation has ended", ErrExecutionTerminal)
	}
	return nil
}

func (c *checkpointer) appendLocked(u *protocol.OperationUpdate) {
	if len(c.queue) == 0 {
		c.firstQueued = time.Now()
	}
	size := updateSize(u)
	c.queue = append(c.queue, *u)
	c.sizes = append(c.sizes, size)
	c.queueBytes += size
}

// waitLocked adds a waiter for everything queued so far.
func (c *checkpointer) waitLocked(parked bool) chan error {
	if len(c.waiters) == 0 {
		c.firstSync = time.Now()
	}
	done := make(chan error, 1)
	c.waiters = append(c.waiters, waiter{after: len(c.queue), parked: parked, done: done})
	return done
}

// close stops the sender once the queue is drained.
func (c *checkpointer) close() {
	c.mu.Lock()
	c.closed = true
	c.room.Broadcast()
	c.mu.Unlock()
	c.signal()
	<-c.stopped
}

// readyLocked decides whether to send now; if not, it returns how long
// until the next deadline (0 = wait for a signal).
func (c *checkpointer) readyLocked(now time.Time) (bool, time.Duration) {
	if len(c.queue) == 0 {
		return len(c.waiters) > 0, 0
	}
	if c.closed || c.barriers > 0 || c.queueBytes >= maxBatchBytes || len(c.queue) >= maxBatchUpdates {
		return true, 0
	}
	wait := c.maxAge - now.Sub(c.firstQueued)
	if len(c.waiters) > 0 {
		if c.active <= 0 {
			return true, 0
		}
		if w := syncWindow - now.Sub(c.firstSync); w < wait {
			wait = w
		}
	}
	if wait <= 0 {
		return true, 0
	}
	return false, wait
}

func (c *checkpointer) run() {
	defer close(c.stopped)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		c.mu.Lock()
		for {
			ready, wait := c.readyLocked(time.Now())
			if ready || (c.closed && len(c.queue) == 0) {
				break
			}
			c.mu.Unlock()
			if wait > 0 {
				timer.Reset(wait)
				select {
				case <-c.kick:
				case <-timer.C:
				}
				timer.Stop()
			} else {
				<-c.kick
			}
			c.mu.Lock()
		}
		if len(c.queue) == 0 && len(c.waiters) == 0 {
			c.mu.Unlock()
			return
		}
		batch, waiters := c.takeBatchLocked()
		token := c.token
		c.mu.Unlock()
		c.deliver(batch, waiters, c.sendBatch(token, batch, len(batch) == 0 && polls(waiters)))
	}
}

// takeBatchLocked removes the next batch from the queue, within the
// update-count and byte limits, with the waiters it satisfies; an update
// that does not fit waits for the next batch.
func (c *checkpointer) takeBatchLocked() ([]protocol.OperationUpdate, []waiter) {
	n, bytes := 0, 0
	for n < len(c.queue) && n < maxBatchUpdates {
		size := c.sizes[n]
		if n > 0 && bytes+size > maxBatchBytes {
			break
		}
		bytes += size
		n++
	}
	batch := c.queue[:n]
	c.queue = append(c.spare[:0], c.queue[n:]...)
	c.spare = nil
	c.sizes = c.sizes[:copy(c.sizes, c.sizes[n:])]
	c.queueBytes -= bytes
	k := 0
	for k < len(c.waiters) && c.waiters[k].after <= n {
		if !c.waiters[k].parked {
			c.barriers--
		}
		k++
	}
	waiters := append(c.spareW[:0], c.waiters[:k]...)
	c.spareW = nil
	c.waiters = c.waiters[:copy(c.waiters, c.waiters[k:])]
	for i := range c.waiters {
		c.waiters[i].after -= n
	}
	if len(c.queue) > 0 || len(c.waiters) > 0 {
		// What is left waits for a batch of its own: its delays count
		// from now, or a steady stream would be sent in tiny batches.
		now := time.Now()
		c.firstQueued, c.firstSync = now, now
	}
	c.room.Broadcast()
	return batch, waiters
}

// polls reports whether one of waiters is a refresh.
func polls(waiters []waiter) bool {
	for _, w := range waiters {
		if w.poll {
			return true
		}
	}
	return false
}

// sendBatch sends updates, unless there are none and poll (a refresh,
// which sends a call without updates) is false.
func (c *checkpointer) sendBatch(token string, updates []protocol.OperationUpdate, poll bool) error {
	if len(updates) == 0 && !poll {
		return nil
	}
	c.mu.Lock()
	terminal := c.terminal
	c.mu.Unlock()
	if terminal {
		return fmt.Errorf("%w: checkpoint after the execution completed", ErrExecutionTerminal)
	}
	resp, err := checkpointBounded(c.ctx, c.svc, protocol.CheckpointRequest{
		DurableExecutionArn: c.arn,
		CheckpointToken:     token,
		Updates:             updates,
	})
	if err != nil {
		c.log.Warn("checkpoint failed", "updates", len(updates), "retryable", protocol.IsRetryable(err), "error", err)
		return &serviceError{Op: fmt.Sprintf("checkpoint of %d updates", len(updates)), Err: err}
	}
	c.log.Debug("checkpoint sent", "updates", len(updates), "changed", len(resp.NewExecutionState.Operations))
	if resp.CheckpointToken == "" && len(updates) == 0 {
		return &serviceError{Op: "state refresh", Err: errRefreshWithoutToken}
	}
	if resp.CheckpointToken == "" {
		c.mu.Lock()
		c.terminal = true
		c.mu.Unlock()
		if err := c.state.mergeNoting(resp.NewExecutionState.Operations, c.onRepeat); err != nil {
			return err
		}
		c.noteMoves(resp.NewExecutionState.Operations)
		c.merged(resp.NewExecutionState.Operations)
		return nil
	}
	c.mu.Lock()
	c.token = resp.CheckpointToken
	c.mu.Unlock()
	// The response's changed operations may come in pages: the hooks see
	// them all, once the state holds them all.
	changed := resp.NewExecutionState.Operations
	pages := 0
	err = pageState(c.ctx, c.svc, c.arn, resp.CheckpointToken, &resp.NewExecutionState, func(ops []protocol.Operation) error {
		if pages++; pages > 1 && c.onMerge != nil {
			if pages == 2 {
				changed = slices.Clip(changed) // appending must not write into the response's page
			}
			changed = append(changed, ops...)
		}
		if err := c.state.mergeNoting(ops, c.onRepeat); err != nil {
			return err
		}
		c.noteMoves(ops)
		return nil
	})
	if err != nil {
		return &serviceError{Op: "merging checkpoint response", Err: err}
	}
	c.merged(changed)
	return nil
}

// movement returns a channel closed once a response merged later moves an
// operation on (completed it, or made a step READY for its retry): a batch
// whose items wait for operations waits on it too (batch.awaitItem).
func (c *checkpointer) movement() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.moved == nil {
		c.moved = make(chan struct{})
		c.watched.Store(true)
	}
	return c.moved
}

// noteMoves closes the channel of movement when ops, just merged into the
// state, move an operation on.
func (c *checkpointer) noteMoves(ops []protocol.Operation) {
	if !c.watched.Load() || !slices.ContainsFunc(ops, func(op protocol.Operation) bool {
		return op.Status.Terminal() || op.Status == protocol.StatusReady
	}) {
		return
	}
	c.mu.Lock()
	if c.moved != nil {
		close(c.moved)
		c.moved = nil
		c.watched.Store(false)
	}
	c.mu.Unlock()
}

func (c *checkpointer) merged(ops []protocol.Operation) {
	if c.onMerge != nil {
		c.onMerge(ops)
	}
}

// deliver wakes the batch's waiters and keeps the batch's buffers for
// reuse (Service implementations do not keep the updates). On failure the
// error becomes sticky and everything still queued fails with it too.
func (c *checkpointer) deliver(batch []protocol.OperationUpdate, waiters []waiter, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	failed := waiters
	if err != nil && c.err == nil {
		c.err = err
		failed = append(failed, c.waiters...)
		c.queue, c.sizes, c.queueBytes, c.waiters, c.barriers = nil, nil, 0, nil, 0
		c.room.Broadcast()
	}
	for _, w := range failed {
		if w.parked {
			c.active++ // the woken goroutine runs again
		}
		w.done <- err // buffered: never blocks
	}
	clear(batch)
	if cap(batch) > cap(c.spare) {
		c.spare = batch[:0]
	}
	clear(waiters)
	c.spareW = waiters[:0]
}

// updateSize bounds from above the size of u's JSON encoding, as a
// checkpoint request carries it: the limit of §3.5 counts those bytes,
// and escaping can make a string's encoding several times its length
// (JSON text, the usual payload, is full of quotes).
func updateSize(u *protocol.OperationUpdate) int {
	// Every key and punctuation mark, with each integer at its longest.
	const (
		keys     = len(`{"Id":,"ParentId":,"Name":,"Type":,"SubType":,"Action":},`)
		payload  = len(`,"Payload":`)
		errorObj = len(`,"Error":{"ErrorType":,"ErrorMessage":,"ErrorData":,"StackTrace":[]}`)
		step     = len(`,"StepOptions":{"NextAttemptDelaySeconds":}`) + maxIntDigits
		wait     = len(`,"WaitOptions":{"WaitSeconds":}`) + maxIntDigits
		callback = len(`,"CallbackOptions":{"TimeoutSeconds":,"HeartbeatTimeoutSeconds":}`) + 2*maxIntDigits
		invoke   = len(`,"ChainedInvokeOptions":{"FunctionName":,"TenantId":}`)
		context  = len(`,"ContextOptions":{"ReplayChildren":false}`)
	)
	n := keys + jsonStringSize(u.ID) + jsonStringSize(u.ParentID) + jsonStringSize(u.Name) +
		jsonStringSize(string(u.Type)) + jsonStringSize(u.SubType) + jsonStringSize(string(u.Action))
	if u.Payload != nil {
		n += payload + jsonStringSize(*u.Payload)
	}
	if e := u.Error; e != nil {
		n += errorObj + jsonStringSize(e.ErrorType) + jsonStringSize(e.ErrorMessage) + jsonStringSize(e.ErrorData)
		for _, s := range e.StackTrace {
			n += jsonStringSize(s) + 1
		}
	}
	if u.StepOptions != nil {
		n += step
	}
	if u.WaitOptions != nil {
		n += wait
	}
	if u.CallbackOptions != nil {
		n += callback
	}
	if o := u.ChainedInvokeOptions; o != nil {
		n += invoke + jsonStringSize(o.FunctionName) + jsonStringSize(o.TenantID)
	}
	if u.ContextOptions != nil {
		n += context
	}
	return n
}

// maxIntDigits is the length of the longest int64 in decimal.
const maxIntDigits = len("-9223372036854775808")

// jsonEscapeExtra is how many bytes a byte's JSON escape adds to it, as
// the most cautious encoder writes it: control characters as \u00XX, '"'
// and '\\' with a backslash, and encoding/json's HTML escapes of '<', '>'
// and '&' (smithy-go's encoder does not escape those). Bytes beyond ASCII
// are looked at by jsonStringSize itself.
var jsonEscapeExtra = func() (t [256]uint8) {
	for b := range 0x20 {
		t[b] = 5
	}
	t['"'], t['\\'] = 1, 1
	t['<'], t['>'], t['&'] = 5, 5, 5
	return t
}()

// jsonStringSize bounds from above the size of s encoded as a JSON
// string, quotes included. Beyond ASCII, U+2028 and U+2029 become
// \u2028 and \u2029, and each byte that is not UTF-8 becomes \ufffd.
func jsonStringSize(s string) int {
	n, high := len(s)+2, false
	for i := 0; i < len(s); i++ {
		n += int(jsonEscapeExtra[s[i]])
		high = high || s[i] >= utf8.RuneSelf
	}
	if !high {
		return n
	}
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			n += len(`\ufffd`) - 1
		case r == '\u2028' || r == '\u2029':
			n += len(`\u2028`) - size
		}
		i += size
	}
	return n
}

// serviceError is a failed call to the durable service. Retryable ones
// (throttling, 5xx, network, stale token) end the invocation with a Lambda
// error so that the service re-invokes; the others fail the execution.
type serviceError struct {
	Op  string
	Err error
}

func (e *serviceError) Error() string { return "durable: " + e.Op + ": " + e.Err.Error() }
func (e *serviceError) Unwrap() error { return e.Err }

func isRetryableServiceError(err error) bool {
	var se *serviceError
	return errors.As(err, &se) && protocol.IsRetryable(se.Err)
}
