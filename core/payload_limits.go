package durable

import (
	"fmt"
	"strings"

	"github.com/durable-go/durable-go/core/protocol"
)

// The service's limits on the payload of an update (protocol §3.4), in
// bytes of the serialized text: 1 MB for an operation, 6 MB for the
// EXECUTION completion that carries a result too large for the response.
const (
	maxOperationPayloadBytes = 1 << 20
	maxExecutionPayloadBytes = 6 << 20
)

// payloadSizeError is the error of a payload over the service's limit:
// it matches ErrPayloadTooLarge, and its ErrorType is that sentinel's, so
// that the checkpointed failure matches it on replay too.
type payloadSizeError struct {
	call, what  string
	size, limit int
}

// payloadSizeOver is the part of a payloadSizeError's message that
// isPayloadSizeObject looks for.
const payloadSizeOver = " bytes (serialized) is over the service's limit of "

func (e *payloadSizeError) Error() string {
	return fmt.Sprintf("durable: %s: %s of %d%s%d bytes", e.call, e.what, e.size, payloadSizeOver, e.limit)
}

// isPayloadSizeObject reports whether a checkpointed error is a
// payloadSizeError's: its type, and a message the SDK wrote. The type
// alone is not enough: a user's error type of the same name (an HTTP
// client's 413, say) checkpoints that name too.
func isPayloadSizeObject(eo *protocol.ErrorObject) bool {
	return eo.ErrorType == payloadTooLarge{}.ErrorType() &&
		strings.HasPrefix(eo.ErrorMessage, "durable: ") && strings.Contains(eo.ErrorMessage, payloadSizeOver)
}

func (e *payloadSizeError) ErrorType() string { return payloadTooLarge{}.ErrorType() }
func (e *payloadSizeError) Unwrap() error     { return ErrPayloadTooLarge }

// checkPayloadSize returns a *payloadSizeError when payload, what the
// operation o would checkpoint as its what, is over the service's limit:
// a length check, cheap on the hot path.
func (o *op) checkPayloadSize(what, payload string) error {
	if len(payload) <= maxOperationPayloadBytes {
		return nil
	}
	return &payloadSizeError{call: describeCall(o.subType, o.name), what: what, size: len(payload), limit: maxOperationPayloadBytes}
}
