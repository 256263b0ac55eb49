// Package router decides who answers each item: it classifies the text,
// locates the ward, picks the responsible unit and an on-duty official in
// it, computes the deadline in working days, and stores the ticket. Items
// it cannot place go to the coordinators' triage queue with the reason.
package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
)

// Store is what the router needs of the database.
type Store interface {
	Ticket(ctx context.Context, code feedback.TrackingCode) (*feedback.Ticket, error)
	InsertTicket(ctx context.Context, t *feedback.Ticket) error
	Organisation(ctx context.Context) (feedback.Organisation, error)
	Officials(ctx context.Context, unitID string) ([]feedback.Official, error)
	OpenTickets(ctx context.Context, since time.Time) ([]*feedback.Ticket, error)
}

// Announcer publishes a ticket's events and counts its open tickets for
// officials, without updating the ticket (package outbox).
type Announcer interface {
	Announce(ctx context.Context, t *feedback.Ticket, events []feedback.Event) error
}

// Router turns items into tickets.
type Router struct {
	store  Store
	outbox Announcer
	staff  *staffCache
	dups   *duplicateIndex
	log    *slog.Logger
	m      *metrics.Metrics
	loc    *time.Location
	now    func() time.Time
	tables atomic.Pointer[tables]
}

// New returns a router; call Reload before handling items. loc is
// Asia/Ho_Chi_Minh, where working days are counted.
func New(store Store, outbox Announcer, log *slog.Logger, m *metrics.Metrics, loc *time.Location, now func() time.Time) *Router {
	if now == nil {
		now = time.Now
	}
	return &Router{store: store, outbox: outbox, log: log, m: m, loc: loc, now: now,
		staff: &staffCache{store: store, ttl: StaffRefresh, now: now},
		dups:  &duplicateIndex{src: store, now: now}}
}

// tables is one consistent snapshot of the organisation, swapped whole on
// reload so that a routing decision never sees half an edit.
type tables struct {
	classifier      *Classifier
	locator         *Locator
	calendar        *feedback.Calendar
	units           map[string]feedback.Unit
	wards           map[string]feedback.Ward
	categories      map[string]feedback.Category
	rules           map[string]string // category + "/" + ward -> unit
	coordinatorUnit string
	desk            deskCache
}

// deskCache remembers each unit's shift for one desk day: working a shift
// out walks the calendar from the roster's start, and once a day will do.
type deskCache struct {
	mu    sync.Mutex
	day   time.Time
	shift map[string][]string // unit -> usernames; nil for a unit without a roster
}

// onDesk returns who staffs a unit's desk for an item routed at now (see
// feedback.PickOfficial), or nil when the unit has no roster for the day.
func (t *tables) onDesk(unitID string, now time.Time) []string {
	u, ok := t.units[unitID]
	if !ok || u.Roster == nil {
		return nil
	}
	day := t.calendar.DeskDay(now)
	t.desk.mu.Lock()
	defer t.desk.mu.Unlock()
	if !t.desk.day.Equal(day) || t.desk.shift == nil {
		t.desk.day, t.desk.shift = day, make(map[string][]string)
	}
	shift, ok := t.desk.shift[unitID]
	if !ok {
		shift, _ = u.Roster.OnDesk(t.calendar, day)
		t.desk.shift[unitID] = shift
	}
	return shift
}

// Reload reads the organisation and swaps in new routing tables.
func (r *Router) Reload(ctx context.Context) error {
	org, err := r.store.Organisation(ctx)
	if err != nil {
		return err
	}
	return r.Use(org)
}

// Use swaps in routing tables built from org.
func (r *Router) Use(org feedback.Organisation) error {
	t, err := buildTables(org, r.loc)
	if err != nil {
		return err
	}
	r.tables.Store(t)
	r.invalidate()
	return nil
}

// Warm reads the staff and the open tickets for the duplicate check now,
// so that the first items do not wait for them (with many open tickets the
// reads take seconds). Call it after Reload, before taking items.
func (r *Router) Warm(ctx context.Context) error {
	tb := r.tables.Load()
	if tb == nil {
		return errors.New("router: organisation not loaded")
	}
	if err := r.dups.warm(ctx, tb.locator.street); err != nil {
		return err
	}
	_, _, err := r.staff.pick(ctx, "", func([]feedback.Official) (feedback.Official, bool) { return feedback.Official{}, false }, r.now())
	return err
}

// RunReload reloads the organisation every interval until ctx ends, so that
// edits take effect without a restart.
func (r *Router) RunReload(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := r.Reload(ctx); err != nil && ctx.Err() == nil {
				r.log.Warn("reloading the organisation failed; keeping the previous one", "err", err)
			}
		}
	}
}

func buildTables(org feedback.Organisation, loc *time.Location) (*tables, error) {
	cal, err := feedback.NewCalendar(loc, org.Holidays)
	if err != nil {
		return nil, err
	}
	t := &tables{
		classifier: NewClassifier(org.Categories),
		locator:    NewLocator(org.Wards),
		calendar:   cal,
		units:      make(map[string]feedback.Unit, len(org.Units)),
		wards:      make(map[string]feedback.Ward, len(org.Wards)),
		categories: make(map[string]feedback.Category, len(org.Categories)),
		rules:      make(map[string]string, len(org.RoutingRules)),
	}
	for _, rr := range org.RoutingRules {
		t.rules[rr.Category+"/"+rr.Ward] = rr.UnitID
	}
	for _, u := range org.Units {
		t.units[u.ID] = u
	}
	for _, w := range org.Wards {
		t.wards[w.Code] = w
	}
	for _, c := range org.Categories {
		t.categories[c.Code] = c
	}
	for _, o := range org.Officials {
		if o.Role == feedback.RoleCoordinator {
			t.coordinatorUnit = o.UnitID
			break
		}
	}
	if t.coordinatorUnit == "" {
		return nil, errors.New("router: the organisation has no coordinator to own triage")
	}
	return t, nil
}

// Handle routes one message of the intake stream (a natsbus.HandlerFunc).
// A redelivered item whose ticket exists is acknowledged without a second
// ticket; an item that cannot be decoded is dead-lettered at once.
func (r *Router) Handle(ctx context.Context, data []byte, d natsbus.Delivery) error {
	it, err := natsbus.UnmarshalItem(data)
	if err != nil {
		return natsbus.Permanent(fmt.Errorf("undecodable item: %w", err))
	}
	if err := it.Validate(); err != nil {
		return natsbus.Permanent(fmt.Errorf("invalid item: %w", err))
	}
	if _, err := feedback.ParseTrackingCode(string(it.Code)); err != nil {
		return natsbus.Permanent(fmt.Errorf("item %s has no valid tracking code", it.Key))
	}
	// A replay from the dead letters, or a redelivery, may come after the
	// ticket was resolved and moved to the archive, where the insert below
	// would not clash: look first. Only these rare deliveries pay for it.
	if d.Replayed || d.Attempt > 1 {
		existing, err := r.store.Ticket(ctx, it.Code)
		switch {
		case err == nil:
			r.m.ItemsRouted.WithLabelValues("duplicate").Inc()
			return r.reannounce(ctx, existing)
		case !feedback.IsCode(err, feedback.ENOTFOUND):
			return err
		}
	}
	// Insert first and read only on a clash: reading by tracking code scans
	// the open tickets on FerretDB, and a clash (a redelivery) is rare. The
	// ticket is stored with an empty outbox: until this message is
	// acknowledged, it is the outbox (see outbox.Relay.Announce).
	t, err := r.Route(ctx, it)
	if err != nil {
		return err
	}
	events := t.Outbox
	t.Outbox = nil
	if err := r.store.InsertTicket(ctx, t); err != nil {
		if !feedback.IsCode(err, feedback.ECONFLICT) {
			return err
		}
		r.m.ItemsRouted.WithLabelValues("duplicate").Inc()
		existing, err := r.store.Ticket(ctx, it.Code)
		if err != nil {
			return err
		}
		return r.reannounce(ctx, existing)
	}
	r.m.ItemsRouted.WithLabelValues(string(t.Status)).Inc()
	r.log.Info("item routed", "code", t.Code, "channel", t.Channel, "status", t.Status,
		"category", t.Category, "ward", t.Ward, "unit", t.UnitID, "assignee", t.Assignee, "attempt", d.Attempt)
	return r.announce(ctx, t, events)
}

// reannounce handles an item whose ticket was stored before: the router may
// have stopped before announcing it, so what routing recorded is announced
// again (event ids make a second publish a no-op). Once anybody acted on the
// ticket, its routing was seen and its workload counts moved on: announcing
// the routing again would count a reassigned or resolved ticket as open for
// its first assignee, so nothing is sent.
func (r *Router) reannounce(ctx context.Context, t *feedback.Ticket) error {
	var routed []feedback.Event
	for _, e := range t.History {
		if e.Type != feedback.EventRouted {
			return nil
		}
		routed = append(routed, e)
	}
	return r.announce(ctx, t, routed)
}

// announce publishes a new ticket's events. If NATS refuses, the item is
// not acknowledged and comes back: the ticket is then found and announced.
func (r *Router) announce(ctx context.Context, t *feedback.Ticket, events []feedback.Event) error {
	return r.outbox.Announce(ctx, t, events)
}

// Decision is where an item goes and why.
type Decision struct {
	Category      string
	Ward          string
	Neighbourhood string
	UnitID        string
	DeadlineDays  int
	Triage        bool
	Reason        string
}

// Decide classifies and locates an item and picks its unit. It reads
// nothing but the routing tables.
func (r *Router) Decide(it feedback.Item) (Decision, error) {
	t := r.tables.Load()
	if t == nil {
		return Decision{}, errors.New("router: organisation not loaded")
	}
	return t.decide(it), nil
}

func (t *tables) decide(it feedback.Item) Decision {
	text := it.Title + "\n" + it.Content
	cl := t.classifier.Classify(text, it.Category)
	pl := t.locator.Locate(it.Ward, it.Address, it.Location, text)
	d := Decision{Category: cl.Category, Ward: pl.Ward, Neighbourhood: pl.Neighbourhood}
	cat, ok := t.categories[cl.Category]
	if cl.Unclear || !ok {
		d.Triage, d.Reason = true, "category unclear: "+cl.Reason
		return d
	}
	d.DeadlineDays = cat.DeadlineDays
	if d.DeadlineDays <= 0 {
		d.DeadlineDays = feedback.DefaultDeadlineDays
	}
	switch cat.Owner {
	case feedback.UnitDepartment:
		d.UnitID = cat.DepartmentID
	case feedback.UnitWard:
		w, ok := t.wards[pl.Ward]
		if pl.Unclear || !ok {
			d.Triage, d.Reason = true, "ward unclear: "+pl.Reason
			return d
		}
		d.UnitID = w.UnitID
	}
	if unit, ok := t.rules[cat.Code+"/"+pl.Ward]; ok && pl.Ward != "" && !pl.Unclear {
		d.UnitID = unit // an override for this ward
	}
	if _, ok := t.units[d.UnitID]; !ok {
		d.Triage, d.Reason = true, "no unit owns category "+cat.Code
	}
	return d
}

// Route decides an item and names the official who answers it.
func (r *Router) Route(ctx context.Context, it feedback.Item) (*feedback.Ticket, error) {
	tb := r.tables.Load()
	if tb == nil {
		return nil, errors.New("router: organisation not loaded")
	}
	d := tb.decide(it)
	now := r.now().UTC()
	t := &feedback.Ticket{
		Code: it.Code, Key: it.Key, Channel: it.Channel, Title: it.Title, Content: it.Content,
		Category: d.Category, Ward: d.Ward, Neighbourhood: d.Neighbourhood, Address: it.Address,
		Location: it.Location, Citizen: it.Citizen, Attachments: it.Attachments, RecordingURL: it.RecordingURL,
		Language: it.Language, ReceivedAt: it.ReceivedAt, RoutedAt: now,
	}
	if t.ReceivedAt.IsZero() {
		t.ReceivedAt = now
	}
	if !d.Triage {
		primary, err := r.dups.find(ctx, t, tb.locator.street)
		if err != nil {
			return nil, err
		}
		if primary != nil {
			t.LinkTo(primary)
			t.Record(feedback.Event{Type: feedback.EventRouted, At: now, Actor: "router", Citizen: t.Citizen,
				Note: "cùng nội dung với " + string(primary.Code)})
			return t, nil
		}
		onDesk, day := tb.onDesk(d.UnitID, now), tb.calendar.DeskDay(now)
		o, ok, err := r.staff.pick(ctx, d.UnitID, func(staff []feedback.Official) (feedback.Official, bool) {
			return feedback.PickOfficial(feedback.Available(staff, day), onDesk)
		}, now)
		if err != nil {
			return nil, err
		}
		if ok {
			t.Status, t.UnitID, t.Assignee, t.AssigneeName = feedback.StatusAssigned, d.UnitID, o.Username, o.Name
			t.Deadline = tb.calendar.Deadline(t.ReceivedAt, d.DeadlineDays)
			t.Record(feedback.Event{Type: feedback.EventRouted, At: now, Actor: "router", Citizen: t.Citizen})
			r.dups.add(t, tb.locator.street)
			return t, nil
		}
		d.Triage, d.Reason = true, "no official on duty in "+d.UnitID
	}
	// Triage: the coordinators settle jurisdiction within the hour.
	t.Status, t.UnitID, t.TriageReason = feedback.StatusTriage, tb.coordinatorUnit, d.Reason
	t.Deadline = now.Add(feedback.TriageDeadline)
	o, ok, err := r.staff.pick(ctx, tb.coordinatorUnit, func(staff []feedback.Official) (feedback.Official, bool) {
		return feedback.PickOfficialWithRole(feedback.Available(staff, tb.calendar.DeskDay(now)), feedback.RoleCoordinator)
	}, now)
	if err != nil {
		return nil, err
	}
	if ok {
		t.Assignee, t.AssigneeName = o.Username, o.Name
	}
	t.Record(feedback.Event{Type: feedback.EventRouted, At: now, Actor: "router", Note: d.Reason, Citizen: t.Citizen})
	return t, nil
}

// StaffRefresh is how old the router's picture of who is on duty and how
// busy may grow. Reading it costs a scan of the officials and of every open
// item's assignment on FerretDB, too much for every item: it is read once,
// then again in the background every StaffRefresh while items use the old
// picture; between reads the router counts its own assignments, and other
// routers' show up at the next read. An edit of the organisation drops the
// picture, and the next item reads it afresh.
const StaffRefresh = 5 * time.Second

type staffCache struct {
	store      Store
	ttl        time.Duration
	now        func() time.Time
	mu         sync.Mutex
	at         time.Time
	byUnit     map[string][]feedback.Official
	refreshing bool
	gen        int         // bumped when the picture is dropped: a read begun before is stale
	made       []staffPick // picks made while a refresh reads
}

// staffPick is one assignment counted in the picture.
type staffPick struct {
	unit, username string
	at             time.Time
}

// pick chooses an official of a unit with choose and counts the assignment
// at once, so the next item sees them one busier.
func (c *staffCache) pick(ctx context.Context, unitID string, choose func([]feedback.Official) (feedback.Official, bool), now time.Time) (feedback.Official, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.byUnit == nil:
		all, err := c.store.Officials(ctx, "")
		if err != nil {
			return feedback.Official{}, false, err
		}
		c.byUnit, c.at = byUnit(all), c.now()
	case !c.refreshing && c.now().Sub(c.at) > c.ttl:
		c.refreshing = true
		go c.refresh(c.gen)
	}
	o, ok := choose(c.byUnit[unitID])
	if !ok {
		return o, false, nil
	}
	c.count(staffPick{unit: unitID, username: o.Username, at: now})
	if c.refreshing {
		c.made = append(c.made, staffPick{unit: unitID, username: o.Username, at: now})
	}
	return o, true, nil
}

// count adds an assignment to the picture.
func (c *staffCache) count(p staffPick) {
	for i := range c.byUnit[p.unit] {
		if o := &c.byUnit[p.unit][i]; o.Username == p.username {
			o.OpenCount++
			o.LastAssignedAt = p.at
		}
	}
}

// refresh reads the staff in the background and swaps the picture in,
// unless it was dropped meanwhile (gen moved on). On failure the old
// picture stays until the next interval.
func (c *staffCache) refresh(gen int) {
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	all, err := c.store.Officials(ctx, "")
	c.mu.Lock()
	defer c.mu.Unlock()
	made := c.made
	c.refreshing, c.made = false, nil
	if gen != c.gen || c.byUnit == nil {
		return
	}
	if err == nil {
		c.byUnit = byUnit(all)
		// A pick made while the read ran is in it only if its assignment
		// was stored before the read: the official's last assignment says.
		for _, p := range made {
			for _, o := range c.byUnit[p.unit] {
				// The store keeps milliseconds.
				if o.Username == p.username && o.LastAssignedAt.Before(p.at.Truncate(time.Millisecond)) {
					c.count(p)
				}
			}
		}
	}
	c.at = c.now()
}

func byUnit(all []feedback.Official) map[string][]feedback.Official {
	out := map[string][]feedback.Official{}
	for _, o := range all {
		out[o.UnitID] = append(out[o.UnitID], o)
	}
	return out
}

// invalidate drops the picture of staff, so the next item reads it afresh
// (after an edit of the organisation).
func (r *Router) invalidate() {
	r.staff.mu.Lock()
	r.staff.byUnit = nil
	r.staff.gen++
	r.staff.mu.Unlock()
}
