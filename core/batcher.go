package durable

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

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
	// asyncMaxAge bounds how long a fire-and-forget update may sit in the
	// queue before it is sent on its own.
	asyncMaxAge = time.Second
)

// pendingUpdate is one queued update. done is nil for asynchronous
// updates; a barrier has no update, only done.
type pendingUpdate struct {
	update  protocol.OperationUpdate
	barrier bool
	size    int
	done    chan error
}

// checkpointer owns the checkpoint token and sends queued updates in FIFO
// batches from one goroutine. Unlike the Python SDK's fixed idle window, it
// sends as soon as every goroutine running durable code is waiting for an
// acknowledgement: nothing more can join the batch, so sequential code pays
// no batching delay while map and parallel still produce large batches.
type checkpointer struct {
	svc   protocol.Service
	arn   string
	state *executionState
	ctx   context.Context
	log   *slog.Logger // the SDK's durable.checkpoint logger
	// onMerge, when set, receives the operations each response changed
	// (plugins' operation-change and operation-end hooks).
	onMerge func([]protocol.Operation)

	mu          sync.Mutex
	token       string
	queue       []pendingUpdate
	queueBytes  int
	syncWaiting int       // synchronous updates and barriers queued
	firstSync   time.Time // when the oldest queued synchronous update arrived
	firstAsync  time.Time // when the oldest queued update arrived
	active      int       // goroutines running durable code, not waiting on us
	urgent      bool      // flush without waiting for the batch to fill
	closed      bool
	err         error // sticky: every later checkpoint fails with it
	terminal    bool  // the service ended the execution
	kick        chan struct{}
	stopped     chan struct{}
}

func newCheckpointer(ctx context.Context, svc protocol.Service, arn, token string, state *executionState, log *slog.Logger) *checkpointer {
	c := &checkpointer{
		svc: svc, arn: arn, token: token, state: state, ctx: ctx, log: log,
		kick:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
	}
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

// enqueue queues a fire-and-forget update.
func (c *checkpointer) enqueue(u protocol.OperationUpdate) error {
	return c.push(pendingUpdate{update: u, size: updateSize(&u)}, false)
}

// send queues a synchronous update and blocks until its batch has been
// acknowledged and merged into state. The calling goroutine must be one
// counted by enter.
func (c *checkpointer) send(u protocol.OperationUpdate) error {
	p := pendingUpdate{update: u, size: updateSize(&u), done: make(chan error, 1)}
	if err := c.push(p, true); err != nil {
		return err
	}
	return <-p.done
}

// flush blocks until everything queued so far is acknowledged. It is called
// by the invocation itself, not by a counted goroutine.
func (c *checkpointer) flush() error {
	p := pendingUpdate{barrier: true, done: make(chan error, 1)}
	c.mu.Lock()
	c.urgent = true
	c.mu.Unlock()
	if err := c.push(p, false); err != nil {
		return err
	}
	return <-p.done
}

func (c *checkpointer) push(p pendingUpdate, parks bool) error {
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	if c.closed {
		c.mu.Unlock()
		return fmt.Errorf("%w: invocation has ended", ErrExecutionTerminal)
	}
	now := time.Now()
	if len(c.queue) == 0 {
		c.firstAsync = now
	}
	if p.done != nil {
		if c.syncWaiting == 0 {
			c.firstSync = now
		}
		c.syncWaiting++
	}
	if parks {
		c.active--
	}
	c.queue = append(c.queue, p)
	c.queueBytes += p.size
	c.mu.Unlock()
	c.signal()
	return nil
}

// close stops the sender once the queue is drained.
func (c *checkpointer) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.signal()
	<-c.stopped
}

// readyLocked decides whether to send now; if not, it returns how long
// until the next deadline (0 = wait for a signal).
func (c *checkpointer) readyLocked(now time.Time) (bool, time.Duration) {
	if len(c.queue) == 0 {
		return false, 0
	}
	if c.closed || c.urgent || c.queueBytes >= maxBatchBytes || len(c.queue) >= maxBatchUpdates {
		return true, 0
	}
	wait := asyncMaxAge - now.Sub(c.firstAsync)
	if c.syncWaiting > 0 {
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
		if len(c.queue) == 0 {
			c.mu.Unlock()
			return
		}
		batch := c.takeBatchLocked()
		token := c.token
		c.mu.Unlock()
		c.deliver(batch, c.sendBatch(token, batch))
	}
}

// takeBatchLocked removes the next batch from the queue, within the
// update-count and byte limits; an update that does not fit waits for the
// next batch.
func (c *checkpointer) takeBatchLocked() []pendingUpdate {
	n, bytes, updates := 0, 0, 0
	for n < len(c.queue) {
		p := c.queue[n]
		if !p.barrier {
			if updates == maxBatchUpdates || (updates > 0 && bytes+p.size > maxBatchBytes) {
				break
			}
			updates++
			bytes += p.size
		}
		n++
	}
	batch := make([]pendingUpdate, n)
	copy(batch, c.queue[:n])
	c.queue = append(c.queue[:0], c.queue[n:]...)
	c.queueBytes -= bytes
	for _, p := range batch {
		if p.done != nil {
			c.syncWaiting--
		}
	}
	if len(c.queue) == 0 {
		c.urgent = false
	} else {
		now := time.Now()
		c.firstAsync, c.firstSync = now, now
	}
	return batch
}

func (c *checkpointer) sendBatch(token string, batch []pendingUpdate) error {
	updates := make([]protocol.OperationUpdate, 0, len(batch))
	for _, p := range batch {
		if !p.barrier {
			updates = append(updates, p.update)
		}
	}
	if len(updates) == 0 {
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
	if resp.CheckpointToken == "" {
		c.mu.Lock()
		c.terminal = true
		c.mu.Unlock()
		if err := c.state.merge(resp.NewExecutionState.Operations); err != nil {
			return err
		}
		c.merged(resp.NewExecutionState.Operations)
		return nil
	}
	c.mu.Lock()
	c.token = resp.CheckpointToken
	c.mu.Unlock()
	if err := loadState(c.ctx, c.svc, c.arn, resp.CheckpointToken, &resp.NewExecutionState, c.state); err != nil {
		return &serviceError{Op: "merging checkpoint response", Err: err}
	}
	c.merged(resp.NewExecutionState.Operations)
	return nil
}

func (c *checkpointer) merged(ops []protocol.Operation) {
	if c.onMerge != nil {
		c.onMerge(ops)
	}
}

// deliver wakes the batch's waiters. On failure the error becomes sticky
// and everything still queued fails with it too.
func (c *checkpointer) deliver(batch []pendingUpdate, err error) {
	c.mu.Lock()
	var failed []pendingUpdate
	if err != nil && c.err == nil {
		c.err = err
		failed = c.queue
		c.queue, c.queueBytes, c.syncWaiting = nil, 0, 0
	}
	for _, p := range batch {
		if p.done != nil && !p.barrier {
			c.active++ // the woken goroutine runs again
		}
	}
	for _, p := range failed {
		if p.done != nil && !p.barrier {
			c.active++
		}
	}
	c.mu.Unlock()
	for _, list := range [][]pendingUpdate{batch, failed} {
		for _, p := range list {
			if p.done != nil {
				p.done <- err
			}
		}
	}
}

// updateSize estimates an update's serialized size cheaply; exactness does
// not matter, staying well under the service's limit does.
func updateSize(u *protocol.OperationUpdate) int {
	n := 160 + len(u.ID) + len(u.ParentID) + len(u.Name) + len(u.SubType)
	if u.Payload != nil {
		n += len(*u.Payload) + len(*u.Payload)/8
	}
	if e := u.Error; e != nil {
		n += len(e.ErrorType) + len(e.ErrorMessage) + len(e.ErrorData)
		for _, s := range e.StackTrace {
			n += len(s) + 4
		}
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
