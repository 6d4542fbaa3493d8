package durable

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Serdes turns operation values into checkpointed text and back. The
// default is JSON (encoding/json). Deserialize receives a non-nil pointer.
type Serdes interface {
	Serialize(value any) (string, error)
	Deserialize(data string, target any) error
}

// jsonSerdes is the default Serdes: encoding/json.
type jsonSerdes struct{}

// Serialize encodes value as JSON.
func (jsonSerdes) Serialize(value any) (string, error) {
	b, err := json.Marshal(value)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Deserialize decodes JSON data into target.
func (jsonSerdes) Deserialize(data string, target any) error {
	return json.Unmarshal([]byte(data), target)
}

func serdesOr(s Serdes) Serdes {
	if s == nil {
		return jsonSerdes{}
	}
	return s
}

// encode serializes v, wrapping failures in ErrSerialization.
func encode[T any](s Serdes, v T) (string, error) {
	if s == nil {
		if out, ok := encodeScalar(&v); ok {
			return out, nil
		}
	}
	out, err := serialize(serdesOr(s), v)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSerialization, err)
	}
	return out, nil
}

// decode deserializes data into a T; absent data yields the zero value.
func decode[T any](s Serdes, data *string) (T, error) {
	var v T
	if data == nil {
		return v, nil
	}
	if s == nil && decodeScalar(*data, &v) {
		return v, nil
	}
	if err := deserialize(serdesOr(s), *data, &v); err != nil {
		return v, fmt.Errorf("%w: %w", ErrSerialization, err)
	}
	return v, nil
}

// serialize and deserialize call a Serdes, turning its panic into an
// error: a Serdes that panics fails like one that returns an error.
func serialize(s Serdes, v any) (out string, err error) {
	defer panicToError(&err)
	return s.Serialize(v)
}

func deserialize(s Serdes, data string, target any) (err error) {
	defer panicToError(&err)
	return s.Deserialize(data, target)
}

// SerdesOption sets how an operation's result is checkpointed and read
// back (default JSON). It is an option of every operation with a result:
//   - Step: the step's result;
//   - CreateCallback and WaitForCallback: the callback's result (by
//     default a string or []byte result receives the raw text the
//     external system sent, and any other type is decoded from JSON);
//   - RunInChildContext: the child's result;
//   - Map and Parallel: the BatchResult (WithItemSerdes sets the items');
//   - Invoke: the target's result (WithPayloadSerdes sets the input's).
type SerdesOption struct{ serdes Serdes }

// WithSerdes returns the option that makes an operation checkpoint its
// result with s (see SerdesOption).
func WithSerdes(s Serdes) SerdesOption { return SerdesOption{serdes: s} }

func (o SerdesOption) applyStep(c *stepConfig)         { c.serdes = o.serdes }
func (o SerdesOption) applyCallback(c *callbackConfig) { c.serdes = o.serdes }
func (o SerdesOption) applyChild(c *childConfig)       { c.serdes = o.serdes }
func (o SerdesOption) applyBatch(c *batchConfig)       { c.batchSerdes = o.serdes }
func (o SerdesOption) applyInvoke(c *invokeConfig)     { c.resultSerd = o.serdes }

// encodeScalar is jsonSerdes for the common scalar results (integers,
// booleans, plain ASCII strings) without reflection or a buffer; the text
// is byte for byte what encoding/json writes. ok is false for anything
// else, which goes through the Serdes.
func encodeScalar[T any](v *T) (out string, ok bool) {
	switch p := any(v).(type) {
	case *int:
		return strconv.Itoa(*p), true
	case *int64:
		return strconv.FormatInt(*p, 10), true
	case *bool:
		return strconv.FormatBool(*p), true
	case *string:
		if plainJSONString(*p) {
			return `"` + *p + `"`, true
		}
	}
	return "", false
}

// decodeScalar is the inverse of encodeScalar: it reports false, leaving
// *v alone, for any text it does not decode exactly as encoding/json would.
func decodeScalar[T any](data string, v *T) bool {
	switch p := any(v).(type) {
	case *int:
		if !plainJSONInt(data) {
			return false
		}
		n, err := strconv.ParseInt(data, 10, strconv.IntSize)
		if err != nil {
			return false
		}
		*p = int(n)
		return true
	case *int64:
		if !plainJSONInt(data) {
			return false
		}
		n, err := strconv.ParseInt(data, 10, 64)
		if err != nil {
			return false
		}
		*p = n
		return true
	case *bool:
		switch data {
		case "true", "false":
			*p = data == "true"
			return true
		}
	case *string:
		if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' && plainJSONString(data[1:len(data)-1]) {
			*p = data[1 : len(data)-1]
			return true
		}
	}
	return false
}

// plainJSONString reports whether s is printable ASCII that encoding/json
// writes between quotes as it is (no escapes, no HTML-escaped <, > or &).
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// plainJSONInt reports whether s is a JSON integer: -?(0|[1-9][0-9]*).
func plainJSONInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
