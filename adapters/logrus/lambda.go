package logrusadapter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/durable-go/durable-go/core/logsink"
	"github.com/sirupsen/logrus"
)

// Keys of the Lambda JSON shape. Fields with these names are written as
// "fields.<name>", as logrus's own formatters do, so a line never carries
// a key twice.
const (
	lambdaKeyTime     = "timestamp"
	lambdaKeyLevel    = "level"
	lambdaKeyMessage  = "message"
	lambdaKeyFunction = "function"
	lambdaKeyFile     = "file"
)

// LambdaFormatter returns a logrus.Formatter that writes one JSON object
// per line in the shape Lambda's Advanced Logging Controls read:
// "timestamp" (RFC 3339, UTC, milliseconds), "level" (TRACE, DEBUG, INFO,
// WARN, ERROR or FATAL), "message", then the entry's fields in key order.
// With ReportCaller, "function" and "file" follow "message".
//
// logrus names its warning level "warning", which Lambda does not know and
// counts as INFO: with the function's log level at WARN, Lambda would drop
// every warning, and below it report them as INFO. This formatter writes
// WARN. Errors are written as their message; values that encoding/json
// cannot encode are written as text.
func LambdaFormatter() logrus.Formatter { return lambdaFormatter{} }

// NewLambdaLogger returns a logrus logger that writes Lambda-shaped JSON
// lines (see LambdaFormatter) to w at level and above. A nil w means
// os.Stdout, where Lambda collects a function's logs.
func NewLambdaLogger(w io.Writer, level logrus.Level) *logrus.Logger {
	if w == nil {
		w = os.Stdout
	}
	l := logrus.New()
	l.SetOutput(w)
	l.SetFormatter(LambdaFormatter())
	l.SetLevel(level)
	return l
}

type lambdaFormatter struct{}

// Format implements logrus.Formatter.
func (lambdaFormatter) Format(e *logrus.Entry) ([]byte, error) {
	b := e.Buffer
	if b == nil {
		b = new(bytes.Buffer)
	}
	buf := b.AvailableBuffer()
	buf = append(buf, `{"`+lambdaKeyTime+`":"`...)
	buf = logsink.AppendLambdaTime(buf, e.Time)
	buf = append(buf, `","`+lambdaKeyLevel+`":"`...)
	buf = append(buf, lambdaLevel(e.Level)...)
	buf = append(buf, `","`+lambdaKeyMessage+`":`...)
	buf = appendString(buf, e.Message)
	if e.Caller != nil {
		buf = appendKey(buf, lambdaKeyFunction)
		buf = appendString(buf, e.Caller.Function)
		buf = appendKey(buf, lambdaKeyFile)
		buf = appendString(buf, e.Caller.File+":"+strconv.Itoa(e.Caller.Line))
	}
	buf = appendFields(buf, e.Data, e.Caller != nil)
	buf = append(buf, "}\n"...)
	b.Write(buf)
	return b.Bytes(), nil
}

// lambdaLevel names a logrus level as Lambda does
// (logsink.LambdaLevelName). Panic has no Lambda counterpart and is
// written as FATAL, the most severe Lambda level.
func lambdaLevel(l logrus.Level) string {
	return logsink.LambdaLevelName(slogLevels[min(l, logrus.TraceLevel)])
}

// slogLevels are the durable (slog) levels of logrus's panic to trace
// levels.
var slogLevels = [...]slog.Level{logsink.LevelFatal, logsink.LevelFatal, slog.LevelError,
	slog.LevelWarn, slog.LevelInfo, slog.LevelDebug, logsink.LevelTrace}

// appendFields appends data's entries in key order, renaming the keys
// that clash with the line's own.
func appendFields(buf []byte, data logrus.Fields, caller bool) []byte {
	var keyBuf [16]string
	keys := keyBuf[:0]
	for k := range data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		name := logsink.LambdaFieldKey(k)
		if caller && (k == lambdaKeyFunction || k == lambdaKeyFile) {
			name = "fields." + k // the caller's keys are the line's own too
		}
		buf = appendKey(buf, name)
		buf = appendValue(buf, data[k])
	}
	return buf
}

// appendKey appends a comma and the quoted key with its colon.
func appendKey(buf []byte, key string) []byte {
	buf = append(buf, ',')
	buf = appendString(buf, key)
	return append(buf, ':')
}

// appendValue appends v as JSON, writing the common types directly and
// the rest through encoding/json. A value encoding/json rejects is written
// as its fmt text, so one bad field never loses the line.
func appendValue(buf []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...)
	case string:
		return appendString(buf, x)
	case bool:
		return strconv.AppendBool(buf, x)
	case int:
		return strconv.AppendInt(buf, int64(x), 10)
	case int64:
		return strconv.AppendInt(buf, x, 10)
	case int32:
		return strconv.AppendInt(buf, int64(x), 10)
	case uint64:
		return strconv.AppendUint(buf, x, 10)
	case uint:
		return strconv.AppendUint(buf, uint64(x), 10)
	case float64:
		return appendFloat(buf, x, 64)
	case float32:
		return appendFloat(buf, float64(x), 32)
	case time.Time:
		buf = append(buf, '"')
		buf = x.AppendFormat(buf, time.RFC3339Nano)
		return append(buf, '"')
	case error:
		return appendString(buf, fmt.Sprint(x))
	case map[string]any:
		return appendObject(buf, x)
	case logrus.Fields:
		return appendObject(buf, x)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return appendString(buf, fmt.Sprintf("%+v", v))
	}
	return append(buf, j...)
}

// appendObject appends a nested map, such as a slog group, with the same
// value rules as top-level fields.
func appendObject(buf []byte, m map[string]any) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		buf = appendValue(buf, m[k])
	}
	return append(buf, '}')
}

// appendFloat appends f as a JSON number; JSON has no NaN or infinities,
// so those are written as strings.
func appendFloat(buf []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendString(buf, strconv.FormatFloat(f, 'g', -1, bits))
	}
	return strconv.AppendFloat(buf, f, 'g', -1, bits)
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// and U+2028 and U+2029 are escaped as encoding/json does, so the line is
// also safe to embed in JavaScript.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
