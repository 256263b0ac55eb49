// Package natsbustest starts a real embedded NATS server with PAKN's
// streams and intake for the tests of packages that publish or consume:
// the one place that setup is written, and never a mock of NATS.
package natsbustest

import (
	"context"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/natsbus"
)

// Bus is a running server, a connection, JetStream with PAKN's streams and
// the intake; all stop when the test ends.
type Bus struct {
	NATS   *embedded.NATS
	Conn   *nats.Conn
	JS     jetstream.JetStream
	Intake *natsbus.Intake
}

// Start starts a bus on a fresh store under t.TempDir.
func Start(t testing.TB) *Bus {
	t.Helper()
	n, err := embedded.StartNATS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Shutdown)
	nc, err := natsbus.Connect(n.URL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := natsbus.EnsureStreams(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	in, err := natsbus.NewIntake(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	return &Bus{NATS: n, Conn: nc, JS: js, Intake: in}
}

// Count is how many messages a stream holds now.
func (b *Bus) Count(t testing.TB, stream string) uint64 {
	t.Helper()
	s, err := b.JS.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// Items decodes every item on the intake stream, oldest first.
func (b *Bus) Items(t testing.TB) []feedback.Item {
	t.Helper()
	s, err := b.JS.Stream(context.Background(), natsbus.IntakeStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []feedback.Item
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(context.Background(), seq)
		if err != nil {
			continue // deleted
		}
		it, err := natsbus.UnmarshalItem(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
	return out
}
