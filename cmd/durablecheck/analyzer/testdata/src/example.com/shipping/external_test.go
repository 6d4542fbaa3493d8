package shipping_test

import (
	"testing"
	"time"

	"example.com/shipping"
)

type frozen struct{ at time.Time }

func (f frozen) Now() time.Time { return f.at }

func TestShip(t *testing.T) {
	s := &shipping.Service{Now: frozen{time.Unix(0, 0)}.Now, Stamp: time.Now}
	_ = s
}
