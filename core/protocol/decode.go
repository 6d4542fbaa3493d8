package protocol

import (
	"encoding/json"
	"fmt"
	"strings"
)

// DecodeEvent parses and validates a durable invocation event.
func DecodeEvent(payload []byte) (*InvocationEvent, error) {
	ev, err := fastDecodeEvent(payload)
	if err != nil {
		ev = &InvocationEvent{}
		if err := json.Unmarshal(payload, ev); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidEvent, err)
		}
	}
	if ev.DurableExecutionArn == "" || ev.CheckpointToken == "" {
		return nil, fmt.Errorf("%w: unexpected payload without DurableExecutionArn and CheckpointToken; is the function configured as a durable function?", ErrInvalidEvent)
	}
	if executionID(ev.DurableExecutionArn) == "" {
		return nil, fmt.Errorf("%w: DurableExecutionArn %q has no invocation id segment", ErrInvalidEvent, ev.DurableExecutionArn)
	}
	return ev, nil
}

// executionID is the EXECUTION operation's id: the ARN's last segment.
func executionID(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}
