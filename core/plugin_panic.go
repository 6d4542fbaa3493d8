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
		if r := recover(); r != nil {
			h.panicked(p, hook, r)
		}
	}()
	f()
}

// panicked logs the first panic of a plugin type's hook. It runs in the
// deferred call of safely, so debug.Stack still shows where the hook
// panicked; kept out of that call, whose frame every hook call pays for.
//
//go:noinline
func (h *hooks) panicked(p any, hook string, r any) {
	key := fmt.Sprintf("%T.%s", p, hook)
	if _, logged := h.ps.panicked.LoadOrStore(key, true); logged {
		return
	}
	h.inv.cfg.logging.sdkLog(areaRoot).Error("plugin hook panicked; later panics of this hook are not logged",
		"hook", key, "panic", fmt.Sprint(r), "stack", string(debug.Stack()), "executionArn", h.inv.arn)
}
