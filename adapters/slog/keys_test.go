package slogadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	slogadapter "github.com/durable-go/durable-go/adapters/slog"
)

// thisFile accepts slog's source for a call in this file.
func thisFile(v any) bool {
	m, _ := v.(map[string]any)
	file, _ := m["file"].(string)
	return strings.HasSuffix(file, "keys_test.go")
}

// isJSON reports whether v is want, compared as JSON.
func isJSON(want any) func(any) bool {
	return func(v any) bool {
		g, _ := json.Marshal(v)
		w, _ := json.Marshal(want)
		return bytes.Equal(g, w)
	}
}

// A Lambda-shaped line holds each key once: with AddSource, slog's own
// "source" keeps the key and an attribute of the user's named "source" is
// written as "fields.source", as it is without AddSource, so a query finds
// the user's value under one key whatever the handler's options.
// Exception's error fields are errorType, errorMessage and stackTrace, and
// slog writes no error key of its own, so a user's "error" or "stack"
// attribute is the line's only one.
func TestLambdaFieldsNamedLikeSlogsKeys(t *testing.T) {
	t.Parallel()
	errStack := isJSON([]string{"main.f", "main.main"})
	tests := []struct {
		name      string
		addSource bool
		log       func(l *slogadapter.Logger)
		want      map[string]func(any) bool // nil: the key must be absent
	}{
		{"source in a call, with AddSource", true, func(l *slogadapter.Logger) {
			l.Info("m", "source", "mine")
		}, map[string]func(any) bool{"source": thisFile, "fields.source": isJSON("mine")}},
		{"source bound with With, with AddSource", true, func(l *slogadapter.Logger) {
			l.With("source", "mine").Info("m")
		}, map[string]func(any) bool{"source": thisFile, "fields.source": isJSON("mine")}},
		{"source on a native call, with AddSource", true, func(l *slogadapter.Logger) {
			l.Slog().With("k", 1).Info("m", "source", "mine")
		}, map[string]func(any) bool{"source": thisFile, "fields.source": isJSON("mine")}},
		{"source in an Exception, with AddSource", true, func(l *slogadapter.Logger) {
			l.Exception("m", errors.New("e"), "source", "mine")
		}, map[string]func(any) bool{"source": thisFile, "fields.source": isJSON("mine"), "errorMessage": isJSON("e")}},
		{"source without AddSource", false, func(l *slogadapter.Logger) {
			l.Info("m", "source", "mine")
		}, map[string]func(any) bool{"source": nil, "fields.source": isJSON("mine")}},
		{"source in a group keeps its key", true, func(l *slogadapter.Logger) {
			l.Info("m", slog.Group("g", "source", "mine"))
		}, map[string]func(any) bool{"source": thisFile, "fields.source": nil, "g": isJSON(map[string]any{"source": "mine"})}},
		{"error beside an Exception", false, func(l *slogadapter.Logger) {
			l.Exception("m", errors.New("e"), "error", "mine")
		}, map[string]func(any) bool{"error": isJSON("mine"), "errorMessage": isJSON("e"), "fields.error": nil}},
		{"stack beside an Exception whose error has one", false, func(l *slogadapter.Logger) {
			l.Exception("m", traced{}, "stack", "mine")
		}, map[string]func(any) bool{"stack": isJSON("mine"), "stackTrace": errStack}},
		{"a stackTrace the Exception call passes is the line's only one", false, func(l *slogadapter.Logger) {
			l.Exception("m", traced{}, "stackTrace", []string{"mine"})
		}, map[string]func(any) bool{"stackTrace": isJSON([]string{"mine"}), "fields.stackTrace": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			opts := slogadapter.LambdaHandlerOptions(slog.LevelDebug)
			opts.AddSource = tt.addSource
			tt.log(slogadapter.New(slog.New(slog.NewJSONHandler(&buf, opts))))
			seen := map[string]bool{}
			for _, key := range keyOrder(t, bytes.NewBufferString(buf.String())) {
				if seen[key] {
					t.Errorf("key %q appears more than once in %s", key, &buf)
				}
				seen[key] = true
			}
			got := only(t, &buf)
			for key, ok := range tt.want {
				v, has := got[key]
				switch {
				case ok == nil && has:
					t.Errorf("%s = %v, want no such key in %s", key, v, &buf)
				case ok != nil && (!has || !ok(v)):
					t.Errorf("%s = %v (present: %t) in %s", key, v, has, &buf)
				}
			}
		})
	}
}
