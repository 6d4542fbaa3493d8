package zerologadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	"github.com/rs/zerolog"
)

// repeatedKeys returns the top-level keys the single JSON line in buf
// holds more than once, which decoding it into a map would hide.
func repeatedKeys(t *testing.T, buf *bytes.Buffer) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(buf.String()))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("line %q is not a JSON object: %v", buf, err)
	}
	seen := map[string]bool{}
	var repeated []string
	for dec.More() {
		tok, err := dec.Token()
		var skip json.RawMessage
		if err == nil {
			err = dec.Decode(&skip)
		}
		if err != nil {
			t.Fatalf("line %q: %v", buf, err)
		}
		key, _ := tok.(string)
		if seen[key] {
			repeated = append(repeated, key)
		}
		seen[key] = true
	}
	return repeated
}

// checkKeysOnce checks that the single line in buf holds no key twice and
// that each key of want holds a value its test accepts; a nil test means
// the key must be absent.
func checkKeysOnce(t *testing.T, buf *bytes.Buffer, want map[string]func(any) bool) {
	t.Helper()
	if keys := repeatedKeys(t, buf); len(keys) > 0 {
		t.Errorf("keys %q appear more than once in %s", keys, buf)
	}
	got := only(t, buf)
	for key, ok := range want {
		v, has := got[key]
		switch {
		case ok == nil && has:
			t.Errorf("%s = %v, want no such key in %s", key, v, buf)
		case ok != nil && (!has || !ok(v)):
			t.Errorf("%s = %v (present: %t) in %s", key, v, has, buf)
		}
	}
}

// is reports whether v is want, compared as JSON.
func is(want any) func(any) bool {
	return func(v any) bool {
		g, _ := json.Marshal(v)
		w, _ := json.Marshal(want)
		return bytes.Equal(g, w)
	}
}

// zerologsCaller accepts the caller zerolog's Caller() writes for a call
// in this file.
func zerologsCaller(v any) bool {
	s, _ := v.(string)
	return strings.Contains(s, "keys_test.go:")
}

// In a Lambda-shaped line, zerolog's caller (Caller(), and the adapter's
// caller reporting through it) keeps the "caller" key and a field of the
// user's named "caller" is written as "fields.caller": the line holds each
// key once. Exception's error fields (errorType, errorMessage, stackTrace)
// are the only ones the adapter writes for an error, so a user's "error"
// or "stack" field is the line's only one of that name.
func TestLambdaFieldsNamedLikeZerologsKeys(t *testing.T) {
	t.Parallel()
	withCaller := func(z zerolog.Logger) zerolog.Logger { return z.With().Caller().Logger() }
	errStack := is([]string{"main.f", "main.main"})
	tests := []struct {
		name string
		zl   func(zerolog.Logger) zerolog.Logger // the logger's configuration
		log  func(z zerolog.Logger)
		want map[string]func(any) bool
	}{
		{"caller in a call, with Caller()", withCaller, func(z zerolog.Logger) {
			zerologadapter.New(z).Info("m", "caller", "mine")
		}, map[string]func(any) bool{"caller": zerologsCaller, "fields.caller": is("mine")}},
		{"caller bound with With, with Caller()", withCaller, func(z zerolog.Logger) {
			zerologadapter.New(z).With("caller", "mine").Info("m", "k", 1)
		}, map[string]func(any) bool{"caller": zerologsCaller, "fields.caller": is("mine"), "k": is(1)}},
		{"caller in an Exception, with Caller()", withCaller, func(z zerolog.Logger) {
			zerologadapter.New(z).Exception("m", errors.New("e"), "caller", "mine")
		}, map[string]func(any) bool{"caller": zerologsCaller, "fields.caller": is("mine"), "errorMessage": is("e")}},
		{"caller on a native call, with Caller()", withCaller, func(z zerolog.Logger) {
			z.Info().Str("caller", "mine").Msg("m")
		}, map[string]func(any) bool{"caller": zerologsCaller, "fields.caller": is("mine")}},
		{"caller in a native context, with Caller()", func(z zerolog.Logger) zerolog.Logger {
			return z.With().Str("caller", "mine").Caller().Logger()
		}, func(z zerolog.Logger) {
			z.Info().Int("k", 2).Msg("m")
		}, map[string]func(any) bool{"caller": zerologsCaller, "fields.caller": is("mine")}},
		{"caller without Caller() is the user's", nil, func(z zerolog.Logger) {
			zerologadapter.New(z).Info("m", "caller", "mine")
		}, map[string]func(any) bool{"caller": is("mine"), "fields.caller": nil}},
		{"a caller lookalike in a value, with Caller()", withCaller, func(z zerolog.Logger) {
			zerologadapter.New(z).Info("m", "k", `x,"caller":"y`)
		}, map[string]func(any) bool{"caller": zerologsCaller, "fields.caller": nil, "k": is(`x,"caller":"y`)}},
		{"caller nested in a group, with Caller()", withCaller, func(z zerolog.Logger) {
			z.Info().Dict("d", zerolog.Dict().Str("caller", "mine")).Msg("m")
		}, map[string]func(any) bool{"caller": zerologsCaller, "fields.caller": nil, "d": is(map[string]any{"caller": "mine"})}},
		{"error beside an Exception", nil, func(z zerolog.Logger) {
			zerologadapter.New(z).Exception("m", errors.New("e"), "error", "mine")
		}, map[string]func(any) bool{"error": is("mine"), "errorMessage": is("e"), "fields.error": nil}},
		{"stack beside an Exception whose error has one", nil, func(z zerolog.Logger) {
			zerologadapter.New(z).Exception("m", &tracedError{"e"}, "stack", "mine")
		}, map[string]func(any) bool{"stack": is("mine"), "stackTrace": errStack, "fields.stack": nil}},
		{"a stackTrace the Exception call passes is the line's only one", nil, func(z zerolog.Logger) {
			zerologadapter.New(z).Exception("m", &tracedError{"e"}, "stackTrace", []string{"mine"})
		}, map[string]func(any) bool{"stackTrace": is([]string{"mine"}), "fields.stackTrace": nil}},
		{"all at once, with Caller()", withCaller, func(z zerolog.Logger) {
			zerologadapter.New(z).With("caller", 1, "level", 2).Exception("m", &tracedError{"e"}, "error", 3, "stack", 4, "message", 5)
		}, map[string]func(any) bool{
			"caller": zerologsCaller, "fields.caller": is(1), "level": is("ERROR"), "fields.level": is(2),
			"error": is(3), "stack": is(4), "message": is("m"), "fields.message": is(5), "stackTrace": errStack,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			z := zerologadapter.NewLambdaLogger(&buf, zerolog.TraceLevel)
			if tt.zl != nil {
				z = tt.zl(z)
			}
			tt.log(z)
			checkKeysOnce(t, &buf, tt.want)
		})
	}
}

// The caller key is zerolog.CallerFieldName, whatever the program sets it
// to. Not parallel: it sets zerolog's package-level name.
func TestLambdaCallerKeyWhateverZerologsName(t *testing.T) {
	saved := zerolog.CallerFieldName
	t.Cleanup(func() { zerolog.CallerFieldName = saved })
	zerolog.CallerFieldName = "src"
	var buf bytes.Buffer
	z := zerologadapter.NewLambdaLogger(&buf, zerolog.InfoLevel).With().Caller().Logger()
	zerologadapter.New(z).Info("m", "src", "mine", "caller", "theirs")
	checkKeysOnce(t, &buf, map[string]func(any) bool{
		"src": zerologsCaller, "fields.src": is("mine"), "caller": is("theirs"), "fields.caller": nil,
	})
}

// The writer keeps the last of several caller fields under the key, as
// zerolog's Caller() writes its own last, whoever wrote the line.
func TestLambdaWriterKeepsTheLastCaller(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	line := `{"level":"info","caller":"a","k":"x,\"caller\":1","d":{"caller":2},"caller":"b","message":"m"}` + "\n"
	if _, err := zerologadapter.NewLambdaWriter(&buf).Write([]byte(line)); err != nil {
		t.Fatal(err)
	}
	want := `{"timestamp":T,"level":"INFO","message":"m","fields.caller":"a","k":"x,\"caller\":1","d":{"caller":2},"caller":"b"}` + "\n"
	if got := withoutTimestamps(t, buf.String()); got != want {
		t.Errorf("got  %s want %s", got, want)
	}
}

// Renaming costs no allocation, with keys longer than the compiler's
// stack buffer for a string conversion too. Not parallel: AllocsPerRun.
func TestLambdaWriterRenamesWithoutAllocating(t *testing.T) {
	long := strings.Repeat("k", 40)
	line := []byte(`{"level":"info","caller":"a","` + long + `":1,"level":2,"caller":"b","message":"m"}` + "\n")
	w := zerologadapter.NewLambdaWriter(io.Discard)
	if allocs := testing.AllocsPerRun(100, func() { _, _ = w.Write(line) }); allocs != 0 {
		t.Errorf("a line with keys to rename costs %v allocations, want 0", allocs)
	}
}
