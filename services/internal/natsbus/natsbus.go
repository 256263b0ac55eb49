// Package natsbus is PAKN's use of NATS JetStream: the streams, the intake
// publisher with its tracking-code reservations, ticket events, and durable
// consumers with bounded redelivery and a dead-letter stream. Protobuf
// messages are converted to and from the domain here and nowhere else.
package natsbus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Streams and subjects.
const (
	IntakeStream   = "PAKN_INTAKE"
	IntakeSubjects = "pakn.intake.>"
	TicketStream   = "PAKN_TICKETS"
	TicketSubjects = "pakn.ticket.>"
	DeadStream     = "PAKN_DEAD"
	DeadSubjects   = "pakn.dead.>"
	// CodesBucket maps idempotency keys to tracking codes and reserves codes.
	CodesBucket = "pakn_codes"
	// OrgChangedSubject announces an applied change of the organisation. It
	// is core NATS, not JetStream: a router that misses an announcement
	// still reloads at its next periodic reload, so nothing is stored.
	OrgChangedSubject = "pakn.org.changed"
)

// ErrInvalidOption is returned, wrapped, for a bad option value.
var ErrInvalidOption = errors.New("natsbus: invalid option")

// ErrNoStreams is returned by Ready when the streams have not been made.
var ErrNoStreams = errors.New("natsbus: streams missing")

// DedupeWindow is how long JetStream itself drops a republished item. Longer
// retries (days) are caught by the code reservation and the router's ticket
// ids, so this only has to cover a burst of quick retries cheaply.
const DedupeWindow = 24 * time.Hour

// Connect dials NATS with reconnects that never give up: a lost connection
// is a wait, not a crash.
func Connect(url, name string) (*nats.Conn, error) {
	if url == "" {
		return nil, fmt.Errorf("%w: empty NATS URL", ErrInvalidOption)
	}
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(true),
	)
	if err != nil {
		return nil, fmt.Errorf("natsbus: connect %s: %w", url, err)
	}
	return nc, nil
}

// EnsureStreams creates or updates PAKN's streams and the codes bucket.
// Replicas is 1 for the embedded server and 3 on a cluster.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, replicas int) error {
	if replicas < 1 {
		return fmt.Errorf("%w: replicas %d", ErrInvalidOption, replicas)
	}
	streams := []jetstream.StreamConfig{
		{
			Name: IntakeStream, Subjects: []string{IntakeSubjects},
			Description: "citizens' items from the channel adapters, until routed",
			Storage:     jetstream.FileStorage, Replicas: replicas,
			Duplicates: DedupeWindow, MaxAge: 30 * 24 * time.Hour, // kept a month so an operator can replay
		},
		{
			Name: TicketStream, Subjects: []string{TicketSubjects},
			Description: "ticket events from outboxes",
			Storage:     jetstream.FileStorage, Replicas: replicas,
			Duplicates: DedupeWindow, MaxAge: 30 * 24 * time.Hour,
		},
		{
			Name: DeadStream, Subjects: []string{DeadSubjects},
			Description: "messages that failed every delivery, with the reason",
			Storage:     jetstream.FileStorage, Replicas: replicas,
			MaxAge: 180 * 24 * time.Hour,
		},
	}
	for _, cfg := range streams {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("natsbus: stream %s: %w", cfg.Name, err)
		}
	}
	_, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      CodesBucket,
		Description: "tracking codes: k.<key hash> -> code, c.<code> -> key hash",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return fmt.Errorf("natsbus: bucket %s: %w", CodesBucket, err)
	}
	return nil
}

// Ready checks that NATS answers and the streams exist (for /readyz).
func Ready(ctx context.Context, js jetstream.JetStream) error {
	for _, name := range []string{IntakeStream, TicketStream, DeadStream} {
		if _, err := js.Stream(ctx, name); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrNoStreams, name, err)
		}
	}
	return nil
}
