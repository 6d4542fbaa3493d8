// Package logsink is a stub of the SDK's adapter toolkit for the
// analyzer's tests.
package logsink

import "log/slog"

// Logger is the five-method logger.
type Logger interface {
	Debug(msg string, args ...any)
	Info(msg string, args ...any)
	Warning(msg string, args ...any)
	Error(msg string, args ...any)
	Exception(msg string, err error, args ...any)
}

// EmitterMethods gives an adapter the five Logger methods.
type EmitterMethods struct{}

func (m EmitterMethods) Debug(msg string, args ...any)                             {}
func (m EmitterMethods) Info(msg string, args ...any)                              {}
func (m EmitterMethods) Warning(msg string, args ...any)                           {}
func (m EmitterMethods) Error(msg string, args ...any)                             {}
func (m EmitterMethods) Exception(msg string, err error, args ...any)              {}
func (m EmitterMethods) LogAttrs(level slog.Level, msg string, attrs ...slog.Attr) {}
