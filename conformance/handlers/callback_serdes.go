package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// errTwoNames rejects inputs of the two-callback requirements that do not
// name exactly two callbacks.
var errTwoNames = errors.New("input must list exactly two callback names")

// callbackMessage is the typed payload of 4-15: Timestamp arrives as RFC
// 3339 text and is kept as epoch seconds.
type callbackMessage struct {
	ID        string `json:"id"`
	Message   string `json:"message"`
	Timestamp int64  `json:"timestamp"`
}

// messageSerdes decodes a callback payload into a *callbackMessage,
// converting its timestamp text into epoch seconds.
var messageSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	DeserializeFunc: func(data string, target any) error {
		msg, ok := target.(*callbackMessage)
		if !ok {
			return fmt.Errorf("messageSerdes: unsupported target %T", target)
		}
		var raw struct {
			ID        string `json:"id"`
			Message   string `json:"message"`
			Timestamp string `json:"timestamp"`
		}
		if err := json.Unmarshal([]byte(data), &raw); err != nil {
			return fmt.Errorf("messageSerdes: %w", err)
		}
		ts, err := time.Parse(time.RFC3339Nano, raw.Timestamp)
		if err != nil {
			return fmt.Errorf("messageSerdes: timestamp: %w", err)
		}
		*msg = callbackMessage{ID: raw.ID, Message: raw.Message, Timestamp: ts.Unix()}
		return nil
	},
}

// numberSerdes decodes a callback payload into an *int, accepting the
// number with or without JSON string quotes.
var numberSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	DeserializeFunc: func(data string, target any) error {
		n, ok := target.(*int)
		if !ok {
			return fmt.Errorf("numberSerdes: unsupported target %T", target)
		}
		v, err := strconv.Atoi(strings.Trim(strings.TrimSpace(data), `"`))
		if err != nil {
			return fmt.Errorf("numberSerdes: %w", err)
		}
		*n = v
		return nil
	},
}

// callbackTypedPayload awaits a callback decoded by messageSerdes and
// returns it under "received" (4-15).
func callbackTypedPayload(ctx *durable.Context, name string) (map[string]callbackMessage, error) {
	cb, err := durable.CreateCallback[callbackMessage](ctx, name, durable.WithSerdes(messageSerdes))
	if err != nil {
		return nil, err
	}
	msg, err := cb.Result()
	if err != nil {
		return nil, err
	}
	return map[string]callbackMessage{"received": msg}, nil
}

// callbackNumericPayload awaits a callback decoded as a number and returns
// it with its double (4-16).
func callbackNumericPayload(ctx *durable.Context, name string) (map[string]int, error) {
	cb, err := durable.CreateCallback[int](ctx, name, durable.WithSerdes(numberSerdes))
	if err != nil {
		return nil, err
	}
	n, err := cb.Result()
	if err != nil {
		return nil, err
	}
	return map[string]int{"count": n, "doubled": 2 * n}, nil
}
