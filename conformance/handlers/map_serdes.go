package handlers

import (
	"errors"
	"fmt"
	"strings"

	durable "github.com/durable-go/durable-go/core"
)

// errMapSerdesValue is returned by the map serdes for values or payloads
// they cannot handle.
var errMapSerdesValue = errors.New("map serdes: unsupported value")

// mapWrappedSerdes checkpoints a string item result as "wrapped:<value>"
// and reads it back by stripping the prefix (9-14).
var mapWrappedSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("%w: %T", errMapSerdesValue, v)
		}
		return "wrapped:" + s, nil
	},
	DeserializeFunc: func(data string, target any) error {
		p, ok := target.(*string)
		rest, found := strings.CutPrefix(data, "wrapped:")
		if !ok || !found {
			return fmt.Errorf("%w: %T from %q", errMapSerdesValue, target, data)
		}
		*p = rest
		return nil
	},
}

// mapOpSerdesPrefix starts every payload mapOpSerdes writes.
const mapOpSerdesPrefix = "OPSERDE:"

// mapOpSerdes checkpoints a whole string BatchResult as "OPSERDE:" and the
// comma-joined results, and reads it back as all items succeeded
// (9-19, 9-20).
var mapOpSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		r, ok := v.(*durable.BatchResult[string])
		if !ok {
			return "", fmt.Errorf("%w: %T", errMapSerdesValue, v)
		}
		return mapOpSerdesPrefix + strings.Join(r.Results(), ","), nil
	},
	DeserializeFunc: func(data string, target any) error {
		r, ok := target.(*durable.BatchResult[string])
		rest, found := strings.CutPrefix(data, mapOpSerdesPrefix)
		if !ok || !found {
			return fmt.Errorf("%w: %T from %q", errMapSerdesValue, target, data)
		}
		*r = durable.BatchResult[string]{CompletionReason: durable.AllCompleted}
		if rest == "" {
			return nil
		}
		for i, s := range strings.Split(rest, ",") {
			r.All = append(r.All, durable.BatchItem[string]{Index: i, Status: durable.ItemSucceeded, Result: s})
		}
		return nil
	},
}
