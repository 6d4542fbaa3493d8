// Package logrus is a stub of github.com/sirupsen/logrus for the analyzer's tests.
package logrus

type Fields map[string]any

type Logger struct{}

func New() *Logger                                   { return nil }
func (l *Logger) WithField(key string, v any) *Entry { return nil }
func (l *Logger) WithFields(f Fields) *Entry         { return nil }
func (l *Logger) Info(args ...any)                   {}
func (l *Logger) Infof(format string, args ...any)   {}
func (l *Logger) Warn(args ...any)                   {}

type Entry struct{}

func (e *Entry) WithField(key string, v any) *Entry { return e }
func (e *Entry) WithError(err error) *Entry         { return e }
func (e *Entry) Info(args ...any)                   {}
func (e *Entry) Infof(format string, args ...any)   {}
func (e *Entry) Warning(args ...any)                {}
func (e *Entry) Error(args ...any)                  {}
func (e *Entry) Fatal(args ...any)                  {}

func WithField(key string, v any) *Entry { return nil }
func WithFields(f Fields) *Entry         { return nil }
func WithError(err error) *Entry         { return nil }
func Info(args ...any)                   {}
func Infof(format string, args ...any)   {}
func Println(args ...any)                {}
func Trace(args ...any)                  {}
func Debugf(format string, args ...any)  {}
