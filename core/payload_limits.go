package durable

import "fmt"

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

func (e *payloadSizeError) Error() string {
	return fmt.Sprintf("durable: %s: %s of %d bytes (serialized) is over the service's limit of %d bytes",
		e.call, e.what, e.size, e.limit)
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
