package conformance

import (
	"fmt"
	"regexp"
	"strings"
)

// Mismatch describes why an expectation did not hold: where (Stage and
// Path) and what was expected against what was found.
type Mismatch struct {
	// Stage names the check: "history EventId 3 (StepSucceeded)",
	// "result", "ExpectedLogs[2]", "callback".
	Stage string
	// Path is the field path inside the stage, e.g.
	// "StepSucceededDetails.Result.Payload"; empty for the stage itself.
	Path string
	// Msg says what differed, e.g. `expected "\"hi\"", got "\"ho\""`.
	Msg string
}

// Error returns "<stage>: <path>: <msg>".
func (m *Mismatch) Error() string {
	parts := make([]string, 0, 3)
	for _, p := range []string{m.Stage, m.Path, m.Msg} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ": ")
}

// valueMatcher applies the history value rules (FORMAT §6.3) with one
// binding table.
type valueMatcher struct {
	b *Bindings
}

// match compares expected against actual at path and returns a *Mismatch
// (with Stage left empty) or nil.
func (m valueMatcher) match(path string, expected, actual any) *Mismatch {
	if em, ok := expected.(*Map); ok && em.Len() == 0 {
		return nil // {}: don't care
	}
	if s, ok := expected.(string); ok {
		if res, special := m.matchSpecial(path, s, actual); special {
			return res
		}
	}
	switch e := expected.(type) {
	case *Map:
		if a, ok := actual.(*Map); ok {
			return m.matchMap(path, e, a)
		}
	case []any:
		if a, ok := actual.([]any); ok {
			return m.matchList(path, e, a)
		}
	case string:
		expected = m.b.Substitute(e)
	}
	if !deepEqual(expected, actual) {
		return &Mismatch{Path: path, Msg: fmt.Sprintf("expected %s, got %s", show(expected), show(actual))}
	}
	return nil
}

// matchSpecial handles '*', ${NAME} and ${/PATTERN/}; special is false for
// any other string.
func (m valueMatcher) matchSpecial(path, s string, actual any) (res *Mismatch, special bool) {
	if s == "*" {
		return nil, true
	}
	if sub := placeholderRE.FindStringSubmatch(s); sub != nil {
		return m.bindOrCompare(path, sub[1], actual), true
	}
	if len(s) >= 5 && strings.HasPrefix(s, "${/") && strings.HasSuffix(s, "/}") {
		return matchRegex(path, s[3:len(s)-2], actual), true
	}
	return nil, false
}

func (m valueMatcher) bindOrCompare(path, name string, actual any) *Mismatch {
	bound, ok := m.b.Lookup(name)
	if !ok {
		m.b.Bind(name, actual)
		return nil
	}
	if deepEqual(bound, actual) {
		return nil
	}
	return &Mismatch{Path: path, Msg: fmt.Sprintf("placeholder ${%s} is bound to %s, got %s", name, show(bound), show(actual))}
}

func matchRegex(path, pattern string, actual any) *Mismatch {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return &Mismatch{Path: path, Msg: fmt.Sprintf("invalid regular expression %q: %v", pattern, err)}
	}
	if re.MatchString(stringForm(actual)) {
		return nil
	}
	return &Mismatch{Path: path, Msg: fmt.Sprintf("expected a match of /%s/, got %s", pattern, show(actual))}
}

func (m valueMatcher) matchMap(path string, e, a *Map) *Mismatch {
	for _, k := range e.keys {
		p := joinPath(path, k)
		av, ok := a.Get(k)
		if !ok {
			return &Mismatch{Path: p, Msg: fmt.Sprintf("key missing (expected %s)", show(e.vals[k]))}
		}
		if res := m.match(p, e.vals[k], av); res != nil {
			return res
		}
	}
	return nil
}

func (m valueMatcher) matchList(path string, e, a []any) *Mismatch {
	if len(e) != len(a) {
		return &Mismatch{Path: path, Msg: fmt.Sprintf("expected a list of %d elements, got %d: %s", len(e), len(a), show(a))}
	}
	for i := range e {
		if res := m.match(fmt.Sprintf("%s[%d]", path, i), e[i], a[i]); res != nil {
			return res
		}
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
