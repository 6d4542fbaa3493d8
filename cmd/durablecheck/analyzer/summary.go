package analyzer

import (
	"go/types"
	"slices"
)

// Helpers that call each other (directly or through package variables
// and fields) form cycles in the package's call graph. Their summaries
// are computed together: Tarjan's algorithm finds each strongly connected
// component as summarize walks the calls, and the component's summaries
// are recomputed until none changes. What a helper reaches therefore does
// not depend on which helper of the cycle durable code calls first.
//
// Within a component, a summary keeps one effect per rule and logger
// parameter through the shortest chain, and keeps the effects through a
// parameter that an unconditional one covers (they may make a caller's
// effect unconditional, logTo(slog.Default()) in logTo itself): more
// rounds only add effects or shorten chains, so the rounds settle, on the
// same summaries whichever function the walk entered by.

// sccState is the bookkeeping of Tarjan's algorithm over summarize.
type sccState struct {
	next    int                     // the next index to hand out
	index   map[*types.Func]int     // functions on stack: their index
	low     map[*types.Func]int     // and the lowest index they reach
	stack   []*types.Func           // Tarjan's stack
	active  []*types.Func           // the summaries being computed, innermost last
	partial map[*types.Func][]reach // summaries of the functions on stack so far
	cyclic  map[*types.Func]bool    // functions on stack reached again while on it
}

// maxRounds bounds the recomputations of one component; shortest chains
// settle well before (a chain is at most maxDepth calls long).
const maxRounds = 64

// summarize returns the effects fn reaches (one per rule and logger
// parameter), computed once per function.
func (c *checker) summarize(fn *types.Func) []reach {
	if rs, ok := c.summaries[fn]; ok {
		return rs
	}
	decl := c.decls[fn]
	if decl == nil {
		return nil
	}
	s := &c.scc
	if s.index == nil {
		s.index, s.low = map[*types.Func]int{}, map[*types.Func]int{}
		s.partial, s.cyclic = map[*types.Func][]reach{}, map[*types.Func]bool{}
	}
	if i, ok := s.index[fn]; ok {
		// A cycle back to a function still being summarised: use what it
		// has so far; the component is recomputed when it is complete.
		s.cyclic[fn] = true
		s.lower(i)
		return s.partial[fn]
	}
	i := s.next
	s.next++
	s.index[fn], s.low[fn] = i, i
	s.stack = append(s.stack, fn)
	s.active = append(s.active, fn)
	s.partial[fn] = c.summarizeBody(fn, decl)
	s.active = s.active[:len(s.active)-1]
	if low := s.low[fn]; low < i {
		s.lower(low) // part of a component whose root is further out
		return s.partial[fn]
	}
	at := slices.Index(s.stack, fn)
	members := slices.Clone(s.stack[at:])
	if len(members) > 1 || s.cyclic[fn] {
		for range maxRounds {
			changed := false
			for _, m := range members {
				s.active = append(s.active, m)
				rs := c.summarizeBody(m, c.decls[m])
				s.active = s.active[:len(s.active)-1]
				if !slices.EqualFunc(rs, s.partial[m], sameReach) {
					s.partial[m], changed = rs, true
				}
			}
			if !changed {
				break
			}
		}
	}
	for _, m := range members {
		c.summaries[m] = uncovered(s.partial[m])
		delete(s.index, m)
		delete(s.low, m)
		delete(s.partial, m)
		delete(s.cyclic, m)
	}
	s.stack = s.stack[:at]
	return c.summaries[fn]
}

// lower records that the summary being computed depends on the function
// on stack with index i.
func (s *sccState) lower(i int) {
	if len(s.active) == 0 {
		return
	}
	top := s.active[len(s.active)-1]
	if i < s.low[top] {
		s.low[top] = i
	}
}

// sameReach reports whether a and b are the same reach.
func sameReach(a, b reach) bool {
	return a.Rule == b.Rule && a.What == b.What && a.Hint == b.Hint && a.Param == b.Param && slices.Equal(a.Chain, b.Chain)
}
