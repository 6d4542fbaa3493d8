// Package log is a stub of github.com/rs/zerolog/log for the analyzer's tests.
package log

import "github.com/rs/zerolog"

var Logger zerolog.Logger

func Debug() *zerolog.Event          { return nil }
func Info() *zerolog.Event           { return nil }
func Warn() *zerolog.Event           { return nil }
func Error() *zerolog.Event          { return nil }
func Print(v ...any)                 {}
func Printf(format string, v ...any) {}
