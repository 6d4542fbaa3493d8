// Package logattr holds the argument rules and error fields every logger
// sees, shared by package durable and package logsink.
package logattr

import (
	"log/slog"
	"slices"
	"strings"
	"time"
)

// BadKey is log/slog's key for a value without a key.
const BadKey = "!BADKEY"

// This file holds the one set of argument rules every logger sees: args
// are normalized here, once per emitted call, into slog.Attr values with
// one attribute per key, and handed to Emitters as they are, to
// AttrLoggers as attributes and to plain loggers as flat key/value pairs.

// Extra is the entries of a durable.Extra, whose documentation is the
// user's: its keys are emitted in sorted order.
type Extra = map[string]any

// AsExtra reports whether v is a durable.Extra and returns its entries.
// Package durable sets it when it is initialized (this package cannot
// import it); every program that holds a durable.Extra value has done so.
var AsExtra = func(v any) (Extra, bool) { return nil, false }

// Set builds a line's attributes, one per key. Mask has the KeyBit of
// every key in a set, so adding a key not yet there, the common case, mostly
// skips the scan for it.
type Set struct {
	A    []slog.Attr
	Mask uint64
}

// NewSet starts a set from dst, whose keys must be distinct.
func NewSet(dst []slog.Attr) Set {
	s := Set{A: dst}
	for _, a := range dst {
		s.Mask |= KeyBit(a.Key)
	}
	return s
}

// NewLine builds the attributes of one logging call in dst: Exception's
// error fields when err is not nil, then args, then attrs, one per key.
func NewLine(dst []slog.Attr, err error, args []any, attrs []slog.Attr) Set {
	s := NewSet(AppendErrorAttrs(dst, err))
	s.Args(args)
	s.Attrs(attrs)
	return s
}

// Args adds args by log/slog's rules: a string is a key followed by its
// value, a slog.Attr stands alone, an Extra adds its entries in sorted key
// order, and anything else (or a final key without a value) is logged
// under "!BADKEY".
func (s *Set) Args(args []any) {
	for len(args) > 0 {
		switch x := args[0].(type) {
		case string:
			if len(args) == 1 {
				s.Set(slog.String(BadKey, x))
				return
			}
			s.Set(anyAttr(x, args[1]))
			args = args[2:]
			continue
		case slog.Attr:
			s.Attr(x)
		default:
			if e, ok := AsExtra(x); ok {
				s.Extra(e)
			} else {
				s.Set(slog.Any(BadKey, x))
			}
		}
		args = args[1:]
	}
}

// Attrs adds attrs by attr's rules. The common case, keys new to the set,
// distinct and none empty, is one copy; it keeps an empty group with a
// key, which every logger drops when it writes the line (FlatArgs
// included), as slog's handlers do.
func (s *Set) Attrs(attrs []slog.Attr) {
	if len(attrs) == 0 {
		return
	}
	mask, ok := Plain(s.Mask, attrs)
	if !ok {
		for _, a := range attrs {
			s.Attr(a)
		}
		return
	}
	n := len(s.A)
	s.grow(len(attrs))
	s.A = s.A[:n+len(attrs)]
	copy(s.A[n:], attrs)
	s.Mask = mask
}

// Plain reports whether attrs can be added as they are to a set whose
// keys have the KeyBits of mask: their keys are distinct, none is empty or
// "!BADKEY", and none has a bit of mask (the common case). It returns mask
// with the attrs' bits added.
func Plain(mask uint64, attrs []slog.Attr) (uint64, bool) {
	for i := range attrs {
		k := attrs[i].Key
		bit := KeyBit(k)
		if mask&bit != 0 || k == "" || k == BadKey {
			return mask, false
		}
		mask |= bit
	}
	return mask, true
}

// grow makes room for n more attributes in s.A. It neither appends to
// s.A nor stores an append of it back, which would make the compiler move
// a buffer the caller has on its stack to the heap: only the assignment
// of a freshly made slice, or of a reslice of s.A itself, keeps it there.
func (s *Set) grow(n int) {
	if len(s.A)+n <= cap(s.A) {
		return
	}
	grown := make([]slog.Attr, len(s.A), 2*len(s.A)+n)
	copy(grown, s.A)
	s.A = grown
}

// Attr adds a by log/slog's handler rules: the zero Attr and an empty
// group are dropped and a group with an empty key is inlined.
func (s *Set) Attr(a slog.Attr) {
	switch a.Value.Kind() {
	case slog.KindGroup:
		g := a.Value.Group()
		if len(g) == 0 {
			return
		}
		if a.Key == "" {
			s.Attrs(g)
			return
		}
	case slog.KindAny:
		if a.Key == "" && a.Value.Any() == nil {
			return
		}
	}
	s.Set(a)
}

// Extra adds e's entries in sorted key order. The entries are converted
// to attributes in one pass over the map, straight into s.A, and sorted
// there: no key is looked up again and nothing is allocated beyond
// growing s.A.
func (s *Set) Extra(e Extra) {
	n, m := len(s.A), len(e)
	s.grow(m)
	tail := s.A[n : n+m]
	i := 0
	for k, v := range e {
		if i == m { // e grew while we read it (a data race of the caller's)
			break
		}
		setAnyAttr(&tail[i], k, v)
		i++
	}
	tail = tail[:i]
	if len(tail) <= 16 {
		for i := 1; i < len(tail); i++ { // insertion sort: short, in place
			if !keyLess(tail[i].Key, tail[i-1].Key) {
				continue
			}
			a, j := tail[i], i
			for ; j > 0 && keyLess(a.Key, tail[j-1].Key); j-- {
				tail[j] = tail[j-1]
			}
			tail[j] = a
		}
	} else {
		slices.SortFunc(tail, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
	}
	if mask, ok := Plain(s.Mask, tail); ok {
		s.A, s.Mask = s.A[:n+len(tail)], mask // keys new to the set: they stay where they are
		return
	}
	// Some key may be in the set already: add the entries one by one. Set
	// writes at most at the index it reads from, so this works in place.
	for j := range tail {
		s.Set(tail[j])
	}
}

// keyLess is a < b, deciding on the first byte without a call when it
// differs, as it mostly does among a line's keys.
func keyLess(a, b string) bool {
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// Set replaces the value of a's key where it stands, or appends a. Values
// without a key ("!BADKEY") are all kept, as log/slog keeps them: an
// adapter may know what they are (zap passes its own zap.Field through).
func (s *Set) Set(a slog.Attr) {
	bit := KeyBit(a.Key)
	if s.Mask&bit != 0 && a.Key != BadKey {
		for i := range s.A {
			if s.A[i].Key == a.Key {
				s.A[i] = a
				return
			}
		}
	}
	s.Mask |= bit
	s.grow(1)
	s.A = s.A[:len(s.A)+1]
	s.A[len(s.A)-1] = a
}

// AppendArgs appends args to dst by Set.Args's rules, a key already
// in dst having its value replaced where it stands.
func AppendArgs(dst []slog.Attr, args []any) []slog.Attr {
	s := NewSet(dst)
	s.Args(args)
	return s.A
}

// AppendAttrs appends attrs to dst by Set.Attr's rules.
func AppendAttrs(dst, attrs []slog.Attr) []slog.Attr {
	s := NewSet(dst)
	s.Attrs(attrs)
	return s.A
}

// setAnyAttr sets *dst to anyAttr(key, v). Writing the value in place,
// rather than storing a returned slog.Attr, spares the CPU a stall per
// attribute (reloading a 40-byte result stored a word at a time): on the
// five fields of a typical Extra it halves the conversion's time.
//
// The types log lines carry most are converted by a switch of their own,
// shorter than slog.AnyValue's, which takes the rest.
func setAnyAttr(dst *slog.Attr, key string, v any) {
	dst.Key = key
	switch x := v.(type) {
	case string:
		dst.Value = slog.StringValue(x)
		return
	case int:
		dst.Value = slog.IntValue(x)
		return
	case int64:
		dst.Value = slog.Int64Value(x)
		return
	case bool:
		dst.Value = slog.BoolValue(x)
		return
	case float64:
		dst.Value = slog.Float64Value(x)
		return
	case time.Duration:
		dst.Value = slog.DurationValue(x)
		return
	}
	dst.Value = slog.AnyValue(v)
	if dst.Value.Kind() == slog.KindAny {
		if _, ok := AsExtra(v); ok {
			*dst = anyAttr(key, v)
		}
	}
}

// anyAttr is slog.Any, except that an Extra used as a value becomes a
// group, so that every logger nests it as an object.
func anyAttr(key string, v any) slog.Attr {
	val := slog.AnyValue(v)
	if val.Kind() == slog.KindAny {
		if e, ok := AsExtra(v); ok {
			var g Set
			g.Extra(e)
			return slog.Attr{Key: key, Value: slog.GroupValue(g.A...)}
		}
	}
	return slog.Attr{Key: key, Value: val}
}

// ArgsToAttrs normalizes Logger args into attributes by the rules
// core applies to every call (see Record). Adapters use it in With
// and wherever they receive args directly.
func ArgsToAttrs(args ...any) []slog.Attr {
	if len(args) == 0 {
		return nil
	}
	return AppendArgs(make([]slog.Attr, 0, len(args)), args)
}

// AttrValue returns a slog value as a plain Go value: a slog.LogValuer is
// resolved, a group becomes a map[string]any (nested groups nested maps,
// members of a group with an empty key inlined), anything else is what
// Value.Any returns. It is how plain loggers, and adapters whose native
// fields are untyped (logrus), receive attributes.
func AttrValue(v slog.Value) any {
	v = v.Resolve()
	if v.Kind() != slog.KindGroup {
		return v.Any()
	}
	m := make(map[string]any, len(v.Group()))
	addGroup(m, v.Group())
	return m
}

func addGroup(m map[string]any, attrs []slog.Attr) {
	for _, a := range attrs {
		v := a.Value.Resolve()
		switch {
		case v.Kind() == slog.KindGroup && a.Key == "":
			addGroup(m, v.Group())
		case v.Kind() == slog.KindGroup && len(v.Group()) == 0:
		case a.Key == "" && v.Kind() == slog.KindAny && v.Any() == nil:
		default:
			m[a.Key] = AttrValue(v)
		}
	}
}

// FlatArgs returns attrs as the flat key/value pairs a plain
// LoggerInterface receives, in a slice of its own.
func FlatArgs(attrs []slog.Attr) []any {
	out := make([]any, 0, 2*len(attrs))
	for _, a := range attrs {
		v := a.Value.Resolve()
		switch {
		case v.Kind() == slog.KindGroup && len(v.Group()) == 0:
		case v.Kind() == slog.KindGroup && a.Key == "":
			out = append(out, FlatArgs(v.Group())...)
		default:
			out = append(out, a.Key, AttrValue(v))
		}
	}
	return out
}

// KeyBit is a cheap one-bit digest of a key: two keys with different bits
// differ.
func KeyBit(key string) uint64 {
	if key == "" {
		return 1
	}
	return 1 << ((uint(len(key))*7 + uint(key[0]) + uint(key[len(key)-1])) & 63)
}
