package durable

import (
	"fmt"
	"runtime/debug"
)

// safely runs one hook of plugin p, containing its panic: the execution's
// outcome and the other plugins' hooks never depend on a plugin. The first
// panic of each hook of a plugin type is logged through the SDK's logger;
// later ones are dropped so that a plugin failing on every operation does
// not flood the function's logs.
func (h *hooks) safely(p any, hook string, f func()) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		key := fmt.Sprintf("%T.%s", p, hook)
		if _, logged := h.ps.panicked.LoadOrStore(key, true); logged {
			return
		}
		h.inv.cfg.logging.sdkLog(areaRoot).Error("plugin hook panicked; later panics of this hook are not logged",
			"hook", key, "panic", fmt.Sprint(r), "stack", string(debug.Stack()), "executionArn", h.inv.arn)
	}()
	f()
}
