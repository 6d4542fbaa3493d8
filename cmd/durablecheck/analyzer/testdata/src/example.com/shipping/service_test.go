package shipping

import (
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (f *fakeClock) Now() time.Time { f.t = f.t.Add(time.Second); return f.t }

func fixedNow() time.Time { return time.Unix(1700000000, 0) }

func TestDeadline(t *testing.T) {
	fake := &fakeClock{t: time.Unix(0, 0)}
	s := &Service{Now: fake.Now, Stamp: fake.Now}
	if s.Now().IsZero() {
		t.Fatal("zero")
	}
	s = &Service{Now: fixedNow, Stamp: fixedNow}
	s.Now = func() time.Time { return time.Unix(5, 0) }
	_ = s
}
