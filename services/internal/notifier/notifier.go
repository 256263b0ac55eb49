// Package notifier takes officials' answers back to citizens on the channel
// they used: an SMS for the hotline, a signed callback for the app and the
// portal. The website needs nothing sent: its status page reads the ticket.
//
// It consumes ticket events through a durable consumer; a failed delivery is
// retried with back-off by redelivery and, after the last attempt, parked
// on the dead-letter stream with the reason.
package notifier

import (
	"context"
	"fmt"
	"log/slog"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
)

// Deliverer sends a ticket event to a citizen on one channel. It must be
// safe to call twice for the same event (redelivery): event ids let the
// other side drop duplicates.
type Deliverer interface {
	Deliver(ctx context.Context, e feedback.Event) error
}

// Notifier routes events to the deliverer of their channel.
type Notifier struct {
	byChannel map[feedback.Channel]Deliverer
	log       *slog.Logger
	m         *metrics.Metrics
}

// New returns a notifier; channels without a deliverer are skipped (the
// website, or a channel whose callback URL is not configured).
func New(byChannel map[feedback.Channel]Deliverer, log *slog.Logger, m *metrics.Metrics) *Notifier {
	return &Notifier{byChannel: byChannel, log: log, m: m}
}

// Wants reports whether an event is something the citizen hears of.
func Wants(e feedback.Event) bool {
	switch e.Type {
	case feedback.EventReplied:
		return e.Reply != nil && e.Reply.Public
	case feedback.EventRouted, feedback.EventAssigned, feedback.EventResolved, feedback.EventReopened:
		return true
	}
	return false
}

// Handle is the natsbus.HandlerFunc of the notifier's consumer.
func (n *Notifier) Handle(ctx context.Context, data []byte, d natsbus.Delivery) error {
	e, err := natsbus.UnmarshalEvent(data)
	if err != nil {
		return natsbus.Permanent(fmt.Errorf("undecodable event: %w", err))
	}
	if !Wants(e) {
		return nil
	}
	dl, ok := n.byChannel[e.Channel]
	if !ok {
		return nil
	}
	if err := dl.Deliver(ctx, e); err != nil {
		n.m.Notifications.WithLabelValues(string(e.Channel), "failed").Inc()
		if feedback.IsCode(err, feedback.EINVALID) {
			return natsbus.Permanent(err) // refused for good: retrying cannot help
		}
		return err
	}
	n.m.Notifications.WithLabelValues(string(e.Channel), "sent").Inc()
	n.log.Info("citizen notified", "code", e.Code, "channel", e.Channel, "event", e.Type, "attempt", d.Attempt)
	return nil
}
