package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// LogRecord is one structured log line of the execution under test.
type LogRecord struct {
	// Fields are the line's top-level JSON keys.
	Fields *Map
	// Order is the record's ordering key; records with equal keys count as
	// simultaneous and satisfy both "after" and "before".
	Order int64
}

// CheckLogs evaluates ExpectedLogs entries (FORMAT §9.3) over records, after
// embedded substitution from b. Every entry is checked; the error joins one
// *Mismatch per failing entry.
func CheckLogs(entries []any, records []LogRecord, b *Bindings) error {
	var errs []error
	for i, e := range entries {
		if err := checkLogEntry(i, e, records, b); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func checkLogEntry(i int, entry any, records []LogRecord, b *Bindings) error {
	stage := fmt.Sprintf("ExpectedLogs[%d]", i)
	raw, ok := entry.(*Map)
	if !ok {
		return &Mismatch{Stage: stage, Msg: "invalid entry: not a mapping"}
	}
	m := b.substituteDeep(raw).(*Map)
	mv, _ := m.Get("match")
	own, err := newRecordMatcher(mv)
	if err != nil {
		return &Mismatch{Stage: stage, Msg: "invalid entry: match " + err.Error()}
	}
	stage += " " + show(mv)
	hits := own.find(records)
	if msg, err := checkCardinality(m, len(hits), len(records)); err != nil {
		return &Mismatch{Stage: stage, Msg: "invalid entry: " + err.Error()}
	} else if msg != "" {
		return &Mismatch{Stage: stage, Msg: msg}
	}
	if len(hits) == 0 {
		return nil // ordering needs at least one own record
	}
	for _, dir := range []string{"after", "before"} {
		if msg := checkOrdering(m, dir, hits, records); msg != "" {
			return &Mismatch{Stage: stage, Msg: msg}
		}
	}
	return nil
}

// checkCardinality returns a failure message, or an error for a malformed
// count.
func checkCardinality(m *Map, n, total int) (string, error) {
	bounds := map[string]int{}
	for _, key := range []string{"count", "min_count", "max_count"} {
		v, ok := m.Get(key)
		if !ok || v == nil {
			continue
		}
		c, ok := intOf(v)
		if !ok || c < 0 {
			return "", fmt.Errorf("%s %s is not a non-negative integer", key, show(v))
		}
		bounds[key] = c
	}
	seen := fmt.Sprintf("found %d of %d records", n, total)
	if c, ok := bounds["count"]; ok {
		if n != c {
			return fmt.Sprintf("expected exactly %d matching records, %s", c, seen), nil
		}
		return "", nil
	}
	lo, hasLo := bounds["min_count"]
	hi, hasHi := bounds["max_count"]
	switch {
	case hasLo && n < lo:
		return fmt.Sprintf("expected at least %d matching records, %s", lo, seen), nil
	case hasHi && n > hi:
		return fmt.Sprintf("expected at most %d matching records, %s", hi, seen), nil
	case !hasLo && !hasHi && n == 0:
		return fmt.Sprintf("expected at least one matching record, %s", seen), nil
	}
	return "", nil
}

// checkOrdering checks the entry's "after" or "before" anchors against the
// records the entry matched (hits, in record order).
func checkOrdering(m *Map, dir string, hits []int, records []LogRecord) string {
	v, ok := m.Get(dir)
	if !ok || v == nil {
		return ""
	}
	anchors, ok := v.([]any)
	if !ok {
		anchors = []any{v}
	}
	for _, a := range anchors {
		am, err := newRecordMatcher(a)
		if err != nil {
			return fmt.Sprintf("invalid %s anchor: %v", dir, err)
		}
		ahits := am.find(records)
		if len(ahits) == 0 {
			return fmt.Sprintf("%s anchor %s matched no record", dir, show(a))
		}
		if msg := compareOrder(dir, a, hits, ahits, records); msg != "" {
			return msg
		}
	}
	return ""
}

func compareOrder(dir string, anchor any, hits, ahits []int, records []LogRecord) string {
	own, other := hits[0], ahits[0] // earliest own, earliest anchor
	for _, h := range hits {
		if (dir == "after") == (records[h].Order < records[own].Order) {
			own = h
		}
	}
	for _, h := range ahits {
		if (dir == "after") == (records[h].Order > records[other].Order) {
			other = h
		}
	}
	bad := records[own].Order < records[other].Order
	word := "before"
	if dir == "before" {
		bad = records[own].Order > records[other].Order
		word = "after"
	}
	if !bad {
		return ""
	}
	return fmt.Sprintf("matching record #%d %s comes %s record #%d %s of %s anchor %s",
		own+1, show(records[own].Fields), word, other+1, show(records[other].Fields), dir, show(anchor))
}

// recordMatcher is a compiled match mapping.
type recordMatcher struct {
	keys []string
	want []any
	res  []*regexp.Regexp // non-nil for /PATTERN/ values
}

func newRecordMatcher(v any) (*recordMatcher, error) {
	m, ok := v.(*Map)
	if !ok || m.Len() == 0 {
		return nil, errors.New("must be a non-empty mapping")
	}
	rm := &recordMatcher{}
	for _, k := range m.keys {
		var re *regexp.Regexp
		if s, ok := m.vals[k].(string); ok {
			if pat, isRE := logPattern(s); isRE {
				var err error
				if re, err = regexp.Compile(pat); err != nil {
					return nil, fmt.Errorf("%s: invalid regular expression %q: %w", k, pat, err)
				}
			}
		}
		rm.keys, rm.want, rm.res = append(rm.keys, k), append(rm.want, m.vals[k]), append(rm.res, re)
	}
	return rm, nil
}

// logPattern returns the pattern of a /PATTERN/ matcher value.
func logPattern(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '/' && s[len(s)-1] == '/' {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// find returns the positions of the matching records.
func (rm *recordMatcher) find(records []LogRecord) []int {
	var hits []int
	for i, r := range records {
		if rm.matches(r.Fields) {
			hits = append(hits, i)
		}
	}
	return hits
}

func (rm *recordMatcher) matches(fields *Map) bool {
	for i, k := range rm.keys {
		actual, ok := fields.Get(k)
		if !ok || !logValueMatches(rm.want[i], rm.res[i], actual) {
			return false
		}
	}
	return true
}

// logValueMatches compares one field (FORMAT §9.4): strings against the
// trimmed string form (or a regex search), booleans only with booleans,
// numbers by value, anything else by string form.
func logValueMatches(want any, re *regexp.Regexp, actual any) bool {
	if s, ok := want.(string); ok {
		got := strings.TrimSpace(stringForm(actual))
		if re != nil {
			return re.MatchString(got)
		}
		return strings.TrimSpace(s) == got
	}
	wb, wantBool := want.(bool)
	ab, actualBool := actual.(bool)
	if wantBool || actualBool {
		return wantBool && actualBool && wb == ab
	}
	wn, wantNum := want.(json.Number)
	an, actualNum := actual.(json.Number)
	if wantNum && actualNum {
		return numbersEqual(wn, an)
	}
	return stringForm(want) == stringForm(actual)
}
