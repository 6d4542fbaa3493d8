// Package logsink is for authors of logger adapters and custom loggers,
// not of durable functions: the optional interfaces a logger implements to
// receive a durable function's log lines faster (Logger has the method set
// of package durable's LoggerInterface), the normalized Record core hands
// to an Emitter, the helpers that give every adapter the same line shape
// (error fields, Lambda's level names and timestamp), and SlogLogger, the
// log/slog-backed logger that durable's default logger and adapters/slog
// share.
//
// A handler author sets a logger with durable.WithLogger and logs through
// Context.Logger; nothing here is needed for that.
package logsink

import (
	"context"
	"log/slog"
	"slices"
)

// Logger is the method set of package durable's LoggerInterface, which
// this package cannot name: the five levels every logger implements. Binder
// returns it and Adapter embeds it; a Logger is a durable.LoggerInterface
// and the other way round.
//
// What a plain Logger (one without the optional extensions below)
// receives from core is flat: alternating string keys and values, with
// Extra maps and slog.Attr values expanded and Exception's error fields
// among them; see durable.LoggerInterface.
type Logger interface {
	Debug(msg string, args ...any)
	Info(msg string, args ...any)
	Warning(msg string, args ...any)
	Error(msg string, args ...any)
	// Exception logs at error level with err's type, message and, when
	// available, stack trace. err may be nil.
	Exception(msg string, err error, args ...any)
}

// LevelEnabler is an optional Logger extension: it lets core skip
// building a call for a level the logger would discard anyway.
type LevelEnabler interface {
	Enabled(level slog.Level) bool
}

// ContextLevelEnabler is an optional LevelEnabler extension for a logger
// whose level may depend on the line's context.Context, as a
// slog.Handler's Enabled may: core asks EnabledContext, with the context
// the line would be emitted with, instead of Enabled.
type ContextLevelEnabler interface {
	EnabledContext(ctx context.Context, level slog.Level) bool
}

// Binder is an optional Logger extension: it returns a logger that
// adds args to every line. Core binds a context's enrichment once through it
// instead of passing the fields on every call. Core passes an Emitter's
// With slog.Attr values, and any other Binder flat key/value pairs.
type Binder interface {
	With(args ...any) Logger
}

// AttrLogger is an optional Logger extension: the typed path,
// which carries slog.Attr values to the native logger without boxing them.
// Core hands it a slice of its own, which the logger may keep.
type AttrLogger interface {
	LogAttrs(level slog.Level, msg string, attrs ...slog.Attr)
}

// Record is one log line as core hands it to an Emitter: arguments
// normalized once, by one set of rules, whatever the logger. It is passed
// by value, like log/slog's Record: the first few attributes are stored
// inline, so a line with five fields costs core no allocation and no
// pooled buffer.
//
// A Record's attributes are its fields in call order, one per key:
// durable.Extra maps expanded in sorted key order, key/value pairs as
// slog.Any values, groups with an empty key inlined, and a key the call
// repeats (or that it shares with a field the logger has bound, which
// core then does not bind) holding the call's last value. For Exception
// they start with errorType, errorMessage and, when the error carries one,
// stackTrace. slog.LogValuer values are not resolved yet.
//
// A copy of a Record shares the attributes beyond the inline ones with the
// original; AddAttrs on one never changes what the other holds.
type Record struct {
	// Level is the level to log at; between the four named levels a
	// logger takes the lower one.
	Level slog.Level
	// Message is the message, formatted for the f variants.
	Message string
	// Err is Exception's error, nil otherwise.
	Err error
	// PC is the program counter of the user's logging call, for loggers
	// that report callers (see CallerReporter); 0 when not captured.
	PC uintptr

	// front holds the first attributes, nFront of them; back the others.
	front  [nAttrsInline]slog.Attr
	nFront int
	back   []slog.Attr
}

// nAttrsInline is how many attributes a Record holds without allocating:
// five, as log/slog's Record, the number of fields most lines carry.
const nAttrsInline = 5

// NumAttrs returns the number of attributes of r.
func (r *Record) NumAttrs() int { return r.nFront + len(r.back) }

// Attrs calls yield on each attribute of r, in order, until yield returns
// false. It is an iterator: for a := range r.Attrs { ... }.
func (r *Record) Attrs(yield func(slog.Attr) bool) {
	for i := range r.nFront {
		if !yield(r.front[i]) {
			return
		}
	}
	for _, a := range r.back {
		if !yield(a) {
			return
		}
	}
}

// AddAttrs appends attrs to r's attributes as they are: core has
// normalized a Record's attributes before Emit, and AddAttrs keeps that
// work (it neither resolves values nor merges keys). It serves tests and
// loggers that build a Record to call Emit themselves.
func (r *Record) AddAttrs(attrs ...slog.Attr) {
	n := copy(r.front[r.nFront:], attrs)
	r.nFront += n
	if rest := attrs[n:]; len(rest) > 0 {
		// A clipped slice always reallocates, so a copy of r sharing
		// back never sees these.
		r.back = append(slices.Clip(r.back), rest...)
	}
}

// Emitter is the optional Logger extension every adapter of this
// repository implements: core calls Emit with a normalized Record instead
// of the five methods, so no adapter parses arguments. ctx is the Go
// context of the invocation or step the line belongs to (its deadline,
// trace span, ...), or the one a slog caller passed.
//
// The Record is a value of the Emitter's own, which it may keep; core
// builds it on its stack, with no pooled buffer to return.
type Emitter interface {
	Emit(ctx context.Context, r Record)
}

// CallerReporter is an optional Emitter extension: when ReportsCaller
// returns true, core captures the program counter of the user's call
// once, in Record.PC, for the logger to report as its caller or source
// (zap's AddCaller, zerolog's Caller, logrus's ReportCaller, slog's
// AddSource). Capturing costs about as much as a short log line, so
// loggers that print no caller should return false.
type CallerReporter interface {
	ReportsCaller() bool
}

// Adapter is everything the adapters of this repository implement: the
// five methods and every optional extension core discovers. A logger of
// your own needs only Logger; this interface lets an adapter
// check at compile time that it offers them all:
//
//	var _ logsink.Adapter = (*Logger)(nil)
type Adapter interface {
	Logger
	Emitter
	CallerReporter
	LevelEnabler
	Binder
	AttrLogger
}
