package logsink

import (
	"context"
	"log/slog"
	"runtime"

	"github.com/durable-go/durable-go/core/internal/logattr"
)

// EmitArgs logs through e as core would, for an Emitter used directly
// (not through a context logger): it checks e's level when e is a
// LevelEnabler, normalizes args, adds Exception's error fields for a
// non-nil err, captures the caller when e reports one, and calls Emit.
// An Emitter's own five methods call it directly, so that the caller
// captured is theirs.
func EmitArgs(ctx context.Context, e Emitter, level slog.Level, msg string, err error, args []any) {
	emitDirect(ctx, e, level, msg, err, args, nil)
}

// EmitAttrs is EmitArgs for the typed path: an Emitter's own LogAttrs
// calls it directly.
func EmitAttrs(ctx context.Context, e Emitter, level slog.Level, msg string, attrs []slog.Attr) {
	emitDirect(ctx, e, level, msg, nil, nil, attrs)
}

// emitDirect is EmitArgs and EmitAttrs, two frames below the user's call.
func emitDirect(ctx context.Context, e Emitter, level slog.Level, msg string, err error, args []any, attrs []slog.Attr) {
	if en, ok := e.(LevelEnabler); ok && !en.Enabled(level) {
		return
	}
	var r Record
	r.Level, r.Message, r.Err = level, msg, err
	if _, plain := logattr.Plain(0, attrs); plain && err == nil && len(args) == 0 {
		r.AddAttrs(attrs...) // the common typed call: nothing to normalize
	} else {
		var buf [8]slog.Attr
		r.AddAttrs(logattr.NewLine(buf[:0], err, args, attrs).A...)
	}
	if c, ok := e.(CallerReporter); ok && c.ReportsCaller() {
		var pcs [1]uintptr
		runtime.Callers(4, pcs[:]) // the caller of the method that called EmitArgs or EmitAttrs
		r.PC = pcs[0]
	}
	e.Emit(ctx, r)
}

// EmitterMethods gives an Emitter the five Logger methods and
// LogAttrs, for use directly rather than through a context logger: an
// adapter embeds it, set with NewEmitterMethods(itself), and writes only
// Emit (and, as it needs, Enabled, ReportsCaller and With). Each method
// checks the level, normalizes its args by core's rules and calls Emit,
// with context.Background and, for loggers that report callers, the
// caller of the method as Record.PC.
type EmitterMethods struct{ e Emitter }

// NewEmitterMethods returns the methods of e.
func NewEmitterMethods(e Emitter) EmitterMethods { return EmitterMethods{e: e} }

// Debug logs at slog.LevelDebug.
func (m EmitterMethods) Debug(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, slog.LevelDebug, msg, nil, args)
}

// Info logs at slog.LevelInfo.
func (m EmitterMethods) Info(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, slog.LevelInfo, msg, nil, args)
}

// Warning logs at slog.LevelWarn.
func (m EmitterMethods) Warning(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, slog.LevelWarn, msg, nil, args)
}

// Error logs at slog.LevelError.
func (m EmitterMethods) Error(msg string, args ...any) {
	EmitArgs(context.Background(), m.e, slog.LevelError, msg, nil, args)
}

// Exception logs at slog.LevelError with err's fields (see ErrorAttrs) ahead
// of args.
func (m EmitterMethods) Exception(msg string, err error, args ...any) {
	EmitArgs(context.Background(), m.e, slog.LevelError, msg, err, args)
}

// LogAttrs logs attrs at level.
func (m EmitterMethods) LogAttrs(level slog.Level, msg string, attrs ...slog.Attr) {
	EmitAttrs(context.Background(), m.e, level, msg, attrs)
}
