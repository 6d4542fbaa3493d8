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
