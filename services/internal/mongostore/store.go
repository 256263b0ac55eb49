// Package mongostore keeps PAKN's state in MongoDB (FerretDB in the embedded
// default): tickets, each one document changed atomically under a version
// guard, and the organisation. BSON types live only here.
//
// FerretDB scans a collection on every query, so the hot collections stay
// small: open tickets are few, and officials carry their own open counts.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"pakn.local/services/internal/feedback"
)

// Store is PAKN's MongoDB database.
type Store struct {
	client    *mongo.Client
	db        *mongo.Database
	tickets   *mongo.Collection
	archive   *mongo.Collection // resolved tickets, out of the hot collection
	officials *mongo.Collection
	// assignments holds one document per open ticket: its official.
	assignments *mongo.Collection
	units       *mongo.Collection
	wards       *mongo.Collection
	cats        *mongo.Collection
	holidays    *mongo.Collection
	settings    *mongo.Collection
}

// Connect opens the database. It does not wait for the server: Ping does.
func Connect(uri, db string) (*Store, error) {
	if uri == "" || db == "" {
		return nil, errors.New("mongostore: URI and database are required")
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri).
		SetAppName("pakn").SetTimeout(10 * time.Second).SetServerSelectionTimeout(5 * time.Second))
	if err != nil {
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	d := client.Database(db)
	return &Store{
		client: client, db: d,
		tickets: d.Collection("tickets"), archive: d.Collection("archive"), officials: d.Collection("officials"), assignments: d.Collection("assignments"),
		units: d.Collection("units"), wards: d.Collection("wards"), cats: d.Collection("categories"),
		holidays: d.Collection("holidays"), settings: d.Collection("settings"),
	}, nil
}

// Prepare creates every collection PAKN uses that does not exist yet. Call
// it once at start, before anything is served: on FerretDB a process killed
// while its first insert creates a collection can leave the collection's
// table without its record, and every later insert fails ("table already
// exists"). Created here, no citizen's item is ever the first insert.
func (s *Store) Prepare(ctx context.Context) error {
	have, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return unavailable(err)
	}
	for _, name := range []string{s.tickets.Name(), s.archive.Name(), s.officials.Name(), s.assignments.Name(),
		s.units.Name(), s.wards.Name(), s.cats.Name(), s.holidays.Name(), s.settings.Name(),
		routingRulesCollection, orgChangesCollection} {
		if slices.Contains(have, name) {
			continue
		}
		var ce mongo.CommandError
		if err := s.db.CreateCollection(ctx, name); err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // NamespaceExists: another process won
			return unavailable(fmt.Errorf("creating collection %s: %w", name, err))
		}
	}
	return nil
}

// DatabaseName names the database the store uses.
func (s *Store) DatabaseName() string { return s.db.Name() }

// Ping checks that the server answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.client.Ping(ctx, nil) }

// Close disconnects.
func (s *Store) Close(ctx context.Context) error { return s.client.Disconnect(ctx) }

func unavailable(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return feedback.Unavailable(fmt.Errorf("mongostore: %w", err))
}

func byID(id string) bson.D { return bson.D{bson.E{Key: "_id", Value: id}} }

// InsertTicket stores a new ticket. A ticket with the same tracking code
// already stored is ECONFLICT: the caller has met a redelivery.
func (s *Store) InsertTicket(ctx context.Context, t *feedback.Ticket) error {
	t.Version = 1
	_, err := s.tickets.InsertOne(ctx, toTicketDoc(t))
	if mongo.IsDuplicateKeyError(err) {
		return feedback.Errorf(feedback.ECONFLICT, "Phản ánh đã có.", "ticket %s exists", t.Code)
	}
	return unavailable(err)
}

// Ticket reads one ticket by tracking code: the open ones first, then the
// archive of resolved ones.
func (s *Store) Ticket(ctx context.Context, code feedback.TrackingCode) (*feedback.Ticket, error) {
	for _, c := range []*mongo.Collection{s.tickets, s.archive} {
		var d ticketDoc
		err := c.FindOne(ctx, byID(string(code))).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, unavailable(err)
		}
		return fromTicketDoc(&d), nil
	}
	return nil, feedback.Errorf(feedback.ENOTFOUND, "Không tìm thấy phản ánh %s.", "no ticket %s", code)
}

// ArchiveResolved moves resolved tickets whose events are all published
// from the hot collection to the archive, so that what every hot query
// scans stays the open work. Copy first, then delete: a crash between
// leaves a copy in both, which the next run removes from the hot one.
func (s *Store) ArchiveResolved(ctx context.Context, limit int) (int, error) {
	list, err := s.findTicketDocs(ctx, s.tickets, bson.D{
		bson.E{Key: "status", Value: string(feedback.StatusResolved)}, bson.E{Key: "pending", Value: false},
	}, options.Find().SetLimit(int64(limit)))
	if err != nil || len(list) == 0 {
		return 0, err
	}
	ids := make(bson.A, 0, len(list))
	for i := range list {
		if _, err := s.archive.InsertOne(ctx, list[i]); err != nil && !mongo.IsDuplicateKeyError(err) {
			return 0, unavailable(err)
		}
		ids = append(ids, list[i].Code)
	}
	res, err := s.tickets.DeleteMany(ctx, bson.D{
		bson.E{Key: "_id", Value: bson.D{bson.E{Key: "$in", Value: ids}}},
		bson.E{Key: "status", Value: string(feedback.StatusResolved)},
	})
	if err != nil {
		return 0, unavailable(err)
	}
	return int(res.DeletedCount), nil
}

// UpdateTicket replaces a ticket if nobody changed it since it was read
// (its Version is still the one read). On success Version is bumped; if
// another change won, it is ECONFLICT and the caller reads again.
func (s *Store) UpdateTicket(ctx context.Context, t *feedback.Ticket) error {
	prev := t.Version
	t.Version = prev + 1
	filter := bson.D{bson.E{Key: "_id", Value: string(t.Code)}, bson.E{Key: "version", Value: prev}}
	res, err := s.tickets.ReplaceOne(ctx, filter, toTicketDoc(t))
	if err == nil && res.MatchedCount == 0 && t.Status == feedback.StatusResolved {
		// An archived ticket (a citizen rating it after it was closed).
		res, err = s.archive.ReplaceOne(ctx, filter, toTicketDoc(t))
	}
	if err != nil {
		t.Version = prev
		return unavailable(err)
	}
	if res.MatchedCount == 0 {
		t.Version = prev
		return feedback.Errorf(feedback.ECONFLICT, "Phản ánh vừa được người khác cập nhật, vui lòng thử lại.",
			"ticket %s changed meanwhile", t.Code)
	}
	return nil
}

// ClearOutbox empties a ticket's outbox after its events were published,
// if the ticket is still at the version whose outbox was published. If it
// moved on, the outbox stays and is published again later: events carry
// ids, so a second publish is dropped as a duplicate.
func (s *Store) ClearOutbox(ctx context.Context, code feedback.TrackingCode, version int64) error {
	_, err := s.tickets.UpdateOne(ctx,
		bson.D{bson.E{Key: "_id", Value: string(code)}, bson.E{Key: "version", Value: version}},
		bson.D{bson.E{Key: "$set", Value: bson.D{
			bson.E{Key: "outbox", Value: bson.A{}}, bson.E{Key: "pending", Value: false},
		}}})
	return unavailable(err)
}

// ClearOutboxes empties the outboxes of many tickets that are all still at
// one version, in one update: on FerretDB every update scans the
// collection, so the sweeper clears a batch for the price of one.
func (s *Store) ClearOutboxes(ctx context.Context, version int64, codes []feedback.TrackingCode) error {
	if len(codes) == 0 {
		return nil
	}
	ids := make(bson.A, 0, len(codes))
	for _, c := range codes {
		ids = append(ids, string(c))
	}
	_, err := s.tickets.UpdateMany(ctx,
		bson.D{bson.E{Key: "_id", Value: bson.D{bson.E{Key: "$in", Value: ids}}}, bson.E{Key: "version", Value: version}},
		bson.D{bson.E{Key: "$set", Value: bson.D{
			bson.E{Key: "outbox", Value: bson.A{}}, bson.E{Key: "pending", Value: false},
		}}})
	return unavailable(err)
}

// PendingOutboxes returns tickets whose outbox still holds events.
func (s *Store) PendingOutboxes(ctx context.Context, limit int) ([]*feedback.Ticket, error) {
	opts := options.Find().SetLimit(int64(limit)).
		SetProjection(bson.D{bson.E{Key: "history", Value: 0}, bson.E{Key: "replies", Value: 0}})
	return s.findTickets(ctx, bson.D{bson.E{Key: "pending", Value: true}}, opts)
}

// InboxFilter selects open tickets for an inbox.
type InboxFilter struct {
	UnitID   string          // "" for every unit (supervisors)
	Assignee string          // "" for the whole unit
	Status   feedback.Status // "" for the open ones
}

// Inbox lists tickets, earliest deadline first, without their history.
func (s *Store) Inbox(ctx context.Context, f InboxFilter, limit int) ([]*feedback.Ticket, error) {
	filter := bson.D{}
	if f.UnitID != "" {
		filter = append(filter, bson.E{Key: "unit_id", Value: f.UnitID})
	}
	if f.Assignee != "" {
		filter = append(filter, bson.E{Key: "assignee", Value: f.Assignee})
	}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	} else {
		// The work still to do, unless a status is asked for.
		filter = append(filter, bson.E{Key: "status", Value: bson.D{bson.E{Key: "$in", Value: bson.A{
			string(feedback.StatusAssigned), string(feedback.StatusTriage), string(feedback.StatusLinked)}}}})
	}
	opts := options.Find().SetLimit(int64(limit)).
		SetSort(bson.D{bson.E{Key: "deadline", Value: 1}, bson.E{Key: "_id", Value: 1}}).
		SetProjection(bson.D{bson.E{Key: "history", Value: 0}, bson.E{Key: "outbox", Value: 0}})
	return s.findTickets(ctx, filter, opts)
}

// LinkedTo lists the open tickets linked to one: the citizens who reported
// the same thing and are answered with it.
func (s *Store) LinkedTo(ctx context.Context, code feedback.TrackingCode) ([]*feedback.Ticket, error) {
	return s.findTickets(ctx, bson.D{bson.E{Key: "linked_to", Value: string(code)}}, options.Find()) // whole: callers update them
}

// OpenTickets lists the open tickets received since a time, without their
// history: what the router compares new items with to find duplicates.
func (s *Store) OpenTickets(ctx context.Context, since time.Time) ([]*feedback.Ticket, error) {
	return s.findTickets(ctx, bson.D{
		bson.E{Key: "status", Value: bson.D{bson.E{Key: "$in", Value: bson.A{string(feedback.StatusAssigned), string(feedback.StatusTriage)}}}},
		bson.E{Key: "received_at", Value: bson.D{bson.E{Key: "$gte", Value: since}}},
	}, options.Find().SetProjection(bson.D{bson.E{Key: "history", Value: 0}, bson.E{Key: "outbox", Value: 0}, bson.E{Key: "replies", Value: 0}}))
}

// TicketsByCitizen lists a citizen's tickets on one channel, newest first.
func (s *Store) TicketsByCitizen(ctx context.Context, channel feedback.Channel, citizenID string, limit int) ([]*feedback.Ticket, error) {
	filter := bson.D{bson.E{Key: "channel", Value: string(channel)}, bson.E{Key: "citizen.id", Value: citizenID}}
	opts := options.Find().SetLimit(int64(limit)).SetSort(bson.D{bson.E{Key: "received_at", Value: -1}}).
		SetProjection(bson.D{bson.E{Key: "history", Value: 0}, bson.E{Key: "outbox", Value: 0}})
	return s.findTickets(ctx, filter, opts)
}

func (s *Store) findTicketDocs(ctx context.Context, c *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder) ([]ticketDoc, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, unavailable(err)
	}
	var docs []ticketDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, unavailable(err)
	}
	return docs, nil
}

func (s *Store) findTickets(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]*feedback.Ticket, error) {
	docs, err := s.findTicketDocs(ctx, s.tickets, filter, opts)
	if err != nil {
		return nil, err
	}
	out := make([]*feedback.Ticket, 0, len(docs))
	for i := range docs {
		out = append(out, fromTicketDoc(&docs[i]))
	}
	return out, nil
}
