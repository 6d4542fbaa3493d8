package logsink_test

import (
	"log/slog"
	"testing"

	"github.com/durable-go/durable-go/core/logsink"
)

func keys(r *logsink.Record) []string {
	var out []string
	for a := range r.Attrs {
		out = append(out, a.Key)
	}
	return out
}

// TestRecordAttrs checks that a Record keeps its attributes in order, past
// the inline ones too, and that iteration stops when asked.
func TestRecordAttrs(t *testing.T) {
	var r logsink.Record
	for _, k := range []string{"a", "b", "c", "d"} {
		r.AddAttrs(slog.String(k, k))
	}
	r.AddAttrs(slog.Int("e", 5), slog.Int("f", 6), slog.Int("g", 7))
	if got, want := r.NumAttrs(), 7; got != want {
		t.Fatalf("NumAttrs() = %d, want %d", got, want)
	}
	if got, want := keys(&r), "[a b c d e f g]"; slogString(got) != want {
		t.Errorf("attrs = %v, want %s", got, want)
	}
	n := 0
	for range r.Attrs {
		if n++; n == 6 {
			break
		}
	}
	if n != 6 {
		t.Errorf("iteration ran %d times after break at 6", n)
	}
}

// TestRecordCopy checks that adding to a copy of a Record leaves the
// original as it was, inline and overflow attributes alike.
func TestRecordCopy(t *testing.T) {
	var r logsink.Record
	r.AddAttrs(slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3), slog.Int("d", 4), slog.Int("e", 5), slog.Int("f", 6))
	c := r
	c.AddAttrs(slog.Int("g", 7))
	d := r
	d.AddAttrs(slog.Int("h", 8))
	if got, want := slogString(keys(&r)), "[a b c d e f]"; got != want {
		t.Errorf("original attrs = %s, want %s", got, want)
	}
	if got, want := slogString(keys(&c)), "[a b c d e f g]"; got != want {
		t.Errorf("first copy's attrs = %s, want %s", got, want)
	}
	if got, want := slogString(keys(&d)), "[a b c d e f h]"; got != want {
		t.Errorf("second copy's attrs = %s, want %s", got, want)
	}
}

func slogString(keys []string) string { return slog.AnyValue(keys).String() }
