package logtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/logsink"
)

// syncBuffer is the writer handed to the logger under test. Like os.Stdout,
// it accepts concurrent writes; a logger must still write each line with a
// single Write for lines not to interleave.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// output is what one subtest's logger wrote, split into decoded lines.
type output struct {
	t     *testing.T
	raw   string
	lines []line
}

// line is one decoded output line. Duplicate keys were resolved the way
// JSON readers resolve them: the last one wins.
type line struct {
	out    *output
	index  int
	raw    string
	fields map[string]any
}

// levelNames are the level names Lambda's Advanced Logging Controls filter on.
var levelNames = map[string]bool{"DEBUG": true, "INFO": true, "WARN": true, "ERROR": true}

// newOutput decodes raw and checks that every line is one JSON object in
// Lambda's shape; the rest of a case's checks rely on that.
func newOutput(t *testing.T, raw string) *output {
	t.Helper()
	o := &output{t: t, raw: raw}
	text := strings.TrimSuffix(raw, "\n")
	if text == "" {
		return o
	}
	for i, s := range strings.Split(text, "\n") {
		fields, err := decodeObject(s)
		if err != nil {
			t.Fatalf("output line %d is not one JSON object (%v):\n%s", i+1, err, raw)
		}
		if err := checkShape(fields); err != nil {
			t.Fatalf("output line %d is not Lambda-shaped: %v\n%s", i+1, err, s)
		}
		o.lines = append(o.lines, line{out: o, index: i, raw: s, fields: fields})
	}
	return o
}

// decodeObject decodes s, which must hold exactly one JSON object. Numbers
// stay json.Number so integers compare exactly.
func decodeObject(s string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("null is not an object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one JSON value on the line")
	}
	return m, nil
}

// lambdaTimestamp is Lambda's timestamp: RFC 3339 in UTC with
// milliseconds (logsink.LambdaTimeLayout).
var lambdaTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func checkShape(fields map[string]any) error {
	ts, ok := fields["timestamp"].(string)
	if !ok {
		return fmt.Errorf(`"timestamp" is %s, want an RFC 3339 string`, describe(fields["timestamp"]))
	}
	if !lambdaTimestamp.MatchString(ts) {
		return fmt.Errorf(`"timestamp" %q is not RFC 3339 in UTC with milliseconds (%s)`, ts, logsink.LambdaTimeLayout)
	}
	if lvl, _ := fields["level"].(string); !levelNames[lvl] {
		return fmt.Errorf(`"level" is %s, want one of DEBUG, INFO, WARN, ERROR`, describe(fields["level"]))
	}
	if _, ok := fields["message"].(string); !ok {
		return fmt.Errorf(`"message" is %s, want a string`, describe(fields["message"]))
	}
	return nil
}

// wantLines stops the subtest unless exactly n lines were written.
func (o *output) wantLines(n int) {
	o.t.Helper()
	if len(o.lines) != n {
		o.t.Fatalf("got %d output lines, want %d; output:\n%s", len(o.lines), n, o.raw)
	}
}

// line returns the i-th line (0-based); call wantLines first.
func (o *output) line(i int) *line { return &o.lines[i] }

func (l *line) level(want string) {
	l.out.t.Helper()
	if got := l.fields["level"]; got != want {
		l.out.t.Errorf("line %d: level = %s, want %q\n%s", l.index+1, describe(got), want, l.raw)
	}
}

func (l *line) message(want string) {
	l.out.t.Helper()
	if got := l.fields["message"]; got != want {
		l.out.t.Errorf("line %d: message = %s, want %q\n%s", l.index+1, describe(got), want, l.raw)
	}
}

// has checks that key holds a value matching want: a Go value compared as
// JSON (numbers by value, maps key by key) or a matcher.
func (l *line) has(key string, want any) {
	l.out.t.Helper()
	got, ok := l.fields[key]
	if !ok {
		l.out.t.Errorf("line %d: missing key %q, want %s\n%s", l.index+1, key, describeWant(want), l.raw)
		return
	}
	if !matches(got, want) {
		l.out.t.Errorf("line %d: %q = %s, want %s\n%s", l.index+1, key, describe(got), describeWant(want), l.raw)
	}
}

// uniqueKeys checks that the line's object holds no key twice at its top
// level (values without a key, "!BADKEY", aside).
func (l *line) uniqueKeys() {
	l.out.t.Helper()
	dec := json.NewDecoder(strings.NewReader(l.raw))
	if _, err := dec.Token(); err != nil {
		l.out.t.Errorf("line %d: %v", l.index+1, err)
		return
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			l.out.t.Errorf("line %d: %v", l.index+1, err)
			return
		}
		key, _ := tok.(string)
		if seen[key] && key != "!BADKEY" {
			l.out.t.Errorf("line %d: key %q appears more than once in one object\n%s", l.index+1, key, l.raw)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			l.out.t.Errorf("line %d: %v", l.index+1, err)
			return
		}
	}
}

func (l *line) lacks(key string) {
	l.out.t.Helper()
	if got, ok := l.fields[key]; ok {
		l.out.t.Errorf("line %d: unexpected key %q = %s\n%s", l.index+1, key, describe(got), l.raw)
	}
}

// matcher accepts a family of encodings where adapters legitimately differ
// (durations and times follow the team's encoder configuration).
type matcher struct {
	desc string
	ok   func(got any) bool
}

func matches(got, want any) bool {
	switch w := want.(type) {
	case matcher:
		return w.ok(got)
	case string, bool:
		return got == want
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !matches(gv, wv) {
				return false
			}
		}
		return true
	default:
		return numberEquals(got, want)
	}
}

// numberEquals compares a decoded json.Number with a Go number by value, so
// 42, 42.0 and 4.2e1 are the same.
func numberEquals(got, want any) bool {
	n, ok := got.(json.Number)
	if !ok {
		return false
	}
	g, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return false
	}
	var w float64
	switch v := want.(type) {
	case int:
		w = float64(v)
	case int64:
		w = float64(v)
	case uint64:
		w = float64(v)
	case float64:
		w = v
	default:
		return false
	}
	return g == w || math.Abs(g-w) <= 1e-9*math.Abs(w)
}

func describe(v any) string {
	if v == nil {
		return "missing or null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

func describeWant(want any) string {
	if m, ok := want.(matcher); ok {
		return m.desc
	}
	return describe(want)
}

// aNonEmptyString matches any non-empty string.
var aNonEmptyString = matcher{
	desc: "a non-empty string",
	ok:   func(got any) bool { s, _ := got.(string); return s != "" },
}

// aNumberOrString matches any JSON number or non-empty string: how a
// duration is written depends on the adapter's encoder configuration.
var aNumberOrString = matcher{
	desc: "a number or a non-empty string",
	ok: func(got any) bool {
		switch g := got.(type) {
		case json.Number:
			return true
		case string:
			return g != ""
		}
		return false
	},
}

// theInstant matches t written as an RFC 3339 string (in any zone) or as a
// number (epoch-based encoders).
func theInstant(t time.Time) matcher {
	return matcher{
		desc: "the instant " + t.Format(time.RFC3339) + " as an RFC 3339 string or an epoch number",
		ok: func(got any) bool {
			switch g := got.(type) {
			case json.Number:
				return true
			case string:
				p, err := time.Parse(time.RFC3339, g)
				return err == nil && p.Equal(t)
			}
			return false
		},
	}
}

// notTheInstant matches a timestamp that is not t: the line's own time
// must not be replaced by a field's.
func notTheInstant(t time.Time) matcher {
	return matcher{
		desc: "the line's own timestamp, not the field value " + t.Format(time.RFC3339),
		ok: func(got any) bool {
			s, _ := got.(string)
			p, err := time.Parse(time.RFC3339, s)
			return err == nil && !p.Equal(t)
		},
	}
}
