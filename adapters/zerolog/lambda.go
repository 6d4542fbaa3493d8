package zerologadapter

import (
	"bytes"
	"io"
	"log/slog"
	"sync"

	"github.com/durable-go/durable-go/core/logsink"
	"github.com/rs/zerolog"
)

// Keys and layout of Lambda's JSON log format, which Advanced Logging
// Controls read to filter lines by level.
const (
	lambdaTimeKey    = "timestamp"
	lambdaLevelKey   = "level"
	lambdaMessageKey = "message"
)

// NewLambdaLogger returns a zerolog.Logger that writes one Lambda-shaped
// JSON object per line to w and drops lines below level:
//
//	{"timestamp":"2026-01-02T03:04:05.678Z","level":"INFO","message":"reserved","orderId":"o-1"}
//
// It is zerolog.New(NewLambdaWriter(w)).Level(level); add fields, hooks or
// sampling to it as to any zerolog.Logger, but leave out Timestamp(): the
// writer adds the timestamp.
//
//	log := zerologadapter.New(zerologadapter.NewLambdaLogger(os.Stdout, zerolog.InfoLevel))
func NewLambdaLogger(w io.Writer, level zerolog.Level) zerolog.Logger {
	return zerolog.New(NewLambdaWriter(w)).Level(level)
}

// NewLambdaWriter returns a zerolog.LevelWriter that gives every zerolog
// JSON line written through it Lambda's shape, and writes it to w in one
// Write call:
//
//   - "timestamp" first: the time of the write, from zerolog.TimestampFunc,
//     in RFC 3339 UTC with milliseconds;
//   - "level" next, as Lambda names levels: TRACE, DEBUG, INFO, WARN, ERROR,
//     or FATAL for zerolog's fatal and panic levels; a line from zerolog's
//     Log(), which has no level, gets none, and Lambda reads it as INFO;
//   - "message" third, then the line's other fields in zerolog's order;
//     a field of the line's own named "timestamp", "level" or "message"
//     is written as "fields.timestamp", "fields.level" or "fields.message",
//     as the other adapters' Lambda helpers write it, so that the line
//     holds Lambda's keys once (JSON readers keep the last of two "level"
//     keys, and Lambda would filter the line by the field's value); and
//     of several fields named zerolog.CallerFieldName (one of the user's
//     beside the caller Caller() writes after every other field), all but
//     the last, zerolog's, are written as "fields.caller".
//
// zerolog names its level and message fields through package-level
// variables (zerolog.LevelFieldName and friends) shared by every logger in
// the program. Setting them would change loggers this writer has nothing to
// do with, so the writer leaves them alone and rewrites each line instead:
// it reads the settings in force, removes zerolog's level field and moves
// the message field to the front under Lambda's names. This costs a copy
// of the line into a pooled buffer, and no allocation. A line that is not a
// JSON object (zerolog built with the binary_log tag writes CBOR) passes
// through unchanged.
//
// A zerolog.Logger with Timestamp() still writes its own time field as
// well; leave Timestamp() out on loggers writing here.
func NewLambdaWriter(w io.Writer) zerolog.LevelWriter {
	if w == nil {
		w = io.Discard
	}
	return &lambdaWriter{w: w}
}

type lambdaWriter struct {
	w io.Writer
}

// Write rewrites p, a zerolog line whose level it reads from the line
// itself. zerolog calls WriteLevel; Write serves writers that wrap this one
// and forward lines without their level.
func (lw *lambdaWriter) Write(p []byte) (int, error) {
	return lw.WriteLevel(lineLevel(p), p)
}

// WriteLevel rewrites p, a zerolog line at level, into Lambda's shape and
// writes it to the underlying writer in one call.
func (lw *lambdaWriter) WriteLevel(level zerolog.Level, p []byte) (int, error) {
	body, tail, ok := splitObject(p)
	if !ok {
		return lw.w.Write(p)
	}
	bp := linePool.Get().(*[]byte)
	defer putLine(bp)
	b := appendLambdaLine((*bp)[:0], level, body, tail)
	*bp = b
	if _, err := lw.w.Write(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close closes the underlying writer when it is an io.Closer, so that
// zerolog's Fatal can flush it.
func (lw *lambdaWriter) Close() error {
	if c, ok := lw.w.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// appendLambdaLine appends the Lambda-shaped line for body (a zerolog
// object's content without its braces) and then tail (the closing brace and
// line break) to b.
func appendLambdaLine(b []byte, level zerolog.Level, body, tail []byte) []byte {
	// zerolog writes no whitespace between tokens; trimming it keeps lines
	// from other JSON writers valid too.
	body = cutLevelField(trimSpace(body), level)
	fields, msg := cutMessageField(trimSpace(body))
	fields = trimSpace(fields)

	b = append(b, `{"`+lambdaTimeKey+`":"`...)
	b = logsink.AppendLambdaTime(b, zerolog.TimestampFunc())
	b = append(b, '"')
	if name := lambdaLevel(level); name != "" {
		b = append(b, `,"`+lambdaLevelKey+`":"`...)
		b = append(b, name...)
		b = append(b, '"')
	}
	b = append(b, `,"`+lambdaMessageKey+`":`...)
	if msg != nil {
		b = append(b, msg...)
	} else {
		b = append(b, `""`...) // Lambda's shape has a message, empty or not, as the other loggers write it
	}
	if len(fields) > 0 {
		if fields[0] != ',' {
			b = append(b, ',')
		}
		b = appendFields(b, fields)
	}
	return append(b, tail...)
}

// trimSpace trims JSON whitespace from both ends of b.
func trimSpace(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }

// splitObject splits p, a zerolog line, into the content of its JSON
// object (between the braces) and the tail (the closing brace and line
// break). ok is false when p is not a JSON object.
func splitObject(p []byte) (body, tail []byte, ok bool) {
	end := len(p)
	if end > 0 && p[end-1] == '\n' {
		end--
	}
	if end < 2 || p[0] != '{' || p[end-1] != '}' {
		return nil, nil, false
	}
	return p[1 : end-1], p[end-1:], true
}

// cutLevelField removes zerolog's level field, which zerolog always writes
// first, from the start of body.
func cutLevelField(body []byte, level zerolog.Level) []byte {
	if level == zerolog.NoLevel || zerolog.LevelFieldName == "" {
		return body
	}
	rest, ok := cutPrefix(body, `"`, zerolog.LevelFieldName, `":"`, zerolog.LevelFieldMarshalFunc(level), `"`)
	if !ok {
		return body
	}
	return rest
}

// cutMessageField splits body into the other fields and the JSON string
// of zerolog's message field, which zerolog always writes last. msg is nil
// when the line has no message.
func cutMessageField(body []byte) (fields, msg []byte) {
	if len(body) == 0 || body[len(body)-1] != '"' {
		return body, nil
	}
	open := stringStart(body)
	if open < 0 {
		return body, nil
	}
	key := zerolog.MessageFieldName
	start := open - len(key) - 3 // `"` key `":` before the value
	if start < 0 || body[open-1] != ':' || body[open-2] != '"' ||
		body[start] != '"' || string(body[start+1:open-2]) != key {
		return body, nil
	}
	if start > 0 && body[start-1] != ',' {
		return body, nil // the key is the tail of a longer string
	}
	return body[:max(start-1, 0)], body[open:]
}

// stringStart returns the index of the quote that opens the JSON string
// ending body, or -1. A quote preceded by an odd number of backslashes is
// part of the string.
func stringStart(body []byte) int {
	for i := len(body) - 2; i >= 0; i-- {
		if body[i] != '"' {
			continue
		}
		slashes := 0
		for j := i - 1; j >= 0 && body[j] == '\\'; j-- {
			slashes++
		}
		if slashes%2 == 0 {
			return i
		}
	}
	return -1
}

// cutPrefix reports whether b starts with the concatenation of parts, and
// returns the rest of b; it saves building the prefix string.
func cutPrefix(b []byte, parts ...string) ([]byte, bool) {
	for _, s := range parts {
		if len(b) < len(s) || string(b[:len(s)]) != s {
			return nil, false
		}
		b = b[len(s):]
	}
	return b, true
}

// lineLevel reads the level zerolog wrote at the start of line, or
// zerolog.NoLevel.
func lineLevel(line []byte) zerolog.Level {
	body, _, ok := splitObject(line)
	if !ok || zerolog.LevelFieldName == "" {
		return zerolog.NoLevel
	}
	for l := zerolog.TraceLevel; l <= zerolog.PanicLevel; l++ {
		if _, ok := cutPrefix(body, `"`, zerolog.LevelFieldName, `":"`, zerolog.LevelFieldMarshalFunc(l), `"`); ok {
			return l
		}
	}
	return zerolog.NoLevel
}

// lambdaLevel names level as Lambda's Advanced Logging Controls do
// (logsink.LambdaLevelName), or returns "" for zerolog's "no level".
func lambdaLevel(level zerolog.Level) string {
	if level == zerolog.NoLevel || level == zerolog.Disabled {
		return ""
	}
	return logsink.LambdaLevelName(slogLevels[min(max(level, zerolog.TraceLevel), zerolog.PanicLevel)-zerolog.TraceLevel])
}

// slogLevels are the durable (slog) levels of zerolog's trace to panic
// levels.
var slogLevels = [...]slog.Level{logsink.LevelTrace, slog.LevelDebug, slog.LevelInfo,
	slog.LevelWarn, slog.LevelError, logsink.LevelFatal, logsink.LevelFatal}

// linePool recycles the buffers lines are rewritten into.
var linePool = sync.Pool{New: func() any {
	b := make([]byte, 0, 1024)
	return &b
}}

// putLine returns a buffer to linePool unless a huge line grew it, so the
// pool does not pin memory (see golang.org/issue/23199).
func putLine(bp *[]byte) {
	if cap(*bp) <= 64<<10 {
		linePool.Put(bp)
	}
}

// appendFields appends fields, the top-level fields of a zerolog line
// (compact JSON members separated by commas), to b, writing a field whose
// key is one of the Lambda shape's as "fields.<key>", and so every field
// named zerolog.CallerFieldName but the last when the line holds more than
// one: zerolog's Caller() writes its caller after every other field, just
// before the message, so the last is zerolog's and the others are the
// user's. Lines without such keys, nearly all, are copied as they are.
func appendFields(b, fields []byte) []byte {
	callers, ok := mayHoldOwnKey(fields)
	if !ok {
		return append(b, fields...)
	}
	caller, keep := zerolog.CallerFieldName, -1
	if callers > 1 {
		keep = lastMember(fields, caller)
	}
	for off := 0; off < len(fields); {
		if fields[off] == ',' {
			b, off = append(b, ','), off+1
			continue
		}
		keyEnd, end, ok := memberAt(fields, off)
		if !ok {
			return append(b, fields[off:]...) // not a member: leave the rest as it is
		}
		if key := fields[off+1 : keyEnd-1]; isShapeKey(key) || callers > 1 && off != keep && string(key) == caller {
			b = append(b, `"fields.`...)
			b = append(b, fields[off+1:end]...)
		} else {
			b = append(b, fields[off:end]...)
		}
		off = end
	}
	return b
}

// isShapeKey reports whether key is one of the Lambda shape's keys.
func isShapeKey(key []byte) bool {
	switch string(key) {
	case lambdaTimeKey, lambdaLevelKey, lambdaMessageKey:
		return true
	}
	return false
}

// memberAt returns, for the member of fields whose key starts at off, the
// index just past its key and the index of the comma that ends it (or
// len(fields)); ok is false when no whole key starts at off.
func memberAt(fields []byte, off int) (keyEnd, end int, ok bool) {
	n := stringEnd(fields[off:])
	if n < 0 {
		return 0, 0, false
	}
	keyEnd = off + n
	return keyEnd, keyEnd + valueEnd(fields[keyEnd:]), true
}

// lastMember returns the offset in fields of the last top-level member
// named key, or -1.
func lastMember(fields []byte, key string) int {
	last := -1
	for off := 0; off < len(fields); {
		if fields[off] == ',' {
			off++
			continue
		}
		keyEnd, end, ok := memberAt(fields, off)
		if !ok {
			break
		}
		if string(fields[off+1:keyEnd-1]) == key {
			last = off
		}
		off = end
	}
	return last
}

// mayHoldOwnKey reports whether fields may hold a top-level member whose
// key is one of the Lambda shape's, or more than one named
// zerolog.CallerFieldName, and how many of the latter it may hold. A member
// starts the fields or follows a comma, so it looks only there, in one
// pass over the commas: a comma inside a string can make it answer true
// for nothing (appendFields then finds nothing to rename), never false for
// a key. Searching the line for each key instead stops at every quote,
// several per member: that cost a zerolog line with a context's enrichment
// about a microsecond.
func mayHoldOwnKey(fields []byte) (callers int, ok bool) {
	caller := zerolog.CallerFieldName
	// firsts has the bits of the keys' first bytes: a member whose key
	// starts otherwise, nearly all, costs one test.
	firsts := firstBit(lambdaTimeKey[0]) | firstBit(lambdaLevelKey[0]) | firstBit(lambdaMessageKey[0])
	if caller != "" {
		firsts |= firstBit(caller[0])
	}
	for {
		if len(fields) > 1 && firsts&firstBit(fields[1]) != 0 {
			switch ownKeyAt(fields, caller) {
			case shapeKey:
				ok = true
			case callerKey:
				callers++
			}
		}
		i := bytes.IndexByte(fields, ',')
		if i < 0 {
			return callers, ok || callers > 1
		}
		fields = fields[i+1:]
	}
}

// firstBit is the bit of mayHoldOwnKey's set of first bytes for c; bytes
// 64 apart share one, which only costs a closer look.
func firstBit(c byte) uint64 { return 1 << (c & 63) }

// Kinds of key ownKeyAt tells apart.
const (
	otherKey = iota
	shapeKey
	callerKey
)

// ownKeyAt tells whether p starts with the key of a member named like one
// of the Lambda shape's keys (shapeKey), or caller (callerKey).
func ownKeyAt(p []byte, caller string) int {
	if len(p) < 2 || p[0] != '"' {
		return otherKey
	}
	switch p[1] {
	case lambdaTimeKey[0]:
		if keyAt(p, lambdaTimeKey) {
			return shapeKey
		}
	case lambdaLevelKey[0]:
		if keyAt(p, lambdaLevelKey) {
			return shapeKey
		}
	case lambdaMessageKey[0]:
		if keyAt(p, lambdaMessageKey) {
			return shapeKey
		}
	}
	if caller != "" && p[1] == caller[0] && keyAt(p, caller) {
		return callerKey
	}
	return otherKey
}

// keyAt reports whether p, which starts with a quote, starts with the key
// key: the quoted key and a colon.
func keyAt(p []byte, key string) bool {
	n := len(key) + 1
	return len(p) > n+1 && p[n] == '"' && p[n+1] == ':' && string(p[1:n]) == key
}

// stringEnd returns the index just past the JSON string p starts with, or
// -1 when p does not start with a whole string.
func stringEnd(p []byte) int {
	if len(p) == 0 || p[0] != '"' {
		return -1
	}
	for i := 1; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// valueEnd returns the index of the comma that ends the member value p
// starts with (the colon included), or len(p) for the last member.
func valueEnd(p []byte) int {
	depth := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '"':
			n := stringEnd(p[i:])
			if n < 0 {
				return len(p)
			}
			i += n - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			if depth == 0 {
				return i
			}
		}
	}
	return len(p)
}
