package durable

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// BatchOption configures Map and Parallel; WithSerdes is one too.
type BatchOption interface{ applyBatch(*batchConfig) }

// batchOption is a BatchOption from a function.
type batchOption func(*batchConfig)

func (f batchOption) applyBatch(c *batchConfig) { f(c) }

type batchConfig struct {
	maxConcurrency int
	concurrencySet bool
	completion     *completionConfig
	itemSerdes     Serdes
	batchSerdes    Serdes
	itemName       func(index int) string
	flat           bool
}

// WithMaxConcurrency bounds how many items run at once (default: all).
// Items start in index order; a suspended item keeps its slot, and resumes
// in it, in the same invocation, when its wait or retry delay ends (or its
// callback completes) while the batch still runs: see "Map and Parallel
// concurrency" in the package documentation.
func WithMaxConcurrency(n int) BatchOption {
	return batchOption(func(c *batchConfig) { c.maxConcurrency, c.concurrencySet = n, true })
}

// WithMinSuccessful completes the batch, with reason MinSuccessfulReached,
// once n items succeeded (1 <= n <= the item count): WithMinSuccessful(1)
// completes it at the first success. The items still running are left
// unfinished.
func WithMinSuccessful(n int) BatchOption {
	return batchOption(func(c *batchConfig) {
		cc := c.completionCriteria()
		cc.MinSuccessful, cc.minSuccessfulSet = n, true
	})
}

// WithToleratedFailures completes the batch, with reason
// FailureToleranceExceeded, once more than n items failed (n >= 0).
// Without any completion option, Map and Parallel complete at the first
// failure.
func WithToleratedFailures(n int) BatchOption {
	return batchOption(func(c *batchConfig) { c.completionCriteria().ToleratedFailureCount = &n })
}

// WithToleratedFailurePercentage completes the batch, with reason
// FailureToleranceExceeded, once the failed share of all items exceeds pct
// (0-100). WithToleratedFailurePercentage(100) runs every item whatever
// fails.
func WithToleratedFailurePercentage(pct float64) BatchOption {
	return batchOption(func(c *batchConfig) { c.completionCriteria().ToleratedFailurePercentage = &pct })
}

// completionCriteria returns the completion criteria the options set so far.
func (c *batchConfig) completionCriteria() *completionConfig {
	if c.completion == nil {
		c.completion = &completionConfig{}
	}
	return c.completion
}

// WithItemSerdes sets how each item's result is checkpointed (default JSON).
func WithItemSerdes(s Serdes) BatchOption {
	return batchOption(func(c *batchConfig) { c.itemSerdes = s })
}

// WithItemNamer names map items (default "map-item-<index>").
func WithItemNamer(f func(index int) string) BatchOption {
	return batchOption(func(c *batchConfig) { c.itemName = f })
}

// WithFlatNesting runs items as virtual contexts: they checkpoint nothing
// for themselves, and their operations' ParentId is the batch operation.
func WithFlatNesting() BatchOption { return batchOption(func(c *batchConfig) { c.flat = true }) }

// itemOutcome is what a finished item leaves for the batch.
type itemOutcome[T any] struct {
	status BatchItemStatus
	value  T
	err    *protocol.ErrorObject
}

// batch is one running Map or Parallel.
type batch[T any] struct {
	ctx         *Context // the context the batch was called on
	o           op
	cfg         batchConfig
	completion  completionConfig
	itemSubType string
	n           int
	item        func(i int) (string, func(*Context) (T, error))

	outcomes []itemOutcome[T]
	tasks    []*task
	events   chan int
	// ended marks the items whose end run has received through events:
	// only their outcomes may be read, since an item still running when
	// the batch completes writes its own outcome concurrently.
	ended []bool
	// waiting lists the suspended items, which keep their slots, and
	// refreshes paces the state refreshes that resume them (resume.go).
	waiting   []int
	refreshes refreshPacer
	release   func() // releases the alarm awaited last
}

func runBatch[T any](b *batch[T]) (*BatchResult[T], error) {
	ctx, cfg := b.ctx, b.cfg
	o := &b.o
	if o.err != nil {
		return nil, o.err
	}
	defer o.end()
	if err := b.validate(); err != nil {
		ctx.inv.hooks.refused(o, err) // its start was reported
		return nil, err
	}
	if rec := o.rec; rec != nil {
		details := rec.ContextDetails
		if details == nil {
			details = &protocol.ContextDetails{}
		}
		switch {
		case rec.Status == protocol.StatusSucceeded && !details.ReplayChildren:
			r, err := decodeResult[BatchResult[T]](ctx, cfg.batchSerdes, details.Result)
			return &r, err
		case rec.Status.Terminal() && rec.Status != protocol.StatusSucceeded:
			return nil, recordedFailure("BatchError", o, rec, details.Error)
		}
	} else {
		ctx.checkpointAsync(o.update(protocol.ActionStart))
	}
	replayed := o.rec != nil && o.rec.Status == protocol.StatusSucceeded

	var res *BatchResult[T]
	var suspendedUntil time.Time
	var complete bool
	if sum, ok := b.storedSummary(); replayed && ok {
		res, suspendedUntil, complete = b.rebuild(sum)
	} else {
		res, suspendedUntil, complete = b.run()
	}
	if !complete {
		ctx.suspend(suspendedUntil, b.blockers()...)
	}
	if replayed {
		return res, nil
	}
	payload, err := encode(cfg.batchSerdes, res)
	if err != nil {
		ctx.abort(err)
	}
	u := o.update(protocol.ActionSucceed)
	u.ContextOptions = &protocol.ContextOptions{}
	if len(payload) > replayChildrenThreshold {
		u.ContextOptions.ReplayChildren = true
		payload = batchSummary(b.itemSubType, res)
	}
	u.Payload = &payload
	ctx.checkpoint(u)
	b.reportAbandoned(res)
	return res, nil
}

// validate checks the batch's options.
func (b *batch[T]) validate() error {
	if b.cfg.concurrencySet && b.cfg.maxConcurrency < 1 {
		return fmt.Errorf("%w: max concurrency %d must be at least 1", ErrInvalidArgument, b.cfg.maxConcurrency)
	}
	return b.completion.validate(b.n)
}

// reportAbandoned reports to the plugins the end of the items the batch,
// whose completion was just checkpointed, left unfinished (status
// STARTED): they never end (plugin.OperationInfo.Abandoned). Virtual
// items have no operation of their own.
func (b *batch[T]) reportAbandoned(res *BatchResult[T]) {
	h := b.ctx.inv.hooks
	if h == nil || len(h.ps.operation) == 0 || b.cfg.flat {
		return
	}
	var ids []string
	for _, it := range res.All {
		if it.Status == ItemStarted {
			ids = append(ids, operationID(b.o.id, it.Index))
		}
	}
	h.abandon(b.o.id, ids)
}

// run starts items as concurrency allows and collects them until the batch
// is complete, or until every running item is suspended (complete=false).
// A suspended item keeps its slot; one whose timer comes due, or whose
// awaited operation a checkpoint response moved on, while others still
// run resumes in the same invocation (resumeDue).
func (b *batch[T]) run() (res *BatchResult[T], resume time.Time, complete bool) {
	b.prepare()
	next, running := 0, 0
	successes, failures, finished := 0, 0, 0
	var reason CompletionReason
	if b.n == 0 {
		reason = AllCompleted
	}
	for reason == "" {
		for next < b.n && (b.cfg.maxConcurrency == 0 || running+len(b.waiting) < b.cfg.maxConcurrency) {
			if !b.start(next, false) {
				b.events <- next // recorded outcome: finished at once
			}
			running++
			next++
		}
		if running == 0 {
			// Every started item is suspended: those already due resume
			// before the batch suspends.
			if running = b.resumeDue(); running == 0 {
				break
			}
			continue
		}
		i, itemSuspended, alarm := b.awaitItem(b.alarm())
		if alarm {
			running += b.resumeDue()
			continue
		}
		running--
		if itemSuspended {
			continue
		}
		finished++
		if b.outcomes[i].status == ItemSucceeded {
			successes++
		} else {
			failures++
		}
		reason = b.completion.reason(successes, failures, finished, b.n)
	}
	if reason == "" {
		return nil, b.earliestResume(), false
	}
	for _, t := range b.tasks {
		if t != nil {
			t.orphaned.Store(true) // late finishers must not checkpoint
		}
	}
	res = &BatchResult[T]{CompletionReason: reason}
	for i := 0; i < next; i++ {
		var out itemOutcome[T]
		if b.ended[i] {
			out = b.outcomes[i]
		}
		if out.status == "" {
			out.status = ItemStarted
		}
		res.All = append(res.All, BatchItem[T]{Index: i, Status: out.status, Result: out.value, Error: out.err})
	}
	return res, time.Time{}, true
}

// prepare makes room for the items' tasks and outcomes.
func (b *batch[T]) prepare() {
	b.outcomes = make([]itemOutcome[T], b.n)
	b.tasks = make([]*task, b.n)
	b.events = make(chan int, b.n)
	b.ended = make([]bool, b.n)
}

// awaitItem waits for a running item to end, for alarm to fire, or for a
// checkpoint response to move on an operation a waiting item waits for
// (alarmed=true: resumeDue follows), releases the alarm, and records how the item ended. It
// returns the item and whether it suspended, adding it to the waiting
// items then; an item that panicked failed, and an abort ends the batch's
// own task too.
func (b *batch[T]) awaitItem(alarm <-chan struct{}) (i int, suspended, alarmed bool) {
	cp := b.ctx.inv.cp
	moved := b.movement()
	if moved != nil && !b.refreshes.stuck && b.anyMovedOn() {
		b.releaseAlarm()
		return 0, false, true
	}
	cp.leave()
	select {
	case i = <-b.events:
	case <-alarm:
		alarmed = true
	case <-moved:
		alarmed = true
	}
	cp.enter()
	b.releaseAlarm() // before an abort below ends the batch's task
	if alarmed {
		return 0, false, true
	}
	b.ended[i] = true
	t := b.tasks[i]
	if t == nil {
		return i, false, false
	}
	switch t.end {
	case taskSuspended:
		b.waiting = append(b.waiting, i)
		return i, true, false
	case taskAborted:
		b.ctx.abort(b.ctx.inv.fatalErr())
	case taskPanicked, taskExited:
		b.outcomes[i] = itemOutcome[T]{status: ItemFailed, err: &protocol.ErrorObject{ErrorType: "Panic", ErrorMessage: fmt.Sprint(t.panic)}}
	}
	return i, false, false
}

// summary is what rebuild reads of a checkpointed batchSummary.
type summary struct {
	CompletionReason CompletionReason `json:"completionReason"`
	StartedIndexes   []int            `json:"startedIndexes"`   // a map's
	CompletedIndexes []int            `json:"completedIndexes"` // a parallel's
}

// storedSummary decodes the summary a batch whose result was too large to
// checkpoint (ReplayChildren) stored instead. A flat batch has no item
// records to rebuild from, and a summary without a completion reason is
// not one of ours: ok is false for both.
func (b *batch[T]) storedSummary() (s summary, ok bool) {
	rec := b.o.rec
	if b.cfg.flat || rec == nil || rec.ContextDetails == nil || !rec.ContextDetails.ReplayChildren || rec.ContextDetails.Result == nil {
		return s, false
	}
	if err := json.Unmarshal([]byte(*rec.ContextDetails.Result), &s); err != nil || s.CompletionReason == "" {
		return s, false
	}
	if s.StartedIndexes == nil {
		s.StartedIndexes = s.CompletedIndexes
	}
	return s, true
}

// rebuild rebuilds the result of a batch that completed in an earlier
// invocation, whose result was too large to checkpoint (protocol §8.6):
// the items its summary lists, with its completion reason. An item that
// ended takes its recorded outcome, re-running (all replay) when its own
// result was too large to store. An item still unfinished when the batch
// completed is over: it stays STARTED, as in the original result, and its
// code never runs again, whatever it was waiting for.
func (b *batch[T]) rebuild(sum summary) (res *BatchResult[T], resume time.Time, complete bool) {
	b.prepare()
	var queue []int
	for _, i := range sum.StartedIndexes {
		if i < 0 || i >= b.n {
			continue
		}
		if rec := b.ctx.inv.state.get(operationID(b.o.id, i)); rec != nil && rec.Status.Terminal() {
			queue = append(queue, i)
		}
	}
	running := 0
	for len(queue) > 0 || running > 0 {
		for len(queue) > 0 && (b.cfg.maxConcurrency == 0 || running < b.cfg.maxConcurrency) {
			i := queue[0]
			queue = queue[1:]
			if !b.start(i, false) {
				b.ended[i] = true
				continue
			}
			running++
		}
		if running == 0 {
			break
		}
		b.awaitItem(nil) // an item that suspends: its replay met an operation not yet done
		running--
	}
	if len(b.waiting) > 0 {
		return nil, b.earliestResume(), false
	}
	res = &BatchResult[T]{CompletionReason: sum.CompletionReason}
	for _, i := range sum.StartedIndexes {
		if i < 0 || i >= b.n {
			continue
		}
		out := b.outcomes[i]
		if !b.ended[i] || out.status == "" {
			out.status = ItemStarted
		}
		res.All = append(res.All, BatchItem[T]{Index: i, Status: out.status, Result: out.value, Error: out.err})
	}
	return res, time.Time{}, true
}

// start runs item i. It returns false when the item's recorded outcome was
// used without running it. restart says that the item suspended earlier in
// this invocation and resumes (resumeDue): its start was reported, and its
// code replays up to where it suspended.
func (b *batch[T]) start(i int, restart bool) bool {
	inv := b.ctx.inv
	id := operationID(b.o.id, i)
	name, fn := b.item(i)
	rec := inv.state.get(id)
	if rec != nil && rec.Status.Terminal() && !(rec.ContextDetails != nil && rec.ContextDetails.ReplayChildren) {
		b.outcomes[i] = b.recorded(rec)
		return false
	}
	b.tasks[i] = inv.startTaskUnder(b.ctx.task, func(t *task) {
		owner := &Context{inv: inv, task: t, id: b.o.id, parentID: b.o.id, goctx: b.ctx.goctx, rerun: b.ctx.rerun}
		owner.logFrom = b.ctx.logSource()
		o := &op{ctx: owner, id: id, name: name, typ: protocol.OperationTypeContext, subType: b.itemSubType, rec: rec}
		if !b.cfg.flat && !restart {
			inv.hooks.operationStart(o) // items are operations too (issue 9 item 5)
		}
		if rec == nil && !b.cfg.flat {
			startItem(owner, o)
		}
		goctx, fnEnd := inv.hooks.function(o, rec != nil && rec.Status == protocol.StatusSucceeded, b.cfg.flat)
		bctx := owner.newChild(id, t, b.cfg.flat, goctx)
		// A virtual item has no record: its first operation's tells
		// whether it ran before.
		ranBefore := rec != nil || b.cfg.flat && inv.state.has(bctx.peekNextID())
		bctx.replaying.Store(restart || ranBefore && b.ctx.replaying.Load())
		// An item of a batch that completed earlier, or an item that
		// completed itself, re-runs only to rebuild results: all replay.
		bctx.rerun = bctx.rerun || b.completed() || rec != nil && rec.Status.Terminal()
		v, err := runChildBody(fn, bctx, fnEnd)
		fnEnd.finish(err)
		b.outcomes[i] = b.finish(o, v, err)
	}, func() { b.events <- i })
	return true
}

// startItem queues the START of the item o, run by owner's task. An item
// orphaned before its START is queued (its batch completed while it was
// being started) gets no record, so the batch's report of its abandoned
// items would miss it: its end is reported here, its start having been.
func startItem(owner *Context, o *op) {
	if owner.task.isOrphaned() {
		owner.inv.hooks.abandonUnrecorded(o)
	}
	owner.refuseOrphan() // ends an orphaned task (and a replay check's)
	u := o.update(protocol.ActionStart)
	if err := owner.inv.cp.enqueueFrom(owner.task, &u); err != nil {
		if errors.Is(err, errOrphaned) {
			owner.inv.hooks.abandonUnrecorded(o)
		}
		owner.checkpointFailed(err)
	}
}

// completed reports whether the batch completed in an earlier invocation
// (and so runs again only to rebuild a result too large to checkpoint).
func (b *batch[T]) completed() bool {
	return b.o.rec != nil && b.o.rec.Status == protocol.StatusSucceeded
}

// finish checkpoints an item's outcome (unless the item is virtual, or
// completed earlier and re-ran only to rebuild its result). The
// update is queued, not awaited: the queue is FIFO, so the batch's own
// synchronous SUCCEED (or the flush that ends the invocation) makes it
// durable first, and the item's slot frees at once for the next item,
// which lets its START join the same checkpoint. Like a child context's,
// a result over 256 KiB is not checkpointed: the item re-runs on replay
// to rebuild it (protocol §8.6).
func (b *batch[T]) finish(o *op, v T, err error) itemOutcome[T] {
	record := !b.cfg.flat && (o.rec == nil || !o.rec.Status.Terminal())
	if err != nil {
		eo := errorObjectOf(err)
		if record {
			u := o.update(protocol.ActionFail)
			u.Error = &eo
			o.ctx.checkpointAsync(u)
		}
		return itemOutcome[T]{status: ItemFailed, err: &eo}
	}
	payload, err := encode(b.cfg.itemSerdes, v)
	if err != nil {
		o.ctx.abort(err)
	}
	if record {
		u := o.update(protocol.ActionSucceed)
		u.ContextOptions = &protocol.ContextOptions{}
		stored := payload
		if len(payload) > replayChildrenThreshold {
			u.ContextOptions.ReplayChildren = true
			stored = ""
		}
		u.Payload = &stored
		o.ctx.checkpointAsync(u)
	}
	val, _ := decodeResult[T](o.ctx, b.cfg.itemSerdes, &payload)
	return itemOutcome[T]{status: ItemSucceeded, value: val}
}

// recorded rebuilds a finished item's outcome from its record.
func (b *batch[T]) recorded(rec *protocol.Operation) itemOutcome[T] {
	details := rec.ContextDetails
	if details == nil {
		details = &protocol.ContextDetails{}
	}
	if rec.Status != protocol.StatusSucceeded {
		return itemOutcome[T]{status: ItemFailed, err: details.Error}
	}
	v, _ := decodeResult[T](b.ctx, b.cfg.itemSerdes, details.Result)
	return itemOutcome[T]{status: ItemSucceeded, value: v}
}

// batchSummary is checkpointed instead of a BatchResult too large to store.
func batchSummary[T any](itemSubType string, r *BatchResult[T]) string {
	typ, key := "MapResult", "startedIndexes"
	if itemSubType == protocol.SubTypeParallelBranch {
		typ, key = "ParallelResult", "completedIndexes"
	}
	var idx []int
	for _, it := range r.All {
		idx = append(idx, it.Index)
	}
	s, _ := jsonSerdes{}.Serialize(map[string]any{
		"type": typ, "totalCount": r.TotalCount(), "completionReason": r.CompletionReason,
		key: idx, "startedCount": r.StartedCount(), "successCount": r.SuccessCount(),
		"failureCount": r.FailureCount(), "status": r.Status(),
	})
	return s
}
