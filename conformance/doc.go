// Package conformance runs the language-neutral conformance requirements of
// AWS Lambda durable execution SDKs against Go handlers on the local
// durabletest runner.
//
// A requirement file (testdata/requirements/<suite>/<id>.yaml, described in
// testdata/FORMAT.md) gives an input, the expected checkpointed history,
// the expected final status and result, and for some requirements the
// expected log records and the callback actions an external system
// performs. A Registry maps requirement ids to handlers; Run executes every
// requirement and returns one Outcome each; Report prints them.
//
//	outcomes, err := conformance.Run(ctx, conformance.Dir(), handlers.Registry())
//	if err != nil { ... }
//	conformance.Report(os.Stdout, outcomes)
//
// The checks are exported on their own as well (MatchHistory, CheckResult,
// CheckLogs), so the same requirement files can validate a real deployment.
//
// Time is virtual: synchronous requirements run to completion instantly
// whatever their waits, and the asynchronous polling loop (a poll every
// 2 s, failure after 30 s without new events) advances the runner's clock
// instead of sleeping.
package conformance
