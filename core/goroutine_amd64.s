#include "textflag.h"

// func curGoroutine() uintptr
TEXT ·curGoroutine(SB), NOSPLIT, $0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
