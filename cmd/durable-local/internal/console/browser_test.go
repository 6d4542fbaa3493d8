package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/server"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// browser returns a chromedp context on Debian's chromium, closed with
// the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("needs chromium")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("the console test needs Debian's chromium (apt-get install -y chromium); run with -short to leave it out")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// waitUntil waits for cond, checked after each change of host.
func waitUntil(t *testing.T, host *durabletest.Host, cond func() bool) {
	t.Helper()
	changed := make(chan struct{}, 1)
	defer host.Subscribe(func(string) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})()
	deadline := time.After(time.Minute)
	for !cond() {
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("condition not reached in a minute")
		}
	}
}

// awaitingCallback starts an execution of approve with input and waits
// until it waits for its callback.
func awaitingCallback(t *testing.T, host *durabletest.Host, input string) *durabletest.Execution {
	t.Helper()
	e, _, err := host.Start("approve", "", "", &input, "")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, host, func() bool { return len(e.Callbacks()) > 0 && !e.Invoking() })
	return e
}

// openLive opens a page and waits for its first live refresh.
func openLive(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(page), chromedp.Poll(`window.durableLocal.refreshes > 0`, nil)); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// notice waits for the page's notice that it is not up to date and
// returns its text; the page must say why: what.
func notice(t *testing.T, ctx context.Context, what string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var text string
	if err := chromedp.Run(ctx, chromedp.WaitVisible(`.offline`, chromedp.ByQuery), chromedp.Text(`.offline`, &text, chromedp.ByQuery)); err != nil {
		t.Fatalf("the page does not say %s: %v", what, err)
	}
	return text
}

// payload is markup that runs a script wherever it is not escaped: as
// element text, in an attribute, in an inline script.
const payload = `<img src=x onerror="window.pwned='img'">"'><svg onload="window.pwned='svg'"></script><script>window.pwned='script'</script>`

// TestProgramTextShowsLiterallyAndRunsNoScript renders an execution whose
// input, operation name, step result, execution result, error and log
// line all carry markup: no script runs, before or after a live refresh,
// and the markup shows as text.
func TestProgramTextShowsLiterallyAndRunsNoScript(t *testing.T) {
	host, logs, hs := newConsole(t)
	host.Register("evil", durable.Handler(func(ctx *durable.Context, in string) (string, error) {
		if _, err := durable.Step(ctx, in, func(*durable.StepContext) (string, error) { return in, nil }); err != nil {
			return "", err
		}
		_, err := durable.WaitForCallback[string](ctx, in, func(*durable.StepContext, string) error { return nil })
		return in, err
	}))
	input := `"` + strings.ReplaceAll(payload, `"`, `\"`) + `"`
	e, _, err := host.Start("evil", "", "", &input, "")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, host, func() bool { return len(e.Callbacks()) > 0 && !e.Invoking() })
	logs.Add(e.Arn(), e.Invocations()[0].RequestID, "stdout", `{"level":"`+strings.ReplaceAll(payload, `"`, `\"`)+`","message":"`+strings.ReplaceAll(payload, `"`, `\"`)+`","k":"`+strings.ReplaceAll(payload, `"`, `\"`)+`"}`)
	logs.Add(e.Arn(), e.Invocations()[0].RequestID, "stderr", payload)

	ctx := browser(t)
	var pwned bool
	var text string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/execution?arn="+url.QueryEscape(e.Arn())),
		// The page refreshes #live once its event stream opens: read it
		// after that refresh, not while it replaces the node being read.
		chromedp.Poll(`window.durableLocal.refreshes > 0 && !window.durableLocal.pending`, nil),
		chromedp.WaitVisible(`form.callback input[name=result]`, chromedp.ByQuery),
		chromedp.Evaluate(`window.pwned !== undefined || document.querySelector('#live img, #live svg, #live script') !== null`, &pwned),
		chromedp.Text(`#live`, &text, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if pwned {
		t.Error("markup from the program became elements of the page")
	}
	if n := strings.Count(text, payload); n < 5 {
		t.Errorf("the markup shows literally %d times, want at least 5 (input, operation name, step result, log level, message, field, stderr line):\n%s", n, text)
	}

	// Completing the callback refreshes the page live (a parsed copy
	// replaces #live); that path must not run the markup either.
	if err := host.SendCallbackSuccess(context.Background(), e.Callbacks()[0].CallbackDetails.CallbackID, []byte(`"`+strings.ReplaceAll(payload, `"`, `\"`)+`"`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx,
		chromedp.WaitVisible(`#status.succeeded`, chromedp.ByQuery),
		chromedp.Evaluate(`window.pwned !== undefined || document.querySelector('#live img, #live svg, #live script') !== null`, &pwned),
		chromedp.Text(`#result`, &text, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if pwned {
		t.Error("markup from the program became elements of the page after a live refresh")
	}
	if want := *e.Result(); text != want {
		t.Errorf("result shows %q, want %q literally", text, want)
	}
	var index string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/?error="+url.QueryEscape(payload)),
		chromedp.WaitVisible(`#start`, chromedp.ByQuery),
		chromedp.Evaluate(`window.pwned !== undefined || document.querySelector('img, svg, main script') !== null`, &pwned),
		chromedp.Text(`main`, &index, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if pwned {
		t.Error("markup in the index page's error parameter became elements of the page")
	}
	if !strings.Contains(index, payload) {
		t.Errorf("the index shows %q, want the error markup literally", index)
	}
}

// TestPageSaysWhenTheServerIsGone stops the server under an open page:
// the page says it is no longer up to date, and says nothing while the
// server answers.
func TestPageSaysWhenTheServerIsGone(t *testing.T) {
	host, _, hs := newConsole(t)
	e := awaitingCallback(t, host, `"order 3"`)
	ctx := browser(t)
	var shown bool
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/execution?arn="+url.QueryEscape(e.Arn())),
		chromedp.Poll(`window.durableLocal.refreshes > 0`, nil),
		chromedp.Evaluate(`[...document.querySelectorAll('.offline')].some(function(n){ return n.offsetParent !== null; })`, &shown),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if shown {
		t.Error("the page says the server is gone while it answers")
	}
	hs.Listener.Close()
	hs.CloseClientConnections()
	text := notice(t, ctx, "the server is gone")
	if !strings.Contains(text, "durable-local") {
		t.Errorf("the notice reads %q; want it to name durable-local", text)
	}
}

// streams counts the change feeds open on a Source: one per page
// listening for live updates.
type streams struct {
	server.Source
	mu     sync.Mutex
	open   int
	closed chan struct{} // signalled each time a feed closes
}

func (s *streams) Subscribe(fn func(string)) func() {
	s.mu.Lock()
	s.open++
	s.mu.Unlock()
	cancel := s.Source.Subscribe(fn)
	return func() {
		cancel()
		s.mu.Lock()
		s.open--
		s.mu.Unlock()
		select {
		case s.closed <- struct{}{}:
		default:
		}
	}
}

func (s *streams) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// TestFinishedExecutionPageStopsListening watches a running execution's
// page hold its live update stream, then let it go once the execution
// has finished: a page that can no longer change holds no connection
// (a browser has six per server). A finished execution's page opened
// afterwards opens none.
func TestFinishedExecutionPageStopsListening(t *testing.T) {
	feeds := &streams{closed: make(chan struct{}, 1)}
	host, _, hs := newConsoleOver(t, func(s server.Source) server.Source { feeds.Source = s; return feeds })
	e := awaitingCallback(t, host, `"order 4"`)
	ctx := browser(t)
	page := hs.URL + "/execution?arn=" + url.QueryEscape(e.Arn())
	if err := chromedp.Run(ctx, chromedp.Navigate(page), chromedp.Poll(`window.durableLocal.refreshes > 0`, nil)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if n := feeds.count(); n != 1 {
		t.Fatalf("%d streams open for a running execution's page, want 1", n)
	}
	if err := host.SendCallbackSuccess(context.Background(), e.Callbacks()[0].CallbackDetails.CallbackID, []byte(`"yes"`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.WaitVisible(`#status.succeeded`, chromedp.ByQuery)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	wait := time.After(20 * time.Second)
	for feeds.count() > 0 {
		select {
		case <-feeds.closed:
		case <-wait:
			t.Fatalf("the page of a finished execution still holds %d live update streams", feeds.count())
		}
	}
	var listening bool
	if err := chromedp.Run(ctx,
		chromedp.Navigate(page), chromedp.WaitVisible(`#status.succeeded`, chromedp.ByQuery),
		chromedp.Evaluate(`!!(window.durableLocal && window.durableLocal.events.readyState !== EventSource.CLOSED)`, &listening),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if listening {
		t.Error("a finished execution's page opened a live update stream")
	}
}

// TestTypedCallbackResultSurvivesALiveUpdate types a callback result,
// leaves the field, and lets a new log line refresh the page: the typed
// text is still there to submit.
func TestTypedCallbackResultSurvivesALiveUpdate(t *testing.T) {
	host, logs, hs := newConsole(t)
	e := awaitingCallback(t, host, `"order 5"`)
	ctx := browser(t)
	var refreshes int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/execution?arn="+url.QueryEscape(e.Arn())),
		chromedp.Poll(`window.durableLocal.refreshes > 0`, nil),
		chromedp.SendKeys(`form.callback input[name=result]`, `{"approved":true}`, chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.blur(); window.durableLocal.refreshes`, &refreshes),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	logs.Add(e.Arn(), e.Invocations()[0].RequestID, "stdout", "still waiting for the manager")
	var value string
	if err := chromedp.Run(ctx,
		chromedp.Poll(fmt.Sprintf(`window.durableLocal.refreshes > %d`, refreshes), nil),
		chromedp.WaitVisible(`//div[contains(., "still waiting for the manager")]`),
		chromedp.Value(`form.callback input[name=result]`, &value, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if value != `{"approved":true}` {
		t.Errorf("after a live update the callback result reads %q, want what was typed", value)
	}
}

// forgetful forgets its executions on demand, as a durable-local
// restarted without a data directory does.
type forgetful struct {
	server.Source
	forgot atomic.Bool
}

func (f *forgetful) Execution(arn string) (*durabletest.Execution, error) {
	if f.forgot.Load() {
		return f.Source.Execution("arn:aws:lambda:us-east-1:123456789012:function:gone:$LATEST/durable-execution/gone/gone")
	}
	return f.Source.Execution(arn)
}

// TestPageSaysWhenItsExecutionIsGone has the server forget the execution
// under its open page: the next live update says the page is no longer
// up to date and why, instead of showing the old state as current.
func TestPageSaysWhenItsExecutionIsGone(t *testing.T) {
	src := &forgetful{}
	host, logs, hs := newConsoleOver(t, func(s server.Source) server.Source { src.Source = s; return src })
	e := awaitingCallback(t, host, `"order 6"`)
	ctx := browser(t)
	openLive(t, ctx, hs.URL+"/execution?arn="+url.QueryEscape(e.Arn()))
	src.forgot.Store(true)
	logs.Add(e.Arn(), e.Invocations()[0].RequestID, "stdout", "a line")
	text := notice(t, ctx, "its execution is gone")
	if !strings.Contains(text, "not found") {
		t.Errorf("the notice reads %q; want the server's answer", text)
	}
}

// TestStoppedExecutionPageFollowsItsLastInvocation stops an execution
// while its invocation still runs: the page goes on updating until that
// invocation has ended, and shows how it ended.
func TestStoppedExecutionPageFollowsItsLastInvocation(t *testing.T) {
	host, _, hs := newConsole(t)
	entered, release := make(chan struct{}), make(chan struct{})
	host.Register("busy", durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return durable.Step(ctx, "busy", func(*durable.StepContext) (string, error) {
			close(entered)
			<-release
			return "done", nil
		})
	}))
	e, _, err := host.Start("busy", "", "", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	<-entered
	ctx := browser(t)
	openLive(t, ctx, hs.URL+"/execution?arn="+url.QueryEscape(e.Arn()))
	if _, err := host.Stop(e.Arn(), nil); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.WaitVisible(`#status.stopped`, chromedp.ByQuery)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !e.Invoking() {
		t.Fatal("the invocation ended with the stop; this test needs it running on")
	}
	close(release)
	waitUntil(t, host, func() bool { return !e.Invoking() })
	var outcome string
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(wctx,
		chromedp.Poll(`!document.querySelector('.invocation .badge.running')`, nil),
		chromedp.Text(`.invocation .badge`, &outcome, chromedp.ByQuery),
	); err != nil {
		_ = chromedp.Run(ctx, chromedp.Text(`.invocation .badge`, &outcome, chromedp.ByQuery))
		t.Fatalf("the page still shows the invocation %s after it ended: %v", outcome, err)
	}
}

// TestRefreshesDoNotPileUp holds the page's first live refresh at the
// server (a large execution renders slowly) while the execution changes
// again: the page waits for the refresh it has out instead of sending
// another one per change, which would queue without end while changes
// come faster than pages render.
func TestRefreshesDoNotPileUp(t *testing.T) {
	host, logs, hs := newConsole(t)
	srv := hs.Config.Handler.(*server.Server)
	held, release := make(chan struct{}, 16), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/execution" && r.Header.Get("Sec-Fetch-Mode") != "navigate" {
			held <- struct{}{}
			<-release
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	srv.AllowAddr(slow.Listener.Addr())
	t.Cleanup(func() { close(release) })
	e := awaitingCallback(t, host, `"order 8"`)
	ctx := browser(t)
	if err := chromedp.Run(ctx, chromedp.Navigate(slow.URL+"/execution?arn="+url.QueryEscape(e.Arn()))); err != nil {
		t.Fatalf("browser: %v", err)
	}
	select {
	case <-held:
	case <-ctx.Done():
		t.Fatal("the page never refreshed itself")
	}
	// Count the refreshes sent from now on, the held one left out.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.inflight = 0; (function(f){
		window.fetch = function(){ window.inflight++; return f.apply(this, arguments).finally(function(){ window.inflight--; }); };
	})(window.fetch);`, nil)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	logs.Add(e.Arn(), e.Invocations()[0].RequestID, "stdout", "another line")
	var inflight int
	if err := chromedp.Run(ctx,
		chromedp.Poll(`window.inflight > 0 || window.durableLocal.pending === true`, nil),
		chromedp.Evaluate(`window.inflight`, &inflight),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if inflight > 0 {
		t.Errorf("%d more refreshes sent while one was out, want none", inflight)
	}
}
