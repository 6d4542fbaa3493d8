package durable

import (
	"fmt"
	"sync"

	"github.com/durable-go/durable-go/core/protocol"
)

// maxStatePage is the page size asked of GetDurableExecutionState.
const maxStatePage = 1000

// executionState is the invocation's view of the execution's operations,
// keyed by id. Checkpoint responses are merged into it.
type executionState struct {
	mu  sync.RWMutex
	ops map[string]*protocol.Operation
}

func newExecutionState() *executionState {
	return &executionState{ops: make(map[string]*protocol.Operation)}
}

// get returns the record for id, or nil. Records are never modified in
// place (merge replaces them wholesale), so callers may keep the pointer
// but must not write through it.
func (s *executionState) get(id string) *protocol.Operation {
	s.mu.RLock()
	op := s.ops[id]
	s.mu.RUnlock()
	return op
}

func (s *executionState) has(id string) bool {
	s.mu.RLock()
	_, ok := s.ops[id]
	s.mu.RUnlock()
	return ok
}

// merge upserts records by id, replacing old records wholesale (§3.3).
// The state keeps pointers into ops, which the caller must not modify
// afterwards.
func (s *executionState) merge(ops []protocol.Operation) error {
	return s.mergeNoting(ops, nil)
}

// mergeNoting is merge, calling repeated (when not nil, under the state's
// lock) with the id of each record that replaces a terminal one: a
// response that repeats an operation already complete.
func (s *executionState) mergeNoting(ops []protocol.Operation, repeated func(id string)) error {
	for i := range ops {
		if err := validateOperation(&ops[i]); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ops) == 0 && len(ops) > 8 {
		s.ops = make(map[string]*protocol.Operation, len(ops)+len(ops)/4)
	}
	for i := range ops {
		if repeated != nil {
			if prev := s.ops[ops[i].ID]; prev != nil && prev.Status.Terminal() {
				repeated(ops[i].ID)
			}
		}
		s.ops[ops[i].ID] = &ops[i]
	}
	return nil
}

// hasOperationsBesides reports whether the state holds any record other
// than the EXECUTION operation: the root context then starts in replay.
func (s *executionState) hasOperationsBesides(id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k := range s.ops {
		if k != id {
			return true
		}
	}
	return false
}

func validateOperation(op *protocol.Operation) error {
	if op.ID == "" {
		return fmt.Errorf("%w: operation without Id", protocol.ErrInvalidEvent)
	}
	if !knownOperationType(op.Type) {
		return fmt.Errorf("%w: operation %s has unknown type %q", protocol.ErrInvalidEvent, op.ID, op.Type)
	}
	if !op.Status.Known() {
		return fmt.Errorf("%w: operation %s has unknown status %q", protocol.ErrInvalidEvent, op.ID, op.Status)
	}
	return nil
}
