package zerologadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	"github.com/rs/zerolog"
)

// lambdaPrefix matches the start every Lambda-shaped line must have: the
// timestamp in RFC 3339 UTC with milliseconds.
var lambdaPrefix = regexp.MustCompile(`^\{"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"`)

// withoutTimestamps checks every line of out starts with a well-formed
// timestamp and replaces its value with T, so lines compare exactly.
func withoutTimestamps(t *testing.T, out string) string {
	t.Helper()
	lines := strings.SplitAfter(out, "\n")
	for i, line := range lines {
		if line == "" {
			continue
		}
		loc := lambdaPrefix.FindStringIndex(line)
		if loc == nil {
			t.Fatalf("line %q does not start with a Lambda timestamp", line)
		}
		lines[i] = `{"timestamp":T` + line[loc[1]:]
	}
	return strings.Join(lines, "")
}

func TestLambdaShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(z zerolog.Logger)
		want string
	}{
		{"Fields", func(z zerolog.Logger) { z.Info().Str("k", "v").Int("n", 1).Msg("m") },
			`{"timestamp":T,"level":"INFO","message":"m","k":"v","n":1}`},
		{"ContextFields", func(z zerolog.Logger) {
			z = z.With().Str("service", "orders").Logger()
			z.Warn().Str("k", "v").Msg("m")
		}, `{"timestamp":T,"level":"WARN","message":"m","service":"orders","k":"v"}`},
		{"Trace", func(z zerolog.Logger) { z.Trace().Msg("m") }, `{"timestamp":T,"level":"TRACE","message":"m"}`},
		{"Debug", func(z zerolog.Logger) { z.Debug().Msg("m") }, `{"timestamp":T,"level":"DEBUG","message":"m"}`},
		{"Info", func(z zerolog.Logger) { z.Info().Msg("m") }, `{"timestamp":T,"level":"INFO","message":"m"}`},
		{"Warn", func(z zerolog.Logger) { z.Warn().Msg("m") }, `{"timestamp":T,"level":"WARN","message":"m"}`},
		{"Error", func(z zerolog.Logger) { z.Error().Msg("m") }, `{"timestamp":T,"level":"ERROR","message":"m"}`},
		{"Fatal", func(z zerolog.Logger) { z.WithLevel(zerolog.FatalLevel).Msg("m") }, `{"timestamp":T,"level":"FATAL","message":"m"}`},
		{"Panic", func(z zerolog.Logger) { z.WithLevel(zerolog.PanicLevel).Msg("m") }, `{"timestamp":T,"level":"FATAL","message":"m"}`},
		{"NoLevel", func(z zerolog.Logger) { z.Log().Str("k", "v").Msg("m") }, `{"timestamp":T,"message":"m","k":"v"}`},
		{"NoMessage", func(z zerolog.Logger) { z.Info().Str("k", "v").Send() }, `{"timestamp":T,"level":"INFO","message":"","k":"v"}`},
		{"Empty", func(z zerolog.Logger) { z.Info().Send() }, `{"timestamp":T,"level":"INFO","message":""}`},
		{"EscapedMessage", func(z zerolog.Logger) { z.Info().Str("k", "v").Msg(`say "hi" \`) },
			`{"timestamp":T,"level":"INFO","message":"say \"hi\" \\","k":"v"}`},
		{"MessageLookalikeInValue", func(z zerolog.Logger) { z.Info().Str("k", `x","message":"y`).Send() },
			`{"timestamp":T,"level":"INFO","message":"","k":"x\",\"message\":\"y"}`},
		{"NestedMessageKeyStays", func(z zerolog.Logger) {
			z.Info().Dict("d", zerolog.Dict().Str("message", "inner")).Send()
		}, `{"timestamp":T,"level":"INFO","message":"","d":{"message":"inner"}}`},
		{"KeyEndingInMessageStays", func(z zerolog.Logger) { z.Info().Str("a\"message", "v").Send() },
			`{"timestamp":T,"level":"INFO","message":"","a\"message":"v"}`},
		// Fields named like the shape's keys go under "fields.<key>", as
		// with the other adapters' Lambda helpers: a second "level" is the
		// one JSON readers keep, and Lambda would filter the line by it.
		{"FieldsNamedLikeTheShape", func(z zerolog.Logger) {
			z.Error().Str("level", "debug").Str("timestamp", "t").Str("message", "mine").Msg("m")
		}, `{"timestamp":T,"level":"ERROR","message":"m","fields.level":"debug","fields.timestamp":"t","fields.message":"mine"}`},
		{"ContextFieldNamedLevel", func(z zerolog.Logger) {
			z = z.With().Str("level", "debug").Logger()
			z.Error().Dict("d", zerolog.Dict().Str("level", "x").Int("n", 1)).Strs("s", []string{`a","level":"b`}).Int("message", 3).Msg("m")
		}, `{"timestamp":T,"level":"ERROR","message":"m","fields.level":"debug","d":{"level":"x","n":1},"s":["a\",\"level\":\"b"],"fields.message":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			tt.log(zerologadapter.NewLambdaLogger(&buf, zerolog.TraceLevel))
			if got := withoutTimestamps(t, buf.String()); got != tt.want+"\n" {
				t.Errorf("got  %s want %s", got, tt.want)
			}
		})
	}
}

func TestLambdaLoggerLevel(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	z := zerologadapter.NewLambdaLogger(&buf, zerolog.WarnLevel)
	z.Info().Msg("dropped")
	z.Warn().Msg("kept")
	want := `{"timestamp":T,"level":"WARN","message":"kept"}` + "\n"
	if got := withoutTimestamps(t, buf.String()); got != want {
		t.Errorf("got %s want %s", got, want)
	}
}

// TestLambdaTimestamp is not parallel: it sets zerolog.TimestampFunc, the
// clock the writer shares with zerolog's own Timestamp().
func TestLambdaTimestamp(t *testing.T) {
	saved := zerolog.TimestampFunc
	t.Cleanup(func() { zerolog.TimestampFunc = saved })
	east := time.FixedZone("UTC+2", 2*60*60)
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"OtherZoneInUTC", time.Date(2026, 1, 2, 5, 4, 5, 678_900_000, east), "2026-01-02T03:04:05.678Z"},
		{"MillisecondsTruncated", time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.UTC), "2026-12-31T23:59:59.999Z"},
		{"ZeroMilliseconds", time.Date(2026, 6, 7, 8, 9, 10, 0, time.UTC), "2026-06-07T08:09:10.000Z"},
		{"DayCrossesInUTC", time.Date(2026, 3, 1, 1, 0, 0, 0, east), "2026-02-28T23:00:00.000Z"},
		{"YearZero", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01T00:00:00.000Z"},
		{"YearBeyond9999", time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC), "12345-01-01T00:00:00.000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zerolog.TimestampFunc = func() time.Time { return tt.at }
			var buf bytes.Buffer
			z := zerologadapter.NewLambdaLogger(&buf, zerolog.DebugLevel)
			z.Info().Msg("m")
			want := `{"timestamp":"` + tt.want + `","level":"INFO","message":"m"}` + "\n"
			if got := buf.String(); got != want {
				t.Errorf("got %s want %s", got, want)
			}
		})
	}
}

// TestLambdaShapeWhateverZerologsNames is not parallel: it renames
// zerolog's level and message fields program-wide, as a team might, and
// checks the writer still produces Lambda's names.
func TestLambdaShapeWhateverZerologsNames(t *testing.T) {
	savedLevel, savedMessage, savedMarshal := zerolog.LevelFieldName, zerolog.MessageFieldName, zerolog.LevelFieldMarshalFunc
	t.Cleanup(func() {
		zerolog.LevelFieldName, zerolog.MessageFieldName, zerolog.LevelFieldMarshalFunc = savedLevel, savedMessage, savedMarshal
	})
	zerolog.LevelFieldName, zerolog.MessageFieldName = "severity", "msg"
	zerolog.LevelFieldMarshalFunc = func(l zerolog.Level) string { return "L" + l.String() }

	tests := []struct {
		name string
		log  func(z zerolog.Logger)
		want string
	}{
		{"Renamed", func(z zerolog.Logger) { z.Error().Str("k", "v").Msg("m") },
			`{"timestamp":T,"level":"ERROR","message":"m","k":"v"}`},
		{"NoLevelField", func(z zerolog.Logger) {
			zerolog.LevelFieldName = ""
			defer func() { zerolog.LevelFieldName = "severity" }()
			z.Info().Msg("m")
		}, `{"timestamp":T,"level":"INFO","message":"m"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.log(zerologadapter.NewLambdaLogger(&buf, zerolog.DebugLevel))
			if got := withoutTimestamps(t, buf.String()); got != tt.want+"\n" {
				t.Errorf("got  %s want %s", got, tt.want)
			}
		})
	}
}

func TestLambdaWriter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		write func(w zerolog.LevelWriter) (int, error)
		in    string
		want  string
	}{
		{"WriteReadsTheLevel", func(w zerolog.LevelWriter) (int, error) {
			return w.Write([]byte(`{"level":"warn","message":"m"}` + "\n"))
		}, `{"level":"warn","message":"m"}` + "\n", `{"timestamp":T,"level":"WARN","message":"m"}` + "\n"},
		{"WriteWithoutLevel", func(w zerolog.LevelWriter) (int, error) {
			return w.Write([]byte(`{"k":1}` + "\n"))
		}, `{"k":1}` + "\n", `{"timestamp":T,"message":"","k":1}` + "\n"},
		{"NotJSONPassesThrough", func(w zerolog.LevelWriter) (int, error) {
			return w.WriteLevel(zerolog.InfoLevel, []byte("\xbf\x65level\x64info\xff"))
		}, "\xbf\x65level\x64info\xff", "\xbf\x65level\x64info\xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out countingWriter
			n, err := tt.write(zerologadapter.NewLambdaWriter(&out))
			if err != nil || n != len(tt.in) {
				t.Errorf("write returned (%d, %v), want (%d, nil)", n, err, len(tt.in))
			}
			if out.calls != 1 {
				t.Errorf("underlying writer called %d times, want once per line", out.calls)
			}
			got := out.buf.String()
			if strings.HasPrefix(got, "{") {
				got = withoutTimestamps(t, got)
			}
			if got != tt.want {
				t.Errorf("wrote %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLambdaWriterReportsWriteErrors(t *testing.T) {
	t.Parallel()
	w := zerologadapter.NewLambdaWriter(failingWriter{})
	if _, err := w.WriteLevel(zerolog.InfoLevel, []byte(`{"level":"info"}`+"\n")); !errors.Is(err, errFull) {
		t.Errorf("WriteLevel error = %v, want %v", err, errFull)
	}
}

func TestLambdaWriterCloses(t *testing.T) {
	t.Parallel()
	var c closer
	w := zerologadapter.NewLambdaWriter(&c)
	if err := w.(interface{ Close() error }).Close(); err != nil || !c.closed {
		t.Errorf("Close returned %v and closed=%v, want nil and true", err, c.closed)
	}
	if err := zerologadapter.NewLambdaWriter(&bytes.Buffer{}).(interface{ Close() error }).Close(); err != nil {
		t.Errorf("Close over a writer that is no io.Closer returned %v, want nil", err)
	}
}

type countingWriter struct {
	calls int
	buf   bytes.Buffer
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.calls++
	return w.buf.Write(p)
}

var errFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errFull }

type closer struct {
	bytes.Buffer
	closed bool
}

func (c *closer) Close() error { c.closed = true; return nil }

// FuzzLambdaWriter checks that the writer never panics and that a line
// that is one JSON object, as zerolog writes them (braces first and last,
// then an optional line break), comes out as one JSON object with a
// timestamp and a message.
func FuzzLambdaWriter(f *testing.F) {
	for _, seed := range []string{
		`{"level":"info","k":"v","message":"m"}` + "\n",
		`{"level":"warn","message":"say \"hi\" \\"}` + "\n",
		`{"k":"x\",\"message\":\"y"}`,
		`{"d":{"message":"inner"}}` + "\n",
		`{"message":"m"}`,
		`{ "a" : 1 , "message" : "m" }`,
		`{"level":"info" , "message":"m" }`,
		`{ }`,
		`{}`,
		`{"a\"message":"v"}`,
		`{"level":"info","level":"x","d":{"level":[1,"]"]},"timestamp":"t","message":"m"}`,
		`{"level":"info","caller":"a","k":"x,\"caller\":1","caller":"b","message":"m"}`,
		"not json",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var out bytes.Buffer
		if _, err := zerologadapter.NewLambdaWriter(&out).Write(line); err != nil {
			t.Fatalf("Write(%q) failed: %v", line, err)
		}
		var in map[string]any
		object := bytes.HasPrefix(line, []byte("{")) && bytes.HasSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("}"))
		if !object || json.Unmarshal(line, &in) != nil || in == nil {
			return // not a line as zerolog writes them: no promise on the shape
		}
		var got map[string]any
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("Write(%q) wrote %q, which is not a JSON object: %v", line, out.Bytes(), err)
		}
		if _, ok := got["timestamp"]; !ok {
			t.Errorf("Write(%q) wrote %q, without a timestamp", line, out.Bytes())
		}
		if _, ok := got["message"]; !ok {
			t.Errorf("Write(%q) wrote %q, without a message", line, out.Bytes())
		}
	})
}
