package logsink

import (
	"context"
	"log/slog"
	"time"
)

// SlogLogger is a Logger that writes through a log/slog handler: the one
// implementation behind durable's default logger and the slog adapter
// (adapters/slog, whose New is what a handler author reaches for). It
// implements every extension of Adapter: Emit hands each Record to the
// handler's Handle with the invocation's or step's context.Context, the
// record's time in UTC and, for AddSource, the user's call site as its PC
// (it reports callers); Enabled is the handler's; With binds fields through
// the handler's WithAttrs, so the enrichment is formatted once per
// context; LogAttrs passes attributes as they are. Warning logs at
// slog.LevelWarn, which slog names "WARN" as Lambda does. A SlogLogger is
// safe for concurrent use when its handler is.
type SlogLogger struct {
	// EmitterMethods are Debug, Info, Warning, Error, Exception and
	// LogAttrs, for the SlogLogger used directly.
	EmitterMethods
	h slog.Handler
}

// SlogLogger offers every optional extension core discovers.
var _ Adapter = (*SlogLogger)(nil)

// NewSlogLogger returns a SlogLogger that writes through h. A nil h means
// the handler of slog.Default().
func NewSlogLogger(h slog.Handler) *SlogLogger {
	if h == nil {
		h = slog.Default().Handler()
	}
	l := &SlogLogger{h: h}
	l.EmitterMethods = NewEmitterMethods(l)
	return l
}

// Handler returns the handler l writes through, with the fields bound by
// With.
func (l *SlogLogger) Handler() slog.Handler { return l.h }

// Enabled reports whether the handler emits lines at level.
func (l *SlogLogger) Enabled(level slog.Level) bool {
	return l.h.Enabled(context.Background(), level)
}

// EnabledContext reports whether the handler emits lines at level for
// ctx (ContextLevelEnabler).
func (l *SlogLogger) EnabledContext(ctx context.Context, level slog.Level) bool {
	return l.h.Enabled(ctx, level)
}

// ReportsCaller reports true: slog records carry their call site (PC),
// which handlers with AddSource print.
func (l *SlogLogger) ReportsCaller() bool { return true }

// With returns a *SlogLogger (as a Logger) over the handler's
// WithAttrs(args), args normalized by core's rules (see ArgsToAttrs).
func (l *SlogLogger) With(args ...any) Logger {
	attrs := ArgsToAttrs(args...)
	if len(attrs) == 0 {
		return l
	}
	return NewSlogLogger(l.h.WithAttrs(attrs))
}

// Emit hands r to the handler as a slog.Record with ctx, stamped with the
// current time in UTC, when the handler is enabled for r's level.
func (l *SlogLogger) Emit(ctx context.Context, r Record) {
	if !l.h.Enabled(ctx, r.Level) {
		return
	}
	rec := slog.NewRecord(time.Now().UTC(), r.Level, r.Message, r.PC)
	rec.AddAttrs(r.front[:r.nFront]...) // in two calls rather than one per attribute
	rec.AddAttrs(r.back...)
	_ = l.h.Handle(ctx, rec)
}
