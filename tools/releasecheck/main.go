// Command releasecheck holds the repository's release checks.
//
//	releasecheck readme        build every Go block of README.md and of the other tracked READMEs
//	releasecheck modules       check sibling requirements, pack every released module into a local
//	                           module proxy and consume it from a scratch module (no replace, no go.work)
//	releasecheck bump vX.Y.Z   set every sibling requirement to vX.Y.Z
//	releasecheck release vX.Y.Z  set every sibling requirement to vX.Y.Z and drop the sibling
//	                           replaces of the released modules: the go.mod files of the release commit
//	releasecheck develop [vX.Y.Z]  restore the development replace of every sibling requirement
//	                           (and set the requirements to vX.Y.Z, the next release)
//
// Run it from the repository root (go run ./tools/releasecheck ...); -root names another root.
// RELEASING.md describes the conventions the checks enforce.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		os.Exit(1)
	}
}

const usage = `usage: releasecheck [-root dir] readme | modules [-version vX.Y.Z] [-keep dir] | bump vX.Y.Z | release vX.Y.Z | develop [vX.Y.Z]`

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("releasecheck", flag.ContinueOnError)
	root := fs.String("root", ".", "repository root (the directory holding go.work)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New(usage)
	}
	ws, err := loadWorkspace(*root)
	if err != nil {
		return err
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	switch cmd {
	case "readme":
		if len(rest) != 0 {
			return errors.New(usage)
		}
		return checkREADMEs(ws, out)
	case "modules":
		mfs := flag.NewFlagSet("modules", flag.ContinueOnError)
		version := mfs.String("version", "", "the version the release tags (default: the one every sibling requirement names)")
		keep := mfs.String("keep", "", "write the module proxy to this directory and keep it")
		if err := mfs.Parse(rest); err != nil {
			return err
		}
		if mfs.NArg() != 0 {
			return errors.New(usage)
		}
		return checkModules(ws, *version, *keep, out)
	case "bump":
		if len(rest) != 1 {
			return errors.New(usage)
		}
		return bump(ws, rest[0], out)
	case "release":
		if len(rest) != 1 {
			return errors.New(usage)
		}
		return release(ws, rest[0], out)
	case "develop":
		if len(rest) > 1 {
			return errors.New(usage)
		}
		version := ""
		if len(rest) == 1 {
			if version = rest[0]; version == "" {
				return errors.New("develop: the version must not be empty")
			}
		}
		return develop(ws, version, out)
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

// problems collects the findings of a check, so one run reports all of them.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return fmt.Errorf("%s:\n  %s", what, strings.Join(p, "\n  "))
}
