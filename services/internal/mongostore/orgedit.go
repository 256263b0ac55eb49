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

// Collections that editing the organisation at runtime adds.
const (
	routingRulesCollection = "routing_rules"
	orgChangesCollection   = "org_changes"
)

// Statuses of an OrgChange. FerretDB has no transactions, so a change is
// recorded before it is applied and marked after: a record left "pending"
// is a change whose outcome is unknown (the process stopped, or the
// database failed, in between).
const (
	ChangePending = "pending"
	ChangeApplied = "applied"
	ChangeFailed  = "failed"
)

// OrgChange is one entry of the organisation's audit trail: who changed
// what, when and why, with the thing as it was and as it became.
type OrgChange struct {
	ID     string
	At     time.Time
	Actor  string // the official's username
	Kind   string // official, unit, category, holiday, routing_rule, dead_letter
	Action string // put, duty, delete, replay, discard
	Target string // username, unit id, category code, date, "category/ward", dead-letter sequence
	Before string // JSON; empty when it did not exist
	After  string // JSON; empty when it was removed
	Reason string
	Status string
	// DoneAt is when the change was marked applied or failed.
	DoneAt time.Time
}

type routingRuleDoc struct {
	ID       string `bson:"_id"` // RoutingRuleID(category, ward)
	Category string `bson:"category"`
	Ward     string `bson:"ward"`
	UnitID   string `bson:"unit_id"`
}

type orgChangeDoc struct {
	ID     string    `bson:"_id"`
	At     time.Time `bson:"at"`
	Actor  string    `bson:"actor"`
	Kind   string    `bson:"kind"`
	Action string    `bson:"action"`
	Target string    `bson:"target"`
	Before string    `bson:"before"`
	After  string    `bson:"after"`
	Reason string    `bson:"reason,omitempty"`
	Status string    `bson:"status"`
	DoneAt time.Time `bson:"done_at,omitempty"`
}

// RoutingRuleID is the _id of a routing rule: one rule per category and ward.
func RoutingRuleID(category, ward string) string { return category + "/" + ward }

func toRoutingRuleDoc(r feedback.RoutingRule) routingRuleDoc {
	return routingRuleDoc{ID: RoutingRuleID(r.Category, r.Ward), Category: r.Category, Ward: r.Ward, UnitID: r.UnitID}
}

func fromRoutingRuleDoc(d routingRuleDoc) feedback.RoutingRule {
	return feedback.RoutingRule{Category: d.Category, Ward: d.Ward, UnitID: d.UnitID}
}

func toOrgChangeDoc(c OrgChange) orgChangeDoc {
	return orgChangeDoc{ID: c.ID, At: c.At, Actor: c.Actor, Kind: c.Kind, Action: c.Action, Target: c.Target,
		Before: c.Before, After: c.After, Reason: c.Reason, Status: c.Status, DoneAt: c.DoneAt}
}

func fromOrgChangeDoc(d orgChangeDoc) OrgChange {
	return OrgChange{ID: d.ID, At: d.At, Actor: d.Actor, Kind: d.Kind, Action: d.Action, Target: d.Target,
		Before: d.Before, After: d.After, Reason: d.Reason, Status: d.Status, DoneAt: d.DoneAt}
}

func (s *Store) put(ctx context.Context, c *mongo.Collection, id string, doc any) error {
	_, err := c.ReplaceOne(ctx, byID(id), doc, options.Replace().SetUpsert(true))
	return unavailable(err)
}

// deleteByID removes one document; nothing to remove is ENOTFOUND.
func (s *Store) deleteByID(ctx context.Context, c *mongo.Collection, id string, vi, en string) error {
	res, err := c.DeleteOne(ctx, byID(id))
	if err != nil {
		return unavailable(err)
	}
	if res.DeletedCount == 0 {
		return feedback.Errorf(feedback.ENOTFOUND, vi, en, id)
	}
	return nil
}

// PutUnit creates or replaces a unit, roster and all.
func (s *Store) PutUnit(ctx context.Context, u feedback.Unit) error {
	return s.put(ctx, s.units, u.ID, toUnitDoc(u))
}

// PutWard creates or replaces a ward with its neighbourhoods.
func (s *Store) PutWard(ctx context.Context, w feedback.Ward) error {
	return s.put(ctx, s.wards, w.Code, toWardDoc(w))
}

// SetRoster replaces a unit's rotating desk, or removes it (nil).
func (s *Store) SetRoster(ctx context.Context, unitID string, r *feedback.Roster) error {
	update := bson.D{bson.E{Key: "$unset", Value: bson.D{bson.E{Key: "roster", Value: ""}}}}
	if r != nil {
		update = bson.D{bson.E{Key: "$set", Value: bson.D{bson.E{Key: "roster", Value: toRosterDoc(r)}}}}
	}
	res, err := s.units.UpdateOne(ctx, byID(unitID), update)
	if err != nil {
		return unavailable(err)
	}
	if res.MatchedCount == 0 {
		return feedback.Errorf(feedback.ENOTFOUND, "Không có đơn vị %s.", "no unit %s", unitID)
	}
	return nil
}

// PutCategory creates or replaces a category.
func (s *Store) PutCategory(ctx context.Context, c feedback.Category) error {
	if c.Keywords == nil {
		c.Keywords = []string{} // an array, never null, like the seeded ones
	}
	return s.put(ctx, s.cats, c.Code, toCategoryDoc(c))
}

// PutHoliday creates or replaces a calendar entry: a day off, or a
// make-up working day.
func (s *Store) PutHoliday(ctx context.Context, h feedback.Holiday) error {
	return s.put(ctx, s.holidays, h.Date, toHolidayDoc(h))
}

// DeleteHoliday removes a calendar entry: the date is again what its
// weekday makes it (a closed holiday opens, a make-up Saturday closes).
func (s *Store) DeleteHoliday(ctx context.Context, date string) error {
	return s.deleteByID(ctx, s.holidays, date, "Không có ngày nghỉ %s.", "no holiday on %s")
}

// PutRoutingRule creates or replaces the rule for a category in a ward.
func (s *Store) PutRoutingRule(ctx context.Context, r feedback.RoutingRule) error {
	return s.put(ctx, s.db.Collection(routingRulesCollection), RoutingRuleID(r.Category, r.Ward), toRoutingRuleDoc(r))
}

// DeleteRoutingRule gives a category in a ward back to the category's owner.
func (s *Store) DeleteRoutingRule(ctx context.Context, category, ward string) error {
	return s.deleteByID(ctx, s.db.Collection(routingRulesCollection), RoutingRuleID(category, ward),
		"Không có quy tắc phân công %s.", "no routing rule %s")
}

// PutOfficial creates an official or updates their profile. It never
// touches what the router keeps on the same document (the last
// assignment), so an edit cannot lose a count the router just made; an
// empty passwordHash keeps the password the official has.
func (s *Store) PutOfficial(ctx context.Context, o feedback.Official, passwordHash string) error {
	set := bson.D{
		bson.E{Key: "name", Value: o.Name},
		bson.E{Key: "unit_id", Value: o.UnitID},
		bson.E{Key: "role", Value: string(o.Role)},
		bson.E{Key: "active", Value: o.Active},
		bson.E{Key: "on_duty", Value: o.OnDuty},
		bson.E{Key: "phone", Value: string(o.Phone)},
	}
	if passwordHash != "" {
		set = append(set, bson.E{Key: "password_hash", Value: passwordHash})
	}
	_, err := s.officials.UpdateOne(ctx, byID(o.Username), bson.D{
		bson.E{Key: "$set", Value: set},
		bson.E{Key: "$setOnInsert", Value: bson.D{
			bson.E{Key: "last_assigned_at", Value: time.Time{}},
		}},
	}, options.UpdateOne().SetUpsert(true))
	return unavailable(err)
}

// SetOnDuty puts an official on or off the unit's feedback desk.
func (s *Store) SetOnDuty(ctx context.Context, username string, onDuty bool) error {
	res, err := s.officials.UpdateOne(ctx, byID(username),
		bson.D{bson.E{Key: "$set", Value: bson.D{bson.E{Key: "on_duty", Value: onDuty}}}})
	if err != nil {
		return unavailable(err)
	}
	if res.MatchedCount == 0 {
		return feedback.Errorf(feedback.ENOTFOUND, "Không có cán bộ %s.", "no official %s", username)
	}
	return nil
}

// SetLeave replaces an official's list of days away.
func (s *Store) SetLeave(ctx context.Context, username string, list []feedback.Leave) error {
	res, err := s.officials.UpdateOne(ctx, byID(username),
		bson.D{bson.E{Key: "$set", Value: bson.D{bson.E{Key: "leave", Value: toLeaveDocs(list)}}}})
	if err != nil {
		return unavailable(err)
	}
	if res.MatchedCount == 0 {
		return feedback.Errorf(feedback.ENOTFOUND, "Không có cán bộ %s.", "no official %s", username)
	}
	return nil
}

// SignOut ends every sign-in of an official made before at.
func (s *Store) SignOut(ctx context.Context, username string, at time.Time) error {
	res, err := s.officials.UpdateOne(ctx, byID(username),
		bson.D{bson.E{Key: "$set", Value: bson.D{bson.E{Key: "signed_out_at", Value: at}}}})
	if err != nil {
		return unavailable(err)
	}
	if res.MatchedCount == 0 {
		return feedback.Errorf(feedback.ENOTFOUND, "Không có cán bộ %s.", "no official %s", username)
	}
	return nil
}

// RecordChange writes a change to the audit trail as pending and returns
// its id. Ids are ObjectIDs, which grow with time, so that two changes in
// the same millisecond still list in the order they were made.
func (s *Store) RecordChange(ctx context.Context, c OrgChange) (string, error) {
	if c.ID == "" {
		c.ID = bson.NewObjectID().Hex()
	}
	c.Status = ChangePending
	c.DoneAt = time.Time{}
	_, err := s.db.Collection(orgChangesCollection).InsertOne(ctx, toOrgChangeDoc(c))
	if mongo.IsDuplicateKeyError(err) {
		return "", feedback.Errorf(feedback.ECONFLICT, "Thay đổi %s đã được ghi.", "change %s is recorded already", c.ID)
	}
	if err != nil {
		return "", unavailable(err)
	}
	return c.ID, nil
}

// MarkChange settles a pending change as applied or failed. Only a pending
// change moves, so a late mark cannot rewrite a settled one.
func (s *Store) MarkChange(ctx context.Context, id, status string, at time.Time) error {
	if status != ChangeApplied && status != ChangeFailed {
		return feedback.Errorf(feedback.EINVALID, "Trạng thái %s không hợp lệ.", "status %q is not applied or failed", status)
	}
	res, err := s.db.Collection(orgChangesCollection).UpdateOne(ctx,
		bson.D{bson.E{Key: "_id", Value: id}, bson.E{Key: "status", Value: ChangePending}},
		bson.D{bson.E{Key: "$set", Value: bson.D{bson.E{Key: "status", Value: status}, bson.E{Key: "done_at", Value: at}}}})
	if err != nil {
		return unavailable(err)
	}
	if res.MatchedCount == 0 {
		return feedback.Errorf(feedback.ENOTFOUND, "Không có thay đổi %s đang chờ.", "no pending change %s", id)
	}
	return nil
}

// OrgChanges lists the audit trail, newest first. The trail grows by a few
// entries a day and is read only by supervisors, so a scan is fine.
func (s *Store) OrgChanges(ctx context.Context, limit int) ([]OrgChange, error) {
	opts := options.Find().SetLimit(int64(limit)).
		SetSort(bson.D{bson.E{Key: "at", Value: -1}, bson.E{Key: "_id", Value: -1}})
	cur, err := s.db.Collection(orgChangesCollection).Find(ctx, bson.D{}, opts)
	if err != nil {
		return nil, unavailable(err)
	}
	var docs []orgChangeDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, unavailable(err)
	}
	out := make([]OrgChange, 0, len(docs))
	for _, d := range docs {
		out = append(out, fromOrgChangeDoc(d))
	}
	return out, nil
}

// OrgChange reads one entry of the audit trail.
func (s *Store) OrgChange(ctx context.Context, id string) (OrgChange, error) {
	var d orgChangeDoc
	err := s.db.Collection(orgChangesCollection).FindOne(ctx, byID(id)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return OrgChange{}, feedback.Errorf(feedback.ENOTFOUND, "Không có thay đổi %s.", "no change %s", id)
	}
	if err != nil {
		return OrgChange{}, unavailable(err)
	}
	return fromOrgChangeDoc(d), nil
}
