package conformance

import (
	"fmt"
	"strings"
)

// maxShown caps how much of a value a failure message quotes; payloads in
// the large-result requirements are hundreds of kilobytes.
const maxShown = 160

// show renders a value for a failure message as compact JSON, shortened
// when long, so strings appear quoted and types stay visible.
func show(v any) string {
	b, err := marshalCompact(v)
	s := string(b)
	if err != nil {
		s = fmt.Sprint(v)
	}
	return shorten(s)
}

func shorten(s string) string {
	if len(s) <= maxShown {
		return s
	}
	cut := maxShown
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…(%d bytes)", s[:cut], len(s))
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// oneLine keeps a report entry on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
