package analyzer

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// An effect is what a call does that durable code must not do on every
// replay: a non-deterministic input (rule nondeterminism) or a line
// printed by a logger that is not replay-aware (rule logging).
type effect struct {
	Rule string // ruleNondeterminism or ruleLogging
	What string // the call, e.g. "time.Now"
	Hint string // what to do instead
}

// nondeterministic lists package-level functions by package path. A nil
// set means every function of the package but those starting with New.
var nondeterministic = map[string]map[string]string{
	"time": set(hintClock, "Now", "Since", "Until"),
	"os": set(hintEnv, "Getenv", "LookupEnv", "Environ", "ExpandEnv", "Setenv", "Unsetenv", "Hostname",
		"Getpid", "Getppid", "Getuid", "Geteuid", "Getgid", "Getegid", "Getwd", "Executable",
		"UserHomeDir", "UserCacheDir", "UserConfigDir", "TempDir",
		"Open", "OpenFile", "Create", "ReadFile", "WriteFile", "ReadDir", "Stat", "Lstat",
		"Remove", "RemoveAll", "Mkdir", "MkdirAll", "MkdirTemp", "CreateTemp", "Rename", "Chdir"),
	"io/ioutil":     set(hintEnv, "ReadFile", "WriteFile", "ReadDir", "TempFile", "TempDir"),
	"path/filepath": set(hintEnv, "Glob", "Walk", "WalkDir", "Abs", "EvalSymlinks"),
	"os/exec":       set(hintIO, "Command", "CommandContext", "LookPath"),
	"net/http":      set(hintIO, "Get", "Head", "Post", "PostForm"),
	"net": set(hintIO, "Dial", "DialTimeout", "DialTCP", "DialUDP", "DialIP", "DialUnix", "Listen",
		"ListenPacket", "LookupHost", "LookupIP", "LookupAddr", "LookupCNAME", "LookupMX", "LookupTXT",
		"LookupSRV", "LookupNS", "LookupPort", "Interfaces", "InterfaceAddrs"),
	"crypto/rand":               set(hintRandom, "Read", "Int", "Prime", "Text"),
	"github.com/gofrs/uuid":     set(hintRandom, "NewV1", "NewV4", "NewV6", "NewV7"),
	"github.com/gofrs/uuid/v5":  set(hintRandom, "NewV1", "NewV4", "NewV6", "NewV7"),
	"github.com/satori/go.uuid": set(hintRandom, "NewV1", "NewV4"),
	"github.com/oklog/ulid":     set(hintRandom, "Make", "Now"),
	"github.com/oklog/ulid/v2":  set(hintRandom, "Make", "Now"),
	// the invocation's request id and function ARN
	"github.com/aws/aws-lambda-go/lambdacontext": set(hintEnv, "FromContext"),
}

// Timers block every replay and do not survive a suspension.
var timers = set(hintTimer, "Sleep", "After", "AfterFunc", "NewTimer", "NewTicker", "Tick")

// nondeterministicMethods lists methods by package path and receiver type.
var nondeterministicMethods = map[string]map[string]map[string]string{
	"net/http": {"Client": set(hintIO, "Do", "Get", "Head", "Post", "PostForm")},
	"context":  {"Context": set(hintEnv, "Deadline")}, // each invocation's own Lambda deadline
	// gRPC, which generated clients call through
	"google.golang.org/grpc": {"ClientConn": set(hintIO, "Invoke", "NewStream"), "ClientConnInterface": set(hintIO, "Invoke", "NewStream")},
	"net":                    {"Dialer": set(hintIO, "Dial", "DialContext"), "Resolver": set(hintIO, "LookupHost", "LookupIP", "LookupIPAddr", "LookupAddr", "LookupCNAME", "LookupMX", "LookupTXT", "LookupSRV", "LookupNS", "LookupPort")},
	"database/sql": {
		"DB":   set(hintIO, "Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext", "Begin", "BeginTx", "Ping", "PingContext", "Prepare", "PrepareContext", "Conn"),
		"Conn": set(hintIO, "QueryContext", "QueryRowContext", "ExecContext", "BeginTx", "PingContext", "PrepareContext"),
		"Tx":   set(hintIO, "Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext", "Prepare", "PrepareContext", "Commit", "Rollback"),
		"Stmt": set(hintIO, "Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext"),
	},
}

const (
	hintClock  = "returns a different value on replay; read it in a durable.Step and use the step's result"
	hintTimer  = "blocks on every replay and does not survive a suspension; use durable.Wait"
	hintRandom = "returns a different value on replay; generate it in a durable.Step and use the step's result"
	hintEnv    = "may differ between invocations; do it in a durable.Step and use the step's result"
	hintIO     = "runs again on every replay and may answer differently; do it in a durable.Step"
)

func set(hint string, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = hint
	}
	return m
}

// nondeterministicCall classifies a call for rule nondeterminism.
func nondeterministicCall(fn *types.Func) (effect, bool) {
	if fn.Pkg() == nil {
		return effect{}, false
	}
	path, name := fn.Pkg().Path(), fn.Name()
	mk := func(hint string) (effect, bool) {
		return effect{Rule: ruleNondeterminism, What: funcName(fn), Hint: hint}, true
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		switch {
		case path == "time" && timers[name] != "":
			return mk(timers[name])
		case path == "math/rand" || path == "math/rand/v2":
			if !strings.HasPrefix(name, "New") {
				return mk(hintRandom)
			}
		case path == "github.com/google/uuid":
			if strings.HasPrefix(name, "New") && name != "NewMD5" && name != "NewSHA1" && name != "NewHash" {
				return mk(hintRandom)
			}
		}
		if hint := nondeterministic[path][name]; hint != "" {
			return mk(hint)
		}
		return effect{}, false
	}
	tname := recvTypeName(recv.Type())
	if hint := nondeterministicMethods[path][tname][name]; hint != "" {
		return mk(hint)
	}
	// An AWS SDK service client's API operations (they take a
	// context.Context first) are network calls.
	// So are its paginators' pages, its waiters' polls and its presigned
	// requests (signed with the time), and the S3 transfer manager's.
	if strings.HasPrefix(path, "github.com/aws/aws-sdk-go-v2/service/") && fn.Exported() && takesContext(fn.Signature()) &&
		(tname == "Client" || tname == "PresignClient" || strings.HasSuffix(tname, "Paginator") || strings.HasSuffix(tname, "Waiter")) {
		return mk(hintIO)
	}
	if path == "github.com/aws/aws-sdk-go-v2/feature/s3/manager" && fn.Exported() && takesContext(fn.Signature()) {
		return mk(hintIO)
	}
	// So are the methods of an interface declared to stand in for one (as
	// the AWS SDK's documentation suggests for mocking): a context first,
	// then a service's input type.
	if types.IsInterface(recv.Type()) && takesContext(fn.Signature()) && fn.Signature().Params().Len() > 1 && isAWSServiceType(fn.Signature().Params().At(1).Type()) {
		return mk(hintIO)
	}
	return effect{}, false
}

// isAWSServiceType reports whether t is a pointer to a type of an AWS SDK
// service package, such as *dynamodb.GetItemInput.
func isAWSServiceType(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && strings.HasPrefix(n.Obj().Pkg().Path(), "github.com/aws/aws-sdk-go-v2/service/")
}

// recvTypeName names a receiver's type without pointer or package.
func recvTypeName(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// Logging packages.
const (
	zapPath     = "go.uber.org/zap"
	zerologPath = "github.com/rs/zerolog"
	logrusPath  = "github.com/sirupsen/logrus"
)

var (
	stdLogFuncs  = names("Print", "Printf", "Println", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "Output")
	slogFuncs    = names("Debug", "Info", "Warn", "Error", "Log", "LogAttrs", "DebugContext", "InfoContext", "WarnContext", "ErrorContext")
	fmtFuncs     = names("Print", "Printf", "Println")
	fmtFprint    = names("Fprint", "Fprintf", "Fprintln")
	zapFuncs     = names("Debug", "Info", "Warn", "Error", "DPanic", "Panic", "Fatal", "Log")
	zerologSends = names("Msg", "Msgf", "Send", "MsgFunc")
	zerologPrint = names("Print", "Printf", "Println")
)

// adapterMethods are the logging methods of the SDK's adapter toolkit
// (logsink), the durable Logger's method set.
var adapterMethods = names("Debug", "Info", "Warning", "Error", "Exception", "LogAttrs")

// logLevels are the level words of zap's sugared logger and logrus.
var logLevels = []string{"Trace", "Debug", "Info", "Print", "Warn", "Warning", "Error", "DPanic", "Panic", "Fatal", "Log"}

// isLevelCall reports whether name is a level word with an optional f,
// w (zap) or ln suffix.
func isLevelCall(name string) bool {
	for _, l := range logLevels {
		if rest, ok := strings.CutPrefix(name, l); ok && (rest == "" || rest == "f" || rest == "w" || rest == "ln") {
			return true
		}
	}
	return false
}

// loggingCall classifies a call for rule logging: a call that writes a
// line through a logger that knows nothing about replay.
func loggingCall(info *types.Info, call *ast.CallExpr, fn *types.Func) (effect, bool) {
	if fn.Pkg() == nil {
		return effect{}, false
	}
	path, name := fn.Pkg().Path(), fn.Name()
	recv := recvTypeName(recvType(fn))
	hit := false
	switch path {
	case "log":
		hit = stdLogFuncs[name] && (recv == "" || recv == "Logger")
	case "log/slog":
		hit = slogFuncs[name] && (recv == "" || recv == "Logger")
	case "fmt":
		hit = fmtFuncs[name] || (fmtFprint[name] && len(call.Args) > 0 && isStdStream(info, call.Args[0]))
	case zapPath:
		hit = (recv == "Logger" && zapFuncs[name]) || (recv == "SugaredLogger" && isLevelCall(name))
	case zerologPath:
		hit = (recv == "Event" && zerologSends[name]) || (recv == "Logger" && zerologPrint[name])
	case zerologPath + "/log":
		hit = recv == "" && zerologPrint[name]
	case logrusPath:
		hit = (recv == "" || recv == "Logger" || recv == "Entry") && isLevelCall(name) && !strings.HasSuffix(name, "w")
	case SDKPath:
		hit = recv == "LoggerInterface" // Context.GetLogger's logger bypasses the replay gate
	case SDKPath + "/logsink":
		// an adapter (it embeds EmitterMethods) called directly, not
		// through a context's Logger: no replay gate either
		hit = (recv == "EmitterMethods" || recv == "Logger" || recv == "AttrLogger") && adapterMethods[name]
	}
	if !hit {
		return effect{}, false
	}
	return effect{Rule: ruleLogging, What: funcName(fn), Hint: "prints again on every replay; log with the durable context's Logger(), which drops lines while replaying"}, true
}

// names makes a set of names.
func names(list ...string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, n := range list {
		m[n] = true
	}
	return m
}

func recvType(fn *types.Func) types.Type {
	if r := fn.Signature().Recv(); r != nil {
		return r.Type()
	}
	return nil
}

// isStdStream reports whether e is os.Stdout or os.Stderr.
func isStdStream(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && (v.Name() == "Stdout" || v.Name() == "Stderr")
}

// builtinPrint classifies a call of the builtin print or println.
func builtinPrint(info *types.Info, call *ast.CallExpr) (effect, bool) {
	if b, ok := typeutil.Callee(info, call).(*types.Builtin); ok && (b.Name() == "print" || b.Name() == "println") {
		return effect{Rule: ruleLogging, What: b.Name(), Hint: "prints again on every replay; log with the durable context's Logger(), which drops lines while replaying"}, true
	}
	return effect{}, false
}

// directEffect classifies one call made by durable code.
func directEffect(info *types.Info, call *ast.CallExpr, fn *types.Func) (effect, bool) {
	if e, ok := nondeterministicCall(fn); ok {
		return e, true
	}
	return loggingCall(info, call, fn)
}

// takesContext reports whether sig's first parameter is a context.Context.
func takesContext(sig *types.Signature) bool {
	if sig.Params().Len() == 0 {
		return false
	}
	n, ok := types.Unalias(sig.Params().At(0).Type()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}
