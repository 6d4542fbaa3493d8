package durabletest

// Error codes and API names only the Host uses.
const (
	codeAlreadyStarted = "DurableExecutionAlreadyStartedException"
	apiInvoke          = "Invoke"
	apiGetExecution    = "GetDurableExecution"
)
