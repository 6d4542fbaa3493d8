package durabletest

// Error codes and API names only the Host uses.
const (
	codeAlreadyStarted = "DurableExecutionAlreadyStartedException"
	codeTooLarge       = "RequestTooLargeException"
	apiInvoke          = "Invoke"
	apiGetExecution    = "GetDurableExecution"

	// maxCallbackResultBytes is the largest result
	// SendDurableExecutionCallbackSuccess accepts (protocol §4.1). The
	// Runner does not check it yet: core's tests send larger results.
	maxCallbackResultBytes = 256 << 10
)
