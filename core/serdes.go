package durable

import (
	"encoding/json"
	"fmt"
)

// Serdes turns operation values into checkpointed text and back. The
// default is JSON (encoding/json). Deserialize receives a non-nil pointer.
type Serdes interface {
	Serialize(value any) (string, error)
	Deserialize(data string, target any) error
}

// JSONSerdes is the default Serdes: encoding/json.
type JSONSerdes struct{}

// Serialize encodes value as JSON.
func (JSONSerdes) Serialize(value any) (string, error) {
	b, err := json.Marshal(value)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Deserialize decodes JSON data into target.
func (JSONSerdes) Deserialize(data string, target any) error {
	return json.Unmarshal([]byte(data), target)
}

// SerdesFuncs adapts a pair of functions to Serdes.
type SerdesFuncs struct {
	SerializeFunc   func(value any) (string, error)
	DeserializeFunc func(data string, target any) error
}

// Serialize calls SerializeFunc.
func (s SerdesFuncs) Serialize(value any) (string, error) { return s.SerializeFunc(value) }

// Deserialize calls DeserializeFunc.
func (s SerdesFuncs) Deserialize(data string, target any) error {
	return s.DeserializeFunc(data, target)
}

func serdesOr(s Serdes) Serdes {
	if s == nil {
		return JSONSerdes{}
	}
	return s
}

// encode serializes v, wrapping failures in ErrSerialization.
func encode[T any](s Serdes, v T) (string, error) {
	out, err := serdesOr(s).Serialize(v)
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
	if err := serdesOr(s).Deserialize(*data, &v); err != nil {
		return v, fmt.Errorf("%w: %w", ErrSerialization, err)
	}
	return v, nil
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
