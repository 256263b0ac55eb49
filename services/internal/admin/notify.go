package admin

import (
	"context"
	"time"

	"github.com/nats-io/nats.go"

	"pakn.local/services/internal/natsbus"
)

// OrgChangedSubject is natsbus.OrgChangedSubject, named here for callers
// of this package.
const OrgChangedSubject = natsbus.OrgChangedSubject

// NATSNotifier announces changes on OrgChangedSubject.
type NATSNotifier struct {
	nc *nats.Conn
}

// NewNATSNotifier returns a Notifier that publishes on nc.
func NewNATSNotifier(nc *nats.Conn) *NATSNotifier { return &NATSNotifier{nc: nc} }

// Notify publishes an empty message and waits until the server has it, so
// that a router subscribed now hears of the change.
func (n *NATSNotifier) Notify(ctx context.Context) error {
	if err := n.nc.Publish(OrgChangedSubject, nil); err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
	}
	return n.nc.FlushWithContext(ctx)
}
