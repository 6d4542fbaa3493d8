package conformance

import (
	"fmt"
	"io"
)

// Report writes one line per outcome, "<STATUS> <id> <description>", with
// " — <detail>" appended for FAILED and NOT_IMPLEMENTED (a failed optional
// requirement says "(optional)"), then the summary line
// "conformance: N passed, M failed, K not implemented, of T". It returns
// the three counts; failed includes optional failures.
func Report(w io.Writer, outcomes []Outcome) (passed, failed, notImpl int) {
	for _, o := range outcomes {
		line := fmt.Sprintf("%s %s %s", o.Status, o.ID, o.Description)
		switch o.Status {
		case Passed:
			passed++
		case Failed:
			failed++
			detail := o.Detail
			if o.Optional {
				detail = "(optional) " + detail
			}
			line += " — " + detail
		default:
			notImpl++
			line += " — " + o.Detail
		}
		fmt.Fprintln(w, oneLine(line))
	}
	fmt.Fprintf(w, "conformance: %d passed, %d failed, %d not implemented, of %d\n", passed, failed, notImpl, len(outcomes))
	return passed, failed, notImpl
}
