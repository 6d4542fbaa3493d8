package durable

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

// recordingService acknowledges every checkpoint and records batch sizes.
type recordingService struct {
	mu       sync.Mutex
	batches  []int
	bytes    []int
	err      error
	terminal bool
}

func (s *recordingService) Checkpoint(_ context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	n := 0
	for i := range req.Updates {
		n += updateSize(&req.Updates[i])
	}
	s.batches = append(s.batches, len(req.Updates))
	s.bytes = append(s.bytes, n)
	if s.terminal {
		return &protocol.CheckpointResponse{}, nil
	}
	return &protocol.CheckpointResponse{CheckpointToken: "t" + strconv.Itoa(len(s.batches))}, nil
}

func (s *recordingService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{}, nil
}

func stepUpdate(i int, payload string) *protocol.OperationUpdate {
	return &protocol.OperationUpdate{ID: operationID("", i+1), Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Action: protocol.ActionSucceed, Payload: &payload}
}

func TestBatcherRespectsUpdateAndByteLimits(t *testing.T) {
	tests := []struct {
		name    string
		updates int
		payload int
		want    []int
	}{
		{"update count", 600, 10, []int{250, 250, 100}},
		{"bytes", 5, 300 * 1024, []int{2, 2, 1}},
		{"one oversized update still goes alone", 2, 800 * 1024, []int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &recordingService{}
			cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint), defaultMaxCheckpointDelay)
			defer cp.close()
			payload := strings.Repeat("x", tt.payload)
			for i := range tt.updates {
				if err := cp.enqueue(stepUpdate(i, payload)); err != nil {
					t.Fatal(err)
				}
			}
			if err := cp.flush(); err != nil {
				t.Fatal(err)
			}
			if got := svc.batches; !slices.Equal(got, tt.want) {
				t.Errorf("batches = %v, want %v", got, tt.want)
			}
			for i, n := range svc.bytes {
				if svc.batches[i] > 1 && n > maxBatchBytes {
					t.Errorf("batch %d holds %d bytes, over the %d limit", i, n, maxBatchBytes)
				}
			}
		})
	}
}

func TestBatcherFailureIsSticky(t *testing.T) {
	boom := errors.New("boom")
	svc := &recordingService{err: boom}
	cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint), defaultMaxCheckpointDelay)
	defer cp.close()
	cp.enter()
	if err := cp.send(stepUpdate(0, "1")); !errors.Is(err, boom) {
		t.Fatalf("send = %v, want the service error", err)
	}
	if err := cp.enqueue(stepUpdate(1, "2")); !errors.Is(err, boom) {
		t.Errorf("a later checkpoint = %v, want the same error at once", err)
	}
}

func TestBatcherStopsAfterTheExecutionEnds(t *testing.T) {
	svc := &recordingService{terminal: true}
	cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint), defaultMaxCheckpointDelay)
	defer cp.close()
	cp.enter()
	if err := cp.send(stepUpdate(0, "1")); err != nil {
		t.Fatalf("the completing checkpoint failed: %v", err)
	}
	if err := cp.send(stepUpdate(1, "2")); !errors.Is(err, ErrExecutionTerminal) {
		t.Errorf("checkpoint after the execution ended = %v, want ErrExecutionTerminal", err)
	}
}

// gatedService holds every checkpoint until the test releases it, and
// checks that the runtime does not change an update after handing it over
// (the slice is reused only once the call has returned).
type gatedService struct {
	recordingService
	gate     chan struct{}
	inFlight atomic.Bool // a call has reached the gate
}

func (s *gatedService) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	before := slices.Clone(req.Updates)
	s.inFlight.Store(true)
	<-s.gate
	for i := range req.Updates {
		if req.Updates[i].ID != before[i].ID {
			return nil, errors.New("an update changed while its call was in flight")
		}
	}
	return s.recordingService.Checkpoint(ctx, req)
}

// While a call is in flight the queue fills up to two batches, counted in
// updates and in bytes; a goroutine queuing more is parked until the
// sender takes the next batch, and every update still goes out once, in
// order.
func TestBatcherQueueIsBounded(t *testing.T) {
	tests := []struct {
		name    string
		total   int
		payload string
	}{
		{"updates", 3*maxQueued + 7, "1"},
		{"bytes", 40, strings.Repeat("x", 200<<10)}, // 8 MB
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &gatedService{gate: make(chan struct{})}
			cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint), defaultMaxCheckpointDelay)
			defer cp.close()
			var release sync.Once
			open := func() { release.Do(func() { close(svc.gate) }) }
			defer open() // before cp.close, so that a failed test does not hang there
			cp.enter()
			done := make(chan error, 1)
			go func() {
				defer cp.leave()
				for i := range tt.total {
					if err := cp.enqueue(stepUpdate(i, tt.payload)); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			// Wait until a batch is in flight (held by the gate) and the
			// producer is parked on the full queue behind it. Whether the
			// sender takes that batch before or after the producer first
			// fills the queue is up to the scheduler; the queue never holds
			// more than its bounds (bytes: plus the update that crossed it)
			// either way.
			maxBytes := maxQueuedBytes + updateSize(stepUpdate(0, tt.payload))
			for {
				cp.mu.Lock()
				parked, queued, bytes := cp.active == 0, len(cp.queue), cp.queueBytes
				cp.mu.Unlock()
				if queued > maxQueued || bytes > maxBytes {
					t.Fatalf("%d updates of %d bytes queued, over the bounds of %d and %d", queued, bytes, maxQueued, maxBytes)
				}
				if parked && svc.inFlight.Load() {
					break
				}
				select {
				case err := <-done:
					t.Fatalf("the producer queued all %d updates while a call was in flight (%v): the queue is not bounded", tt.total, err)
				default:
				}
				runtime.Gosched()
			}
			open()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if err := cp.flush(); err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, n := range svc.batches {
				if n > maxBatchUpdates {
					t.Errorf("a batch of %d updates, over the limit of %d", n, maxBatchUpdates)
				}
				sum += n
			}
			if sum != tt.total {
				t.Errorf("%d updates sent in %v, want %d", sum, svc.batches, tt.total)
			}
		})
	}
}

// jsonBytes is the size of the updates as a request carries them: JSON,
// comma-separated.
func jsonBytes(t *testing.T, updates []protocol.OperationUpdate) int {
	t.Helper()
	n := 0
	for i := range updates {
		b, err := json.Marshal(&updates[i])
		if err != nil {
			t.Fatal(err)
		}
		n += len(b) + 1
	}
	return n
}

// jsonSizeService records the JSON size of each call's updates.
type jsonSizeService struct {
	recordingService
	t    *testing.T
	json []int
}

func (s *jsonSizeService) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	n := jsonBytes(s.t, req.Updates)
	s.mu.Lock()
	s.json = append(s.json, n)
	s.mu.Unlock()
	return s.recordingService.Checkpoint(ctx, req)
}

// The byte limit holds for updates as the request carries them: payloads
// and errors are JSON strings there, where a quote, a backslash or a
// control character takes two bytes or more. JSON text is full of quotes.
func TestBatcherByteLimitCountsEscapedPayloads(t *testing.T) {
	quoted := strings.Repeat(`["a","b"],`, 10<<10) // 100 KiB of JSON text, 40% quotes
	lines := strings.Repeat("line\n\t\"x\" <&>\u2028", 8<<10)
	var updates []*protocol.OperationUpdate
	for i := range 12 {
		u := stepUpdate(i, quoted)
		if i%3 == 2 {
			u.Action, u.Payload = protocol.ActionFail, nil
			u.Error = &protocol.ErrorObject{ErrorType: "E", ErrorMessage: lines, StackTrace: strings.Split(lines[:4096], "\n")}
		}
		updates = append(updates, u)
	}
	svc := &jsonSizeService{t: t}
	cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint), defaultMaxCheckpointDelay)
	defer cp.close()
	for _, u := range updates {
		if err := cp.enqueue(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := cp.flush(); err != nil {
		t.Fatal(err)
	}
	sent := 0
	for i, n := range svc.json {
		sent += svc.batches[i]
		if n > maxBatchBytes {
			t.Errorf("call %d carries %d updates of %d bytes of JSON, over the %d limit", i, svc.batches[i], n, maxBatchBytes)
		}
	}
	if sent != len(updates) {
		t.Errorf("%d updates sent, want %d", sent, len(updates))
	}
}

// updateSize never underestimates an update's JSON encoding, whatever
// its strings hold and whichever options it carries.
func TestUpdateSizeBoundsTheJSONEncoding(t *testing.T) {
	awkward := "\"\\\x00\x1f\n<>&\u2028\u2029\xff\xfe é 漢 \U0001F600"
	long := strings.Repeat("f", 170)
	payload := strings.Repeat(awkward, 50)
	tests := map[string]protocol.OperationUpdate{
		"bare":    {ID: "a", Type: protocol.OperationTypeStep, Action: protocol.ActionStart},
		"payload": {ID: "a", Type: protocol.OperationTypeStep, Action: protocol.ActionSucceed, Payload: &payload},
		"error": {ID: "a", Type: protocol.OperationTypeStep, Action: protocol.ActionFail, Error: &protocol.ErrorObject{
			ErrorType: awkward, ErrorMessage: payload, ErrorData: payload, StackTrace: strings.Split(payload, "\n")}},
		"empty stack frames": {ID: "a", Type: protocol.OperationTypeStep, Action: protocol.ActionFail, Error: &protocol.ErrorObject{
			StackTrace: make([]string, 1000)}},
		"every option": {ID: strings.Repeat("i", 64), ParentID: strings.Repeat("p", 64), Name: awkward, SubType: awkward,
			Type: protocol.OperationTypeChainedInvoke, Action: protocol.ActionStart, Payload: &payload,
			Error:                &protocol.ErrorObject{ErrorType: "x"},
			StepOptions:          &protocol.StepOptions{NextAttemptDelaySeconds: math.MinInt64},
			WaitOptions:          &protocol.WaitOptions{WaitSeconds: math.MinInt64},
			CallbackOptions:      &protocol.CallbackOptions{TimeoutSeconds: math.MinInt64, HeartbeatTimeoutSeconds: math.MinInt64},
			ChainedInvokeOptions: &protocol.ChainedInvokeOptions{FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:" + long + awkward, TenantID: long + awkward},
			ContextOptions:       &protocol.ContextOptions{ReplayChildren: true}},
	}
	for name, u := range tests {
		want := jsonBytes(t, []protocol.OperationUpdate{u})
		if got := updateSize(&u); got < want {
			t.Errorf("%s: updateSize = %d, JSON encoding %d bytes", name, got, want)
		}
	}
}
