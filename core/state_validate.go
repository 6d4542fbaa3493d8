package durable

import (
	"context"
	"fmt"

	"github.com/durable-go/durable-go/core/protocol"
)

// statePager guards one paging loop (the event's state or a checkpoint
// response) against markers that repeat. The first page costs nothing;
// markers are remembered only from the second one on.
type statePager struct {
	last  string
	seen  map[string]struct{}
	pages int
}

// next checks the marker of the page just merged before it is followed.
func (p *statePager) next(marker string) error {
	p.pages++
	if p.pages == 1 {
		p.last = marker
		return nil
	}
	if p.seen == nil {
		p.seen = map[string]struct{}{p.last: {}}
	}
	if _, dup := p.seen[marker]; dup {
		return fmt.Errorf("%w: NextMarker %q returned again after %d pages", protocol.ErrStatePaging, marker, p.pages)
	}
	p.seen[marker] = struct{}{}
	p.last = marker
	return nil
}

// knownOperationType reports whether t is one of the protocol's operation
// types (§2.2). A record of another type is an invalid event, not a
// non-deterministic handler.
func knownOperationType(t protocol.OperationType) bool {
	switch t {
	case protocol.OperationTypeExecution, protocol.OperationTypeContext, protocol.OperationTypeStep,
		protocol.OperationTypeWait, protocol.OperationTypeCallback, protocol.OperationTypeChainedInvoke:
		return true
	}
	return false
}

// mergeInitial merges one page of the state an invocation starts from,
// where every id must be new: an id that occurs twice is an invalid event,
// not a record that replaces another. The first page is checked after the
// merge by counting (free on valid events); later pages by lookups.
func (s *executionState) mergeInitial(ops []protocol.Operation) error {
	s.mu.RLock()
	n := len(s.ops)
	dup := ""
	for i := 0; n > 0 && i < len(ops) && dup == ""; i++ {
		if _, ok := s.ops[ops[i].ID]; ok {
			dup = ops[i].ID
		}
	}
	s.mu.RUnlock()
	if dup == "" {
		if err := s.merge(ops); err != nil {
			return err
		}
		s.mu.RLock()
		if len(s.ops)-n != len(ops) {
			for i := range ops {
				if s.ops[ops[i].ID] != &ops[i] {
					dup = ops[i].ID
					break
				}
			}
		}
		s.mu.RUnlock()
	}
	if dup != "" {
		return fmt.Errorf("%w: operation id %s occurs more than once in the execution state", protocol.ErrInvalidEvent, dup)
	}
	return nil
}

// pageState merges the first page of state with merge and pages through
// the rest with GetDurableExecutionState while NextMarker is set, failing
// with protocol.ErrStatePaging when a marker repeats.
func pageState(ctx context.Context, svc protocol.Service, arn, token string, first *protocol.ExecutionState, merge func([]protocol.Operation) error) error {
	var pager statePager
	for page := first; page != nil; {
		if err := merge(page.Operations); err != nil {
			return err
		}
		if page.NextMarker == "" {
			return nil
		}
		if err := pager.next(page.NextMarker); err != nil {
			return err
		}
		next, err := stateBounded(ctx, svc, protocol.StateRequest{
			DurableExecutionArn: arn,
			CheckpointToken:     token,
			Marker:              page.NextMarker,
			MaxItems:            maxStatePage,
		})
		if err != nil {
			return fmt.Errorf("durable: loading execution state: %w", err)
		}
		page = next
	}
	return nil
}
