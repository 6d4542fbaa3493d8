package logrusadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	"github.com/sirupsen/logrus"
)

// format runs the Lambda formatter on one entry of a fresh logger.
func format(t *testing.T, e *logrus.Entry) string {
	t.Helper()
	b, err := logrusadapter.LambdaFormatter().Format(e)
	if err != nil {
		t.Fatalf("Format: %v", err)
	}
	return string(b)
}

func entry(level logrus.Level, msg string, data logrus.Fields) *logrus.Entry {
	e := logrus.NewEntry(logrus.New())
	e.Time = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
	e.Level, e.Message, e.Data = level, msg, data
	return e
}

func TestLambdaFormatterShape(t *testing.T) {
	t.Parallel()
	got := format(t, entry(logrus.InfoLevel, "hi", logrus.Fields{"b": 1, "a": "x"}))
	want := `{"timestamp":"2024-05-06T05:08:09.123Z","level":"INFO","message":"hi","a":"x","b":1}` + "\n"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestLambdaFormatterLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		level logrus.Level
		want  string
	}{
		{logrus.TraceLevel, "TRACE"},
		{logrus.DebugLevel, "DEBUG"},
		{logrus.InfoLevel, "INFO"},
		{logrus.WarnLevel, "WARN"},
		{logrus.ErrorLevel, "ERROR"},
		{logrus.FatalLevel, "FATAL"},
		{logrus.PanicLevel, "FATAL"},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			t.Parallel()
			got := oneLine(t, format(t, entry(tt.level, "m", nil)))
			if got["level"] != tt.want {
				t.Errorf("level %v written as %v, want %s", tt.level, got["level"], tt.want)
			}
		})
	}
}

// unencodable cannot be encoded by encoding/json.
type unencodable struct{ C chan int }

func TestLambdaFormatterValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value any
		want  any // as encoding/json decodes it
	}{
		{"string", "s", "s"},
		{"int", -3, -3.0},
		{"int32", int32(5), 5.0},
		{"uint64", uint64(math.MaxUint64), 18446744073709551615.0},
		{"float", 0.1, 0.1},
		{"float32", float32(0.5), 0.5},
		{"large float", 1e21, 1e21},
		{"NaN", math.NaN(), "NaN"},
		{"infinity", math.Inf(-1), "-Inf"},
		{"bool", true, true},
		{"nil", nil, nil},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02T03:04:05Z"},
		{"duration as encoding/json writes it", 1500 * time.Millisecond, 1.5e9},
		{"error", errors.New("boom"), "boom"},
		{"nested map", map[string]any{"b": errors.New("e"), "a": map[string]any{"n": 1}}, map[string]any{"a": map[string]any{"n": 1.0}, "b": "e"}},
		{"logrus.Fields", logrus.Fields{"k": "v"}, map[string]any{"k": "v"}},
		{"slice", []string{"a", "b"}, []any{"a", "b"}},
		{"struct", struct{ N int }{2}, map[string]any{"N": 2.0}},
		{"unencodable falls back to text", unencodable{}, "{C:<nil>}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := oneLine(t, format(t, entry(logrus.InfoLevel, "m", logrus.Fields{"v": tt.value})))
			if !reflect.DeepEqual(got["v"], tt.want) {
				t.Errorf("got %#v, want %#v", got["v"], tt.want)
			}
		})
	}
}

func TestLambdaFormatterStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string // the decoded value; empty means in itself
	}{
		{"plain", "hello, world", ""},
		{"quotes and backslashes", `a "b" \c`, ""},
		{"control characters", "line1\nline2\r\t\x00\x1f", ""},
		{"non-ASCII", "héllo 世界 🎉", ""},
		{"HTML characters survive", "<a href='x'>&</a>", ""},
		{"line separators", "a\u2028b\u2029c", ""},
		{"invalid UTF-8", "a\xffb\xc0", "a\ufffdb\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := tt.want
			if want == "" {
				want = tt.in
			}
			raw := format(t, entry(logrus.InfoLevel, tt.in, logrus.Fields{tt.in: tt.in}))
			if strings.Count(raw, "\n") != 1 {
				t.Fatalf("output is not one line: %q", raw)
			}
			got := oneLine(t, raw)
			if got["message"] != want || got[want] != want {
				t.Errorf("got message %q and field %q, want %q\n%s", got["message"], got[want], want, raw)
			}
		})
	}
}

func TestLambdaFormatterClashingKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller bool
		data   logrus.Fields
		want   map[string]any
	}{
		{
			name: "standard keys are renamed",
			data: logrus.Fields{"timestamp": 1, "level": 2, "message": 3},
			want: map[string]any{"fields.timestamp": 1.0, "fields.level": 2.0, "fields.message": 3.0, "level": "INFO", "message": "m"},
		},
		{
			name: "caller keys are free without a caller",
			data: logrus.Fields{"function": "f", "file": "x.go"},
			want: map[string]any{"function": "f", "file": "x.go"},
		},
		{
			name:   "caller keys are renamed with a caller",
			caller: true,
			data:   logrus.Fields{"function": "f", "file": "x.go"},
			want:   map[string]any{"fields.function": "f", "fields.file": "x.go", "function": "main.run", "file": "/src/main.go:12"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := entry(logrus.InfoLevel, "m", tt.data)
			if tt.caller {
				e.Caller = &runtime.Frame{Function: "main.run", File: "/src/main.go", Line: 12}
			}
			raw := format(t, e)
			if err := noDuplicateKeys(raw); err != nil {
				t.Fatalf("%v: %s", err, raw)
			}
			got := oneLine(t, raw)
			for k, w := range tt.want {
				if got[k] != w {
					t.Errorf("field %q = %#v, want %#v", k, got[k], w)
				}
			}
		})
	}
}

// noDuplicateKeys reports a top-level key that occurs twice in a JSON object.
func noDuplicateKeys(raw string) error {
	dec := json.NewDecoder(strings.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		if seen[key] {
			return errors.New("duplicate key " + key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}

func TestLambdaFormatterUsesTheEntryBuffer(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	buf.WriteString("already there|")
	e := entry(logrus.InfoLevel, "m", nil)
	e.Buffer = &buf
	got := format(t, e)
	if !strings.HasPrefix(got, `already there|{"timestamp"`) {
		t.Errorf("formatter did not append to the entry's buffer: %q", got)
	}
}

func TestNewLambdaLogger(t *testing.T) {
	t.Parallel()
	t.Run("writes Lambda lines at level and above", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		l := logrusadapter.NewLambdaLogger(&buf, logrus.WarnLevel)
		l.Info("dropped")
		l.Warn("kept")
		got := oneLine(t, buf.String())
		if got["level"] != "WARN" || got["message"] != "kept" {
			t.Errorf("got %v, want a WARN line with message kept", got)
		}
	})
	t.Run("nil writer means standard output", func(t *testing.T) {
		t.Parallel()
		if l := logrusadapter.NewLambdaLogger(nil, logrus.InfoLevel); l.Out != os.Stdout {
			t.Errorf("Out = %v, want os.Stdout", l.Out)
		}
	})
}
