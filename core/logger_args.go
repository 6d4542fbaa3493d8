package durable

import (
	"context"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// badKey is log/slog's key for a value without a key.
const badKey = "!BADKEY"

// This file holds the one set of argument rules every logger sees: args
// are normalized here, once per emitted call, into slog.Attr values with
// one attribute per key, and handed to Emitters as they are, to
// AttrLoggers as attributes and to plain loggers as flat key/value pairs.

// attrSet builds a line's attributes, one per key. mask has the keyBit of
// every key in a set, so adding a key not yet there, the common case, mostly
// skips the scan for it.
type attrSet struct {
	a    []slog.Attr
	mask uint64
}

// newAttrSet starts a set from dst, whose keys must be distinct.
func newAttrSet(dst []slog.Attr) attrSet {
	s := attrSet{a: dst}
	for _, a := range dst {
		s.mask |= keyBit(a.Key)
	}
	return s
}

// args adds args by log/slog's rules: a string is a key followed by its
// value, a slog.Attr stands alone, an Extra adds its entries in sorted key
// order, and anything else (or a final key without a value) is logged
// under "!BADKEY".
func (s *attrSet) args(args []any) {
	for len(args) > 0 {
		switch x := args[0].(type) {
		case string:
			if len(args) == 1 {
				s.set(slog.String(badKey, x))
				return
			}
			s.set(anyAttr(x, args[1]))
			args = args[2:]
			continue
		case slog.Attr:
			s.attr(x)
		case Extra:
			s.extra(x)
		default:
			s.set(slog.Any(badKey, x))
		}
		args = args[1:]
	}
}

// attrs adds attrs by attr's rules. The common case, keys new to the set,
// distinct and none empty, is one copy; it keeps an empty group with a
// key, which every logger drops when it writes the line (flatArgs
// included), as slog's handlers do.
func (s *attrSet) attrs(attrs []slog.Attr) {
	mask := s.mask
	for i := range attrs {
		k := attrs[i].Key
		bit := keyBit(k)
		if mask&bit != 0 || k == "" || k == badKey {
			for _, a := range attrs {
				s.attr(a)
			}
			return
		}
		mask |= bit
	}
	s.a, s.mask = append(s.a, attrs...), mask
}

// attr adds a by log/slog's handler rules: the zero Attr and an empty
// group are dropped and a group with an empty key is inlined.
func (s *attrSet) attr(a slog.Attr) {
	switch a.Value.Kind() {
	case slog.KindGroup:
		g := a.Value.Group()
		if len(g) == 0 {
			return
		}
		if a.Key == "" {
			s.attrs(g)
			return
		}
	case slog.KindAny:
		if a.Key == "" && a.Value.Any() == nil {
			return
		}
	}
	s.set(a)
}

// extra adds e's entries in sorted key order. The entries are collected
// in one pass over the map and sorted on the stack, without looking each
// key up again.
func (s *attrSet) extra(e Extra) {
	var buf [16]entry // a typical Extra sorts without a heap allocation
	entries := buf[:0]
	for k, v := range e {
		entries = append(entries, entry{k, v})
	}
	if len(entries) <= len(buf) {
		for i := 1; i < len(entries); i++ { // insertion sort: short and on the stack
			for j := i; j > 0 && entries[j].k < entries[j-1].k; j-- {
				entries[j], entries[j-1] = entries[j-1], entries[j]
			}
		}
	} else {
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.k, b.k) })
	}
	for _, en := range entries {
		s.set(anyAttr(en.k, en.v))
	}
}

// entry is one entry of an Extra.
type entry struct {
	k string
	v any
}

// set replaces the value of a's key where it stands, or appends a. Values
// without a key ("!BADKEY") are all kept, as log/slog keeps them: an
// adapter may know what they are (zap passes its own zap.Field through).
func (s *attrSet) set(a slog.Attr) {
	bit := keyBit(a.Key)
	if s.mask&bit != 0 && a.Key != badKey {
		for i := range s.a {
			if s.a[i].Key == a.Key {
				s.a[i] = a
				return
			}
		}
	}
	s.mask |= bit
	s.a = append(s.a, a)
}

// appendArgs appends args to dst by attrSet.args's rules, a key already
// in dst having its value replaced where it stands.
func appendArgs(dst []slog.Attr, args []any) []slog.Attr {
	s := newAttrSet(dst)
	s.args(args)
	return s.a
}

// appendAttrs appends attrs to dst by attrSet.attr's rules.
func appendAttrs(dst, attrs []slog.Attr) []slog.Attr {
	s := newAttrSet(dst)
	s.attrs(attrs)
	return s.a
}

// anyAttr is slog.Any, except that an Extra used as a value becomes a
// group, so that every logger nests it as an object.
func anyAttr(key string, v any) slog.Attr {
	if e, ok := v.(Extra); ok {
		var g attrSet
		g.extra(e)
		return slog.Attr{Key: key, Value: slog.GroupValue(g.a...)}
	}
	return slog.Any(key, v)
}

// ArgsToAttrs normalizes LoggerInterface args into attributes by the rules
// core applies to every call (see Record.Attrs). Adapters use it in With
// and wherever they receive args directly.
func ArgsToAttrs(args ...any) []slog.Attr {
	if len(args) == 0 {
		return nil
	}
	return appendArgs(make([]slog.Attr, 0, len(args)), args)
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

// flatArgs returns attrs as the flat key/value pairs a plain
// LoggerInterface receives, in a slice of its own.
func flatArgs(attrs []slog.Attr) []any {
	out := make([]any, 0, 2*len(attrs))
	for _, a := range attrs {
		v := a.Value.Resolve()
		switch {
		case v.Kind() == slog.KindGroup && len(v.Group()) == 0:
		case v.Kind() == slog.KindGroup && a.Key == "":
			out = append(out, flatArgs(v.Group())...)
		default:
			out = append(out, a.Key, AttrValue(v))
		}
	}
	return out
}

// recordPool recycles the Records handed to Emitters.
var recordPool = sync.Pool{New: func() any { return &Record{Attrs: make([]slog.Attr, 0, 16)} }}

// maxPooled keeps one huge call from pinning a large buffer in the pool.
const maxPooled = 256

func getRecord(level Level, msg string) *Record {
	r := recordPool.Get().(*Record)
	r.Level, r.Message = level, msg
	return r
}

func putRecord(r *Record) {
	if cap(r.Attrs) > maxPooled {
		return
	}
	clear(r.Attrs)
	*r = Record{Attrs: r.Attrs[:0]}
	recordPool.Put(r)
}

// callerPC returns the program counter skip frames above its caller.
func callerPC(skip int) uintptr {
	var pcs [1]uintptr
	runtime.Callers(skip+2, pcs[:])
	return pcs[0]
}

// reportsCaller reports whether l asks for Record.PC.
func reportsCaller(l any) bool {
	c, ok := l.(CallerReporter)
	return ok && c.ReportsCaller()
}

// EmitArgs logs through e as core would, for an Emitter used directly
// (not through a context logger): it checks e's level when e is a
// LevelEnabler, normalizes args, adds Exception's error fields for a
// non-nil err, captures the caller when e reports one, and calls Emit.
// An Emitter's own five methods call it directly, so that the caller
// captured is theirs.
func EmitArgs(ctx context.Context, e Emitter, level Level, msg string, err error, args []any) {
	emitDirect(ctx, e, level, msg, err, args, nil)
}

// EmitAttrs is EmitArgs for the typed path: an Emitter's own LogAttrs
// calls it directly.
func EmitAttrs(ctx context.Context, e Emitter, level Level, msg string, attrs []slog.Attr) {
	emitDirect(ctx, e, level, msg, nil, nil, attrs)
}

// emitDirect is EmitArgs and EmitAttrs, two frames below the user's call.
func emitDirect(ctx context.Context, e Emitter, level Level, msg string, err error, args []any, attrs []slog.Attr) {
	if en, ok := e.(LevelEnabler); ok && !en.Enabled(level) {
		return
	}
	r := getRecord(level, msg)
	r.Err = err
	a := newAttrSet(appendErrorAttrs(r.Attrs, err))
	a.args(args)
	a.attrs(attrs)
	r.Attrs = a.a
	if reportsCaller(e) {
		r.PC = callerPC(3)
	}
	e.Emit(ctx, r)
	putRecord(r)
}

// EmitterMethods gives an Emitter the five LoggerInterface methods and
// LogAttrs, for use directly rather than through a context logger: an
// adapter embeds it, set with NewEmitterMethods(itself), and writes only
// Emit (and, as it needs, Enabled, ReportsCaller and With). Each method
// checks the level, normalizes its args by core's rules and calls Emit,
// with context.Background and, for loggers that report callers, the
// caller of the method as Record.PC.
type EmitterMethods struct{ e Emitter }

// NewEmitterMethods returns the methods of e.
func NewEmitterMethods(e Emitter) EmitterMethods { return EmitterMethods{e: e} }

// Debug logs at LevelDebug.
func (m EmitterMethods) Debug(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, LevelDebug, msg, nil, args)
}

// Info logs at LevelInfo.
func (m EmitterMethods) Info(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, LevelInfo, msg, nil, args)
}

// Warning logs at LevelWarning.
func (m EmitterMethods) Warning(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, LevelWarning, msg, nil, args)
}

// Error logs at LevelError.
func (m EmitterMethods) Error(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, LevelError, msg, nil, args)
}

// Exception logs at LevelError with err's fields (see ErrorAttrs) ahead
// of args.
func (m EmitterMethods) Exception(msg string, err error, args ...any) {
	EmitArgs(context.Background(), m.e, LevelError, msg, err, args)
}

// LogAttrs logs attrs at level.
func (m EmitterMethods) LogAttrs(level Level, msg string, attrs ...slog.Attr) {
	EmitAttrs(context.Background(), m.e, level, msg, attrs)
}
