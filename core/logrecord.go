package durable

import "github.com/durable-go/durable-go/core/internal/testhook"

// logRecord is one call on a context logger, as seen by a logObserver
// (package durabletest installs one through internal/testhook).
type logRecord = testhook.LogRecord

// logObserver receives every context-logger call of an invocation.
type logObserver = testhook.LogObserver
