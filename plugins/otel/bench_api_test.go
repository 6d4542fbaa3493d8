package durableotel_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// BenchmarkAPI runs the workloads of BenchmarkSeq100 and BenchmarkMap1000
// the way they run in Lambda: every checkpoint and state call goes through
// the AWS SDK's Lambda client (durable.WithLambdaClient) over HTTP. The
// function runs in a process of its own (this test binary, started again
// in function mode), serving invocations over HTTP much as the Lambda
// runtime client does; the local runner and a fake of the durable
// execution API, which answers from the runner's in-memory service, stay
// in the benchmark's process. fn-cpu-ms/op is the function process's CPU
// time per execution: the workload, the plugin, and for every API call
// the request's serialization and signing, the HTTP round trip and the
// response's decoding, without the service's side of it. fn-B/op,
// fn-allocs/op and fn-gc/op are the function process's bytes and objects
// allocated and garbage collections per execution. The variants are
// BenchmarkSeq100's baseline, otel and otel-noop.
func BenchmarkAPI(b *testing.B) {
	for _, w := range []string{"seq100", "map1000"} {
		for _, v := range []string{"baseline", "otel", "otel-noop"} {
			b.Run(w+"/"+v, func(b *testing.B) { benchAPI(b, w, v) })
		}
	}
}

// Function mode: the environment variables under which the test binary
// serves one workload's invocations instead of running tests.
const (
	envFunction = "DURABLEOTEL_BENCH_FUNCTION" // "<workload>/<variant>"
	envEndpoint = "DURABLEOTEL_BENCH_ENDPOINT" // the fake API's URL
	// envProfile, set when running the benchmark, makes each function
	// process write a CPU profile of its life (and a heap profile at its
	// end) to files named <value>-<workload>-<variant>-<pid>.{cpu,mem}.pprof:
	// the benchmark's own -cpuprofile sees only the runner's side.
	envProfile = "DURABLEOTEL_BENCH_PROFILE"
)

func TestMain(m *testing.M) {
	if name := os.Getenv(envFunction); name != "" {
		if err := serveFunction(name, os.Getenv(envEndpoint)); err != nil {
			fmt.Fprintln(os.Stderr, "function mode:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveFunction serves the invocations of the workload and variant name
// ("map1000/otel") on a local port it prints, until its standard input
// closes: POST /invoke runs an invocation (the request id in the
// Lambda-Runtime-Aws-Request-Id header), GET /usage answers the process's
// usage (JSON).
func serveFunction(name, endpoint string) error {
	workload, variant, _ := strings.Cut(name, "/")
	workloads := map[string]func(...durable.Option) *durable.Function{"seq100": seq100, "map1000": map1000}
	build, ok := workloads[workload]
	if !ok {
		return fmt.Errorf("unknown workload %q", workload)
	}
	opts := []durable.Option{durable.WithLambdaClient(lambdaClient(endpoint))}
	switch variant {
	case "baseline":
	case "otel":
		plugin, shutdown := otelPlugin()
		defer shutdown()
		opts = append(opts, plugin)
	case "otel-noop": // the plugin's own cost, as BenchmarkSeq100's otel-noop
		opts = append(opts, durable.WithPlugins(durableotel.New(
			durableotel.WithTracerProvider(tracenoop.NewTracerProvider()), durableotel.WithMeterProvider(metricnoop.NewMeterProvider()))))
	default:
		return fmt.Errorf("unknown variant %q", variant)
	}
	fn := build(opts...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /invoke", func(w http.ResponseWriter, r *http.Request) {
		payload, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: r.Header.Get("Lambda-Runtime-Aws-Request-Id")})
		out, err := fn.Invoke(ctx, payload)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(out)
	})
	mux.HandleFunc("GET /usage", func(w http.ResponseWriter, _ *http.Request) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		_ = json.NewEncoder(w).Encode(usage{CPU: cpuTime(), Bytes: m.TotalAlloc, Allocs: m.Mallocs, GCs: m.NumGC})
	})
	srv := &http.Server{Handler: mux}
	stopProfile, err := startProfile(os.Getenv(envProfile), workload, variant)
	if err != nil {
		return err
	}
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // the benchmark ended or died
		stopProfile()
		_ = srv.Close()
	}()
	fmt.Println(ln.Addr().String())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startProfile starts the function process's CPU profile when prefix is
// set (envProfile); stop ends it and writes a heap profile.
func startProfile(prefix, workload, variant string) (stop func(), err error) {
	if prefix == "" {
		return func() {}, nil
	}
	name := fmt.Sprintf("%s-%s-%s-%d", prefix, workload, variant, os.Getpid())
	f, err := os.Create(name + ".cpu.pprof")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
		if m, err := os.Create(name + ".mem.pprof"); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(m, 0)
			_ = m.Close()
		}
	}, nil
}

// lambdaClient is a Lambda client for the fake API at endpoint.
func lambdaClient(endpoint string) *lambda.Client {
	return lambda.NewFromConfig(aws.Config{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDBENCH", SecretAccessKey: "secret"}, nil
		}),
	}, func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(endpoint)
	})
}

func benchAPI(b *testing.B, workload, variant string) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	fn := startFunction(b, workload+"/"+variant, srv.URL)
	var stats durabletest.Stats
	u0 := fn.usage(b)
	for b.Loop() {
		r := durabletest.NewRunner(fn)
		api.svc.Store(r.Service())
		exec, err := r.Run(context.Background(), nil)
		if err != nil || exec.Status() != "SUCCEEDED" {
			b.Fatalf("run: %v, status %s %+v", err, exec.Status(), exec.Error())
		}
		stats = exec.Stats()
	}
	u := fn.usage(b)
	n := float64(b.N)
	b.ReportMetric(float64((u.CPU-u0.CPU).Microseconds())/1000/n, "fn-cpu-ms/op")
	b.ReportMetric(float64(u.Bytes-u0.Bytes)/n, "fn-B/op")
	b.ReportMetric(float64(u.Allocs-u0.Allocs)/n, "fn-allocs/op")
	b.ReportMetric(float64(u.GCs-u0.GCs)/n, "fn-gc/op")
	b.ReportMetric(float64(stats.CheckpointCalls), "checkpoints")
	b.ReportMetric(float64(stats.Invocations), "invocations")
}

// function is the function process, a durabletest.Handler.
type function struct {
	addr string
	n    atomic.Int64
}

// startFunction starts the test binary in function mode.
func startFunction(b *testing.B, name, endpoint string) *function {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envFunction+"="+name, envEndpoint+"="+endpoint)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("function process: %v", err)
	}
	return &function{addr: strings.TrimSpace(addr)}
}

func (f *function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+f.addr+"/invoke", bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Lambda-Runtime-Aws-Request-Id", "request-"+strconv.FormatInt(f.n.Add(1), 10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("invocation: %s: %s", resp.Status, out)
	}
	return out, err
}

// usage is what the function process used so far.
type usage struct {
	CPU           time.Duration // user and system CPU time
	Bytes, Allocs uint64        // allocated
	GCs           uint32        // garbage collections
}

func (f *function) usage(b *testing.B) usage {
	resp, err := http.Get("http://" + f.addr + "/usage")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var u usage
	if err := json.NewDecoder(resp.Body).Decode(&u); err != nil {
		b.Fatalf("function usage: %v", err)
	}
	return u
}

// fakeAPI answers the durable execution routes of the Lambda API
// (CheckpointDurableExecution, GetDurableExecutionState) from a runner's
// in-memory service, which answers a checkpoint repeated with the
// ClientToken of one it applied with that one's answer, as the API does.
// (Repeats came from the SDK: smithy-go closes a request's body when the
// response arrives, and its WriteTo then answers io.EOF, which net/http
// took for a write error when the response beat its final read of the
// body; core now hands net/http bodies without WriteTo.)
type fakeAPI struct {
	svc atomic.Pointer[durabletest.Service]
}

const apiPrefix = "/2025-12-01/durable-executions/"

func (a *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), apiPrefix)
	i := strings.LastIndexByte(rest, '/')
	if !ok || i < 0 {
		http.NotFound(w, r)
		return
	}
	arn, err := url.PathUnescape(rest[:i])
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	svc := a.svc.Load()
	var out any
	switch route := rest[i+1:]; {
	case route == "checkpoint" && r.Method == http.MethodPost:
		var req protocol.CheckpointRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.DurableExecutionArn = arn
		out, err = svc.Checkpoint(r.Context(), req)
	case route == "state" && r.Method == http.MethodGet:
		q := r.URL.Query()
		maxItems, _ := strconv.Atoi(q.Get("MaxItems"))
		out, err = svc.GetExecutionState(r.Context(), protocol.StateRequest{
			DurableExecutionArn: arn, CheckpointToken: q.Get("CheckpointToken"), Marker: q.Get("Marker"), MaxItems: maxItems,
		})
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		status, code := http.StatusInternalServerError, "ServiceException"
		if apiErr := (*protocol.APIError)(nil); errors.As(err, &apiErr) {
			if apiErr.StatusCode != 0 {
				status = apiErr.StatusCode
			}
			if apiErr.Code != "" {
				code = apiErr.Code
			}
		}
		w.Header().Set("X-Amzn-Errortype", code)
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": err.Error()})
		return
	}
	body, err := json.Marshal(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write(epochSeconds(body))
}

// millisTimestamp matches the timestamps of protocol's JSON (epoch
// milliseconds); the Lambda API's are epoch seconds.
var millisTimestamp = regexp.MustCompile(`"(\w*Timestamp)":(-?\d+)`)

func epochSeconds(body []byte) []byte {
	return millisTimestamp.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := millisTimestamp.FindSubmatch(m)
		ms, _ := strconv.ParseInt(string(sub[2]), 10, 64)
		return fmt.Appendf(nil, `"%s":%s`, sub[1], strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64))
	})
}
