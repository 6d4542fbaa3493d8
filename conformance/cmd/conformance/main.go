// Command conformance runs the conformance requirements against the Go
// handlers in package handlers on the local durabletest runner and prints
// one line per requirement and a summary. It exits with status 1 when a
// requirement that is not optional fails.
//
//	go run ./conformance/cmd/conformance [-run 1-1,4-7] [-dir DIR]
//
// The requirement directory defaults to $DURABLE_CONFORMANCE_DIR, then to
// the set vendored in the conformance module.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/durable-go/durable-go/conformance"
	"github.com/durable-go/durable-go/conformance/handlers"
)

func main() {
	os.Exit(run())
}

func run() int {
	dir := flag.String("dir", conformance.Dir(), "directory of <suite>/<id>.yaml requirement files")
	only := flag.String("run", "", "comma-separated requirement ids to run (default: all)")
	flag.Parse()
	var opts []conformance.Option
	if *only != "" {
		opts = append(opts, conformance.WithIDs(strings.Split(*only, ",")...))
	}
	outcomes, err := conformance.Run(context.Background(), *dir, handlers.Registry(), opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	conformance.Report(os.Stdout, outcomes)
	for _, o := range outcomes {
		if o.Blocking() {
			return 1
		}
	}
	return 0
}
