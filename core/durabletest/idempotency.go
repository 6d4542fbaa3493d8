package durabletest

import (
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// The API makes CheckpointDurableExecution idempotent through its
// ClientToken (protocol §3.1): a checkpoint repeated with the ClientToken of
// one the service applied, within 15 minutes, gets that one's answer
// instead of being applied again. HTTP clients repeat a call whose answer
// they did not get (the AWS SDK retries a dropped connection), so without
// this a local service would refuse the repeat's spent checkpoint token
// and fail an invocation the API would have let finish.
const (
	// clientTokenWindow is how long the service remembers an answer.
	clientTokenWindow = 15 * time.Minute
	// clientTokenMemory is how many answers it remembers per execution at
	// most, the latest: a client repeats its last calls, not old ones, and
	// a long execution should not keep every answer it was given.
	clientTokenMemory = 64
)

// answer is a checkpoint the service applied under a ClientToken.
type answer struct {
	clientToken     string
	checkpointToken string // the token the checkpoint spent
	at              time.Time
	resp            protocol.CheckpointResponse
}

// answers remembers an execution's latest answers by ClientToken.
type answers struct {
	ring []answer // at most clientTokenMemory, oldest first from next
	next int
}

// repeat returns the answer to req if it repeats a checkpoint applied
// under its ClientToken within the window: same ClientToken, same spent
// checkpoint token. A ClientToken seen with another checkpoint token is
// not a repeat, and the call is judged as any other.
func (a *answers) repeat(req protocol.CheckpointRequest, now time.Time) (*protocol.CheckpointResponse, bool) {
	if req.ClientToken == "" {
		return nil, false
	}
	for i := range a.ring {
		r := &a.ring[i]
		if r.clientToken == req.ClientToken && r.checkpointToken == req.CheckpointToken && now.Sub(r.at) < clientTokenWindow {
			resp := r.resp
			return &resp, true
		}
	}
	return nil, false
}

// remember records resp as the answer to req, if req has a ClientToken.
// The answer shares resp's operations, as the service's paging cursors
// share the listings they page: the service never changes what it
// answered.
func (a *answers) remember(req protocol.CheckpointRequest, resp *protocol.CheckpointResponse, now time.Time) {
	if req.ClientToken == "" {
		return
	}
	r := answer{clientToken: req.ClientToken, checkpointToken: req.CheckpointToken, at: now, resp: *resp}
	if len(a.ring) < clientTokenMemory {
		a.ring = append(a.ring, r)
		return
	}
	a.ring[a.next] = r
	a.next = (a.next + 1) % clientTokenMemory
}
