package conformance

import (
	"os"
	"path/filepath"
	"runtime"
)

// DirEnv names the environment variable that overrides the requirement
// directory.
const DirEnv = "DURABLE_CONFORMANCE_DIR"

// vendoredDir is the vendored requirement set, relative to this package.
var vendoredDir = filepath.Join("testdata", "requirements")

// Dir returns the requirement directory to run: $DURABLE_CONFORMANCE_DIR
// when set, otherwise the requirement set vendored beside this package's
// source (found through the source location recorded at build time, so
// it works from any working directory), falling back to the relative
// path testdata/requirements.
func Dir() string {
	if d := os.Getenv(DirEnv); d != "" {
		return d
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		d := filepath.Join(filepath.Dir(file), vendoredDir)
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return vendoredDir
}
