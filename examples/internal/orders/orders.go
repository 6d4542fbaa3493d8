// Package orders holds the order workflow shared by the examples.
package orders

import (
	"fmt"
	"log/slog"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Order is the execution input.
type Order struct {
	ID     string   `json:"orderId"`
	Items  []string `json:"items"`
	Amount float64  `json:"amount"`
}

// Receipt is the execution result.
type Receipt struct {
	OrderID     string `json:"orderId"`
	Reservation string `json:"reservation"`
	Payment     string `json:"payment"`
}

// Process is the durable workflow.
func Process(ctx *durable.Context, o Order) (Receipt, error) {
	log := ctx.Logger()
	log.Info("order received", "order_id", o.ID, durable.Extra{"items": len(o.Items), "amount": o.Amount})

	reservation, err := durable.Step(ctx, "reserve-inventory", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("reserving stock", slog.Int("items", len(o.Items)))
		return "rsv-" + o.ID, nil
	})
	if err != nil {
		log.Exception("reservation failed", err, "order_id", o.ID)
		return Receipt{}, err
	}
	log.Info("stock reserved", "order_id", o.ID, "reservation", reservation)

	// The customer may cancel within 30 minutes; the function is not
	// running (nor billed) meanwhile.
	if err := durable.Wait(ctx, "cancellation-window", 30*time.Minute); err != nil {
		return Receipt{}, err
	}

	payment, err := durable.Step(ctx, "charge-card", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("charging card", slog.Float64("amount", o.Amount))
		return fmt.Sprintf("pay-%s-%.2f", o.ID, o.Amount), nil
	})
	if err != nil {
		return Receipt{}, err
	}
	if err := durable.Wait(ctx, "settlement", time.Hour); err != nil {
		return Receipt{}, err
	}
	log.Info("order complete", "order_id", o.ID, slog.String("payment", payment))
	return Receipt{OrderID: o.ID, Reservation: reservation, Payment: payment}, nil
}
