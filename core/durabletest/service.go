package durabletest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// Service is the in-memory durable execution service. It implements
// protocol.Service for the handlers the Runner invokes, and plays the
// service's side of the protocol: it validates and applies checkpointed
// updates, hands out single-use checkpoint tokens (a checkpoint repeated
// with its ClientToken gets its first answer), pages state, fires
// timers on the virtual clock, completes callbacks and chained invokes,
// and records the history of every execution.
//
// A Service is created by NewRunner and is safe for concurrent use.
type Service struct {
	mu    sync.Mutex
	clock *clock
	ids   idSource
	cfg   *config

	executions map[string]*Execution // by ARN
	order      []*Execution          // creation order
	callbacks  map[string]callbackRef
	queue      []*Execution // executions whose next invocation is due
	validator  validator    // reused by every checkpoint call

	// driving holds a token while a runner loop runs: loops on one
	// runner take turns (see drive and ErrBusy).
	driving chan struct{}
}

var _ protocol.Service = (*Service)(nil)

func newService(cfg *config) *Service {
	return &Service{
		clock:      newClock(cfg.startTime),
		cfg:        cfg,
		executions: map[string]*Execution{},
		callbacks:  map[string]callbackRef{},
		driving:    make(chan struct{}, 1),
	}
}

// errNilContext refuses a nil context, as net/http does.
var errNilContext = errors.New("durabletest: nil Context")

// drive waits for the runner's turn to drive executions and returns the
// function that ends it. Loops started from several goroutines take turns;
// one started from inside a handler (ctx derives from an invocation's)
// would wait for itself, so it fails with ErrBusy instead.
func (s *Service) drive(ctx context.Context) (release func(), err error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, inside := ctx.Value(invocationKey{}).(*invocation); inside {
		return nil, ErrBusy
	}
	select {
	case s.driving <- struct{}{}:
		return func() { <-s.driving }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Now returns the virtual clock's current time.
func (s *Service) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock.now
}

// Checkpoint implements protocol.Service: it validates the whole batch
// (protocol §3.4), applies the updates in order, and answers with the next
// token and every operation changed since the caller last looked. A batch
// that completes the execution gets no token back. As the API does, it
// answers a checkpoint repeated with the ClientToken of one it applied
// (within 15 minutes of its clock, among the execution's last 64) with
// that one's answer, without applying it again.
func (s *Service) Checkpoint(_ context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookup(apiCheckpoint, req.DurableExecutionArn)
	if err != nil {
		return nil, err
	}
	e.stats.CheckpointCalls++
	// The service's timers fire at their time, even while an invocation
	// runs: the call's answer reports what they changed (a wait that
	// ended), which is how a runtime resumes a map item or parallel
	// branch in the same invocation (protocol §8.7).
	s.elapseLocked(s.clock.now.Add(s.cfg.serviceLatency), e.current)
	if resp, ok := e.answers.repeat(req, s.clock.now); ok {
		e.stats.RepeatedCheckpoints++
		return resp, nil
	}
	if req.CheckpointToken == "" || req.CheckpointToken != e.token {
		return nil, invalidToken(apiCheckpoint)
	}
	if err := s.validator.validateUpdates(e, req.Updates); err != nil {
		return nil, err
	}
	inv := e.tokenInv
	for _, u := range req.Updates {
		if inv != nil && e.crash != nil && e.crash(inv.index, u) {
			s.crashInvocation(e, inv)
			return nil, &protocol.APIError{Operation: apiCheckpoint, Code: codeService, StatusCode: 500,
				Message: "durabletest: simulated crash of invocation " + strconv.Itoa(inv.index)}
		}
		s.apply(e, u)
		e.stats.OperationUpdates++
	}
	resp := &protocol.CheckpointResponse{}
	if e.status == ExecutionRunning {
		e.token = s.ids.opaque("token")
		resp.CheckpointToken = e.token
	}
	changed := e.changedSince(e.seenSeq)
	e.seenSeq = e.seq
	resp.NewExecutionState = e.page(changed, s.cfg.pageSize)
	e.answers.remember(req, resp, s.clock.now)
	return resp, nil
}

// GetExecutionState implements protocol.Service: with no Marker it returns
// the first page of the state a new invocation would load (protocol §6.1);
// with a Marker from an earlier answer, the next page of that listing.
func (s *Service) GetExecutionState(_ context.Context, req protocol.StateRequest) (*protocol.ExecutionState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookup(apiGetState, req.DurableExecutionArn)
	if err != nil {
		return nil, err
	}
	e.stats.StateCalls++
	s.clock.now = s.clock.now.Add(s.cfg.serviceLatency)
	if req.CheckpointToken == "" || req.CheckpointToken != e.token {
		return nil, invalidToken(apiGetState)
	}
	if req.MaxItems < 0 {
		return nil, invalidParameter(apiGetState, "MaxItems must not be negative")
	}
	size := s.cfg.pageSize
	if req.MaxItems > 0 && req.MaxItems < size {
		size = req.MaxItems
	}
	ops, ok := e.listing(req.Marker)
	if !ok {
		return nil, invalidParameter(apiGetState, "Invalid marker %q", req.Marker)
	}
	st := e.page(ops, size)
	return &st, nil
}

func (s *Service) lookup(api, arn string) (*Execution, error) {
	e, ok := s.executions[arn]
	if !ok {
		return nil, notFound(api, "Durable execution %s not found", arn)
	}
	return e, nil
}

// wake makes e's next invocation due: now if it is suspended, or right
// after its running invocation ends.
func (s *Service) wake(e *Execution) {
	if e.status != ExecutionRunning {
		return
	}
	e.due = true
	s.enqueue(e)
}

func (s *Service) enqueue(e *Execution) {
	if e.current != nil || e.queued || !e.due {
		return
	}
	e.queued = true
	s.queue = append(s.queue, e)
}

// popDue returns the execution whose invocation has been due longest.
func (s *Service) popDue() *Execution {
	for len(s.queue) > 0 {
		e := s.queue[0]
		s.queue = s.queue[1:]
		e.queued = false
		if e.status == ExecutionRunning && e.due && e.current == nil {
			return e
		}
	}
	return nil
}

// crashInvocation makes inv behave like a Lambda process that died: the
// service refuses its token from now on, and the runner records the
// invocation as crashed when its handler returns.
func (s *Service) crashInvocation(e *Execution, inv *invocation) {
	inv.crashed = true
	if e.tokenInv == inv {
		e.token = ""
	}
}
