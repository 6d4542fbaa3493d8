package protocol_test

import (
	"fmt"

	"github.com/durable-go/durable-go/core/protocol"
)

func ExampleDecodeEvent() {
	payload := []byte(`{
	  "DurableExecutionArn": "arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x",
	  "CheckpointToken": "t1",
	  "InitialExecutionState": {"Operations": [
	    {"Id": "x", "Type": "EXECUTION", "Status": "STARTED", "StartTimestamp": 1767225600000,
	     "ExecutionDetails": {"InputPayload": "{\"orderId\":\"42\"}"}}
	  ]}
	}`)
	ev, err := protocol.DecodeEvent(payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	op := ev.InitialExecutionState.Operations[0]
	fmt.Println(op.Type, op.Status, *op.ExecutionDetails.InputPayload, op.StartTimestamp.UTC().Format("2006-01-02"))

	_, err = protocol.DecodeEvent([]byte(`{"orderId":"42"}`))
	fmt.Println(err != nil)
	// Output:
	// EXECUTION STARTED {"orderId":"42"} 2026-01-01
	// true
}
