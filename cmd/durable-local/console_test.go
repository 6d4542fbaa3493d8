package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleInABrowser drives the web console in Debian's chromium: it
// starts the tour from the form, watches the page update live until the
// callback form appears, completes the callback from it, and checks that
// the page reaches SUCCEEDED with the result, the chained invoke, the
// history and each log line once. The screenshot is kept in the temporary
// directory (DURABLE_LOCAL_SCREENSHOT overrides the path).
func TestConsoleInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("needs chromium and builds two binaries")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("the console test needs Debian's chromium (apt-get install -y chromium); run with -short to leave it out")
	}
	in := startTour(t, "")

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 1400))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	var status, body string
	var shot []byte
	err = chromedp.Run(ctx,
		chromedp.Navigate(in.endpoint+"/"),
		chromedp.SetValue(`#start select[name=function]`, "tour", chromedp.ByQuery),
		chromedp.SetValue(`#start input[name=input]`, `{"order":"9"}`, chromedp.ByQuery),
		chromedp.Click(`#start button`, chromedp.ByQuery),
		// The page updates itself until the callback waits for us.
		chromedp.WaitVisible(`form.callback input[name=result]`, chromedp.ByQuery),
		chromedp.SendKeys(`form.callback input[name=result]`, "approved", chromedp.ByQuery),
		chromedp.Click(`form.callback button[value=succeed]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#status.succeeded`, chromedp.ByQuery),
		chromedp.Text(`#status`, &status, chromedp.ByQuery),
		chromedp.Text(`#live`, &body, chromedp.ByQuery),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	path := os.Getenv("DURABLE_LOCAL_SCREENSHOT")
	if path == "" {
		path = filepath.Join(os.TempDir(), "durable-local-console.png")
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Errorf("saving the screenshot: %v", err)
	} else {
		t.Logf("console screenshot: %s", path)
	}
	if status != "SUCCEEDED" {
		t.Errorf("status %q", status)
	}
	for _, want := range []string{`"receipt":"R-9"`, "ChainedInvokeSucceeded", "CallbackSucceeded", "invoked execution", "charging card"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for msg, want := range map[string]int{"tour started": 1, "charging card": 2, "approval requested": 1, "tour finished": 1} {
		if got := strings.Count(body, msg); got != want {
			t.Errorf("%q shown %d times, want %d", msg, got, want)
		}
	}
}
