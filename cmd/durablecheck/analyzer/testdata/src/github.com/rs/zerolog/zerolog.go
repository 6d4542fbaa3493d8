// Package zerolog is a stub of github.com/rs/zerolog for the analyzer's tests.
package zerolog

type Logger struct{}

func (l *Logger) Debug() *Event             { return nil }
func (l *Logger) Info() *Event              { return nil }
func (l *Logger) Warn() *Event              { return nil }
func (l *Logger) Error() *Event             { return nil }
func (l *Logger) Fatal() *Event             { return nil }
func (l *Logger) Print(v ...any)            {}
func (l *Logger) Printf(f string, v ...any) {}

type Event struct{}

func (e *Event) Str(key, val string) *Event       { return e }
func (e *Event) Int(key string, i int) *Event     { return e }
func (e *Event) Err(err error) *Event             { return e }
func (e *Event) Dict(key string, d *Event) *Event { return e }
func (e *Event) Msg(msg string)                   {}
func (e *Event) Msgf(format string, v ...any)     {}
func (e *Event) Send()                            {}

func Dict() *Event { return nil }
