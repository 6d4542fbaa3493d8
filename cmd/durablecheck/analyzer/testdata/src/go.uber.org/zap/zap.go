// Package zap is a stub of go.uber.org/zap for the analyzer's tests.
package zap

import "time"

type Field struct{}

func String(key, val string) Field                 { return Field{} }
func Int(key string, val int) Field                { return Field{} }
func Bool(key string, val bool) Field              { return Field{} }
func Duration(key string, val time.Duration) Field { return Field{} }
func Any(key string, val any) Field                { return Field{} }
func Error(err error) Field                        { return Field{} }
func Namespace(key string) Field                   { return Field{} }
func Strings(key string, vals []string) Field      { return Field{} }

type Logger struct{}

func L() *Logger                               { return nil }
func S() *SugaredLogger                        { return nil }
func NewNop() *Logger                          { return nil }
func (l *Logger) Sugar() *SugaredLogger        { return nil }
func (l *Logger) Debug(msg string, f ...Field) {}
func (l *Logger) Info(msg string, f ...Field)  {}
func (l *Logger) Warn(msg string, f ...Field)  {}
func (l *Logger) Error(msg string, f ...Field) {}
func (l *Logger) Fatal(msg string, f ...Field) {}
func (l *Logger) With(f ...Field) *Logger      { return l }
func (l *Logger) Named(s string) *Logger       { return l }

type SugaredLogger struct{}

func (s *SugaredLogger) With(args ...any) *SugaredLogger     { return s }
func (s *SugaredLogger) Info(args ...any)                    {}
func (s *SugaredLogger) Infof(template string, args ...any)  {}
func (s *SugaredLogger) Infow(msg string, kv ...any)         {}
func (s *SugaredLogger) Infoln(args ...any)                  {}
func (s *SugaredLogger) Warnw(msg string, kv ...any)         {}
func (s *SugaredLogger) Errorf(template string, args ...any) {}
func (s *SugaredLogger) Panicw(msg string, kv ...any)        {}
