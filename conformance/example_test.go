package conformance_test

import (
	"fmt"
	"os"

	"github.com/durable-go/durable-go/conformance"
)

func ExampleReport() {
	conformance.Report(os.Stdout, []conformance.Outcome{
		{ID: "1-1", Description: "Step basic", Status: conformance.Passed},
		{ID: "1-2", Description: "Step with name", Status: conformance.Failed,
			Detail: `history EventId 2 (StepStarted): Name: expected "custom_step_name", got "other"`},
		{ID: "1-4", Description: "Step retry", Status: conformance.NotImplemented, Detail: "no handler registered"},
	})
	// Output:
	// PASSED 1-1 Step basic
	// FAILED 1-2 Step with name — history EventId 2 (StepStarted): Name: expected "custom_step_name", got "other"
	// NOT_IMPLEMENTED 1-4 Step retry — no handler registered
	// conformance: 1 passed, 1 failed, 1 not implemented, of 3
}

func ExampleMatchHistory() {
	req, _ := conformance.ParseRequirement("step", "1-1", []byte(`
ExpectedExecutionHistory:
  - {EventType: StepStarted, EventId: 2, Id: '${ID1}'}
  - {EventType: StepSucceeded, EventId: 3, Id: '${ID1}', StepSucceededDetails: {Result: {Payload: '"hi"'}}}
`))
	events, _ := conformance.ParseHistory([]byte(`[
  {"EventId": 1, "EventType": "ExecutionStarted"},
  {"EventId": 2, "EventType": "StepStarted", "Id": "a1"},
  {"EventId": 3, "EventType": "StepSucceeded", "Id": "a1", "StepSucceededDetails": {"Result": {"Payload": "\"ho\""}}}
]`))
	b := conformance.NewBindings()
	fmt.Println(conformance.MatchHistory(req.ExpectedHistory, events, b))
	id, _ := b.Lookup("ID1")
	fmt.Println("ID1 =", id)
	// Output:
	// history EventId 3 (StepSucceeded): StepSucceededDetails.Result.Payload: expected "\"hi\"", got "\"ho\""
	// ID1 = a1
}

func ExamplePythonJSON() {
	req, _ := conformance.ParseRequirement("callback", "4-7", []byte(`
CallbackActions:
  - {CallbackName: approval, Operation: success, Payload: {status: approved, by: José}}
`))
	fmt.Println(conformance.PythonJSON(req.CallbackActions[0].Payload))
	// Output: {"status": "approved", "by": "Jos\u00e9"}
}
