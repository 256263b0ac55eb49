package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"pakn.local/services/internal/feedback"
)

const seedMarker = "seed"

// Seeded reports whether the organisation was seeded into this database.
func (s *Store) Seeded(ctx context.Context) (bool, error) {
	err := s.settings.FindOne(ctx, byID(seedMarker)).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	return err == nil, unavailable(err)
}

// Seed writes an organisation into an empty database; every official gets
// passwordHash. Each write is an upsert and the marker comes last, so a
// seed cut short by a crash is simply done again at the next start.
func (s *Store) Seed(ctx context.Context, org feedback.Organisation, passwordHash string, now time.Time) error {
	upsert := options.Replace().SetUpsert(true)
	put := func(c *mongo.Collection, id string, doc any) error {
		_, err := c.ReplaceOne(ctx, byID(id), doc, upsert)
		return unavailable(err)
	}
	for _, u := range org.Units {
		if err := put(s.units, u.ID, toUnitDoc(u)); err != nil {
			return err
		}
	}
	for _, w := range org.Wards {
		if err := put(s.wards, w.Code, toWardDoc(w)); err != nil {
			return err
		}
	}
	for _, c := range org.Categories {
		if err := put(s.cats, c.Code, toCategoryDoc(c)); err != nil {
			return err
		}
	}
	for _, o := range org.Officials {
		if err := put(s.officials, o.Username, toOfficialDoc(o, passwordHash)); err != nil {
			return err
		}
	}
	for _, h := range org.Holidays {
		if err := put(s.holidays, h.Date, toHolidayDoc(h)); err != nil {
			return err
		}
	}
	return put(s.settings, seedMarker, bson.D{bson.E{Key: "_id", Value: seedMarker}, bson.E{Key: "at", Value: now}})
}

// Organisation reads the whole organisation (small: a few hundred documents).
func (s *Store) Organisation(ctx context.Context) (feedback.Organisation, error) {
	var org feedback.Organisation
	var units []unitDoc
	var wards []wardDoc
	var cats []categoryDoc
	var offs []officialDoc
	var hols []holidayDoc
	var rules []routingRuleDoc
	for _, q := range []struct {
		c   *mongo.Collection
		out any
	}{{s.units, &units}, {s.wards, &wards}, {s.cats, &cats}, {s.officials, &offs}, {s.holidays, &hols},
		{s.db.Collection(routingRulesCollection), &rules}} {
		cur, err := q.c.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{bson.E{Key: "_id", Value: 1}}))
		if err != nil {
			return org, unavailable(err)
		}
		if err := cur.All(ctx, q.out); err != nil {
			return org, unavailable(err)
		}
	}
	for _, d := range units {
		org.Units = append(org.Units, fromUnitDoc(d))
	}
	for _, d := range wards {
		org.Wards = append(org.Wards, fromWardDoc(d))
	}
	for _, d := range cats {
		org.Categories = append(org.Categories, fromCategoryDoc(d))
	}
	w, err := s.workloads(ctx)
	if err != nil {
		return org, err
	}
	for _, d := range offs {
		org.Officials = append(org.Officials, withWorkload(fromOfficialDoc(d), w))
	}
	for _, d := range hols {
		org.Holidays = append(org.Holidays, fromHolidayDoc(d))
	}
	for _, d := range rules {
		org.RoutingRules = append(org.RoutingRules, fromRoutingRuleDoc(d))
	}
	return org, nil
}

// Officials reads the officials of a unit ("": of every unit) with their
// current workload.
func (s *Store) Officials(ctx context.Context, unitID string) ([]feedback.Official, error) {
	filter := bson.D{}
	if unitID != "" {
		filter = bson.D{bson.E{Key: "unit_id", Value: unitID}}
	}
	cur, err := s.officials.Find(ctx, filter)
	if err != nil {
		return nil, unavailable(err)
	}
	var docs []officialDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, unavailable(err)
	}
	w, err := s.workloads(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]feedback.Official, 0, len(docs))
	for _, d := range docs {
		out = append(out, withWorkload(fromOfficialDoc(d), w))
	}
	return out, nil
}

// Official reads one official and their password hash; OpenCount is not
// filled in (it costs a count of the open tickets: see Officials).
func (s *Store) Official(ctx context.Context, username string) (feedback.Official, string, error) {
	var d officialDoc
	err := s.officials.FindOne(ctx, byID(username)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return feedback.Official{}, "", feedback.Errorf(feedback.ENOTFOUND, "Không có cán bộ %s.", "no official %s", username)
	}
	if err != nil {
		return feedback.Official{}, "", unavailable(err)
	}
	return fromOfficialDoc(d), d.PasswordHash, nil
}

// TrackOpen counts a ticket as open for an official: one small document
// per open ticket in "assignments" (_id = tracking code), so the relay may
// run it again after a crash without counting twice, and no official's
// document grows or is rewritten with their work (on SQLite every write
// waits for the one before it).
func (s *Store) TrackOpen(ctx context.Context, username string, code feedback.TrackingCode, at time.Time) error {
	doc := assignmentDoc{Code: string(code), Official: username, At: at}
	_, err := s.assignments.InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		// Counted already, perhaps for someone else before a reassignment.
		_, err = s.assignments.ReplaceOne(ctx, byID(string(code)), doc)
	}
	return unavailable(err)
}

// UntrackOpen stops counting a ticket for an official (answered, resolved,
// handed to someone else). A ticket since counted for another official is
// left to them.
func (s *Store) UntrackOpen(ctx context.Context, username string, code feedback.TrackingCode) error {
	_, err := s.assignments.DeleteOne(ctx, bson.D{
		bson.E{Key: "_id", Value: string(code)}, bson.E{Key: "official", Value: username},
	})
	return unavailable(err)
}

type workload struct {
	open int
	last time.Time
}

// workloads counts open tickets per official and finds when each was last
// given one, from the assignments (small documents, one per open ticket).
func (s *Store) workloads(ctx context.Context) (map[string]workload, error) {
	cur, err := s.assignments.Find(ctx, bson.D{})
	if err != nil {
		return nil, unavailable(err)
	}
	var docs []assignmentDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, unavailable(err)
	}
	out := map[string]workload{}
	for _, d := range docs {
		w := out[d.Official]
		w.open++
		if d.At.After(w.last) {
			w.last = d.At
		}
		out[d.Official] = w
	}
	return out, nil
}

// withWorkload fills in an official's open count and last assignment.
func withWorkload(o feedback.Official, w map[string]workload) feedback.Official {
	if l, ok := w[o.Username]; ok {
		o.OpenCount = l.open
		if l.last.After(o.LastAssignedAt) {
			o.LastAssignedAt = l.last
		}
	}
	return o
}

// SigningKey returns the named secret shared by every process (desk token
// key, CSRF key), creating it on first use. Two processes creating it at
// once both end up with the one that was inserted first.
func (s *Store) SigningKey(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	id := "key:" + name
	var d struct {
		Key []byte `bson:"key"`
	}
	err := s.settings.FindOne(ctx, byID(id)).Decode(&d)
	if err == nil {
		return d.Key, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, unavailable(err)
	}
	_, err = s.settings.InsertOne(ctx, bson.D{bson.E{Key: "_id", Value: id}, bson.E{Key: "key", Value: fresh}})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return nil, unavailable(err)
	}
	if err := s.settings.FindOne(ctx, byID(id)).Decode(&d); err != nil {
		return nil, unavailable(err)
	}
	return d.Key, nil
}
