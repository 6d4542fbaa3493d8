package durable_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestVetChecksLoggerFormats runs go vet over testdata/vetprintf, which
// calls every f variant of the context logger with a format its
// arguments do not match: vet's printf check must know the f variants as
// fmt.Sprintf wrappers and report each call, as it does for log.Printf.
func TestVetChecksLoggerFormats(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to run go vet: %v", err)
	}
	out, err := exec.Command(goTool, "vet", "./testdata/vetprintf").CombinedOutput()
	if err == nil {
		t.Fatalf("go vet reported nothing:\n%s", out)
	}
	for _, want := range []string{
		"Debugf format %d has arg",
		"Infof format %s reads arg #2, but call has 1 arg",
		"Warningf call has arguments but no formatting directives",
		"Errorf does not support error-wrapping directive %w",
		"Infof format %d has arg",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet did not report %q:\n%s", want, out)
		}
	}
}
