// Package protocol is the wire protocol between a durable function and the
// durable execution service: the invocation event Lambda sends, the output
// envelope the function returns, the operation records and updates of the
// checkpoint API, and the Service interface the runtime calls.
//
// It is for those who implement or drive that protocol: the in-memory
// service of package durabletest and the local durable service built on it. Handler authors do not need
// it; package durable is their API. The JSON field names follow the AWS
// Lambda durable execution API; see the protocol specification for the
// meaning of each field.
package protocol
