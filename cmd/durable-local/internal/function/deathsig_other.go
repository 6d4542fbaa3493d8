//go:build unix && !linux

package function

import "syscall"

// dieWithParent does nothing: only Linux has Pdeathsig.
func dieWithParent(*syscall.SysProcAttr) {}
