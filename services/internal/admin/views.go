package admin

import (
	"encoding/json"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/natsbus"
)

// JSON views: the admin API's wire types, converted from the domain here.

type organisationView struct {
	Units        []unitView        `json:"units"`
	Wards        []wardView        `json:"wards"`
	Categories   []categoryView    `json:"categories"`
	Officials    []officialView    `json:"officials"`
	Holidays     []holidayView     `json:"holidays"`
	RoutingRules []routingRuleView `json:"routing_rules"`
}

type unitView struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	NameEN       string      `json:"name_en,omitempty"`
	Kind         string      `json:"kind"`
	Ward         string      `json:"ward,omitempty"`
	OnTimeTarget float64     `json:"on_time_target"`
	Roster       *rosterView `json:"roster,omitempty"`
	// OnDesk: who takes the unit's new items now under its roster (the
	// shift; the unit's others on duty stand in for any who are off).
	OnDesk []string `json:"on_desk,omitempty"`
}

type rosterView struct {
	Start  string     `json:"start"`
	Shifts [][]string `json:"shifts"`
}

type wardView struct {
	Code           string              `json:"code"`
	Name           string              `json:"name"`
	Aliases        []string            `json:"aliases"`
	UnitID         string              `json:"unit_id"`
	Neighbourhoods []neighbourhoodView `json:"neighbourhoods"`
	Boundary       [][2]float64        `json:"boundary,omitempty"` // only with ?boundaries=1: most of the bytes
}

type neighbourhoodView struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Streets   []string       `json:"streets"`
	Landmarks []landmarkView `json:"landmarks"`
}

type landmarkView struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

type categoryView struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	NameEN       string   `json:"name_en,omitempty"`
	Owner        string   `json:"owner"`
	Department   string   `json:"department,omitempty"`
	DeadlineDays int      `json:"deadline_days"`
	Keywords     []string `json:"keywords"`
	// ContextKeywords weigh half: they say where or who, not what.
	ContextKeywords []string `json:"context_keywords"`
}

// officialView never carries a password hash: the domain type has none.
type officialView struct {
	Username  string      `json:"username"`
	Name      string      `json:"name"`
	UnitID    string      `json:"unit_id"`
	Role      string      `json:"role"`
	Active    bool        `json:"active"`
	OnDuty    bool        `json:"on_duty"`
	Phone     string      `json:"phone,omitempty"`
	OpenCount int         `json:"open_count"`
	Leave     []leaveView `json:"leave"`
	// OnLeave: away on the day new items are for (see unitView.OnDesk).
	OnLeave bool `json:"on_leave"`
}

type leaveView struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason,omitempty"`
}

func toLeaveViews(list []feedback.Leave) []leaveView {
	out := make([]leaveView, 0, len(list))
	for _, l := range list {
		out = append(out, leaveView{From: l.From, To: l.To, Reason: l.Reason})
	}
	return out
}

// officialRecord is an official as the audit trail keeps them: the
// profile only (open counts move all day and are not the editor's doing),
// and whether the password was set, never the password or its hash.
type officialRecord struct {
	Username    string `json:"username"`
	Name        string `json:"name"`
	UnitID      string `json:"unit_id"`
	Role        string `json:"role"`
	Active      bool   `json:"active"`
	OnDuty      bool   `json:"on_duty"`
	Phone       string `json:"phone,omitempty"`
	PasswordSet bool   `json:"password_set,omitempty"`
}

type holidayView struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Working bool   `json:"working"` // a make-up working weekend day
}

type routingRuleView struct {
	Category string `json:"category"`
	Ward     string `json:"ward"`
	UnitID   string `json:"unit_id"`
}

type changeView struct {
	ID     string          `json:"id"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Kind   string          `json:"kind"`
	Action string          `json:"action"`
	Target string          `json:"target"`
	Before json.RawMessage `json:"before"` // null when it did not exist
	After  json.RawMessage `json:"after"`  // null when it was removed
	Reason string          `json:"reason,omitempty"`
	Status string          `json:"status"`
	DoneAt *time.Time      `json:"done_at,omitempty"`
}

type deadLetterView struct {
	Seq          uint64    `json:"seq"`
	Time         time.Time `json:"time"`
	Subject      string    `json:"subject"`
	Consumer     string    `json:"consumer"`
	Reason       string    `json:"reason"`
	Stream       string    `json:"stream,omitempty"`
	OrigSubject  string    `json:"original_subject,omitempty"`
	OrigSeq      uint64    `json:"original_seq,omitempty"`
	Attempts     uint64    `json:"attempts"`
	Size         int       `json:"size"`
	TrackingCode string    `json:"tracking_code,omitempty"`
	Channel      string    `json:"channel,omitempty"`
	Replayable   bool      `json:"replayable"`
}

func toOrganisationView(org feedback.Organisation, boundaries bool) organisationView {
	v := organisationView{
		Units:        make([]unitView, 0, len(org.Units)),
		Wards:        make([]wardView, 0, len(org.Wards)),
		Categories:   make([]categoryView, 0, len(org.Categories)),
		Officials:    make([]officialView, 0, len(org.Officials)),
		Holidays:     make([]holidayView, 0, len(org.Holidays)),
		RoutingRules: make([]routingRuleView, 0, len(org.RoutingRules)),
	}
	for _, u := range org.Units {
		v.Units = append(v.Units, toUnitView(u))
	}
	for _, w := range org.Wards {
		v.Wards = append(v.Wards, toWardView(w, boundaries))
	}
	for _, c := range org.Categories {
		v.Categories = append(v.Categories, toCategoryView(c))
	}
	for _, o := range org.Officials {
		v.Officials = append(v.Officials, toOfficialView(o))
	}
	for _, h := range org.Holidays {
		v.Holidays = append(v.Holidays, toHolidayView(h))
	}
	for _, r := range org.RoutingRules {
		v.RoutingRules = append(v.RoutingRules, toRoutingRuleView(r))
	}
	return v
}

func toUnitView(u feedback.Unit) unitView {
	return unitView{ID: u.ID, Name: u.Name, NameEN: u.NameEN, Kind: string(u.Kind), Ward: u.Ward, OnTimeTarget: u.OnTimeTarget,
		Roster: toRosterView(u.Roster)}
}

func toRosterView(r *feedback.Roster) *rosterView {
	if r == nil {
		return nil
	}
	return &rosterView{Start: r.Start, Shifts: r.Shifts}
}

func toWardView(w feedback.Ward, boundary bool) wardView {
	v := wardView{Code: w.Code, Name: w.Name, Aliases: nonNil(w.Aliases), UnitID: w.UnitID,
		Neighbourhoods: make([]neighbourhoodView, 0, len(w.Neighbourhoods))}
	for _, n := range w.Neighbourhoods {
		v.Neighbourhoods = append(v.Neighbourhoods, toNeighbourhoodView(n))
	}
	if boundary {
		v.Boundary = w.Boundary
	}
	return v
}

func toCategoryView(c feedback.Category) categoryView {
	return categoryView{Code: c.Code, Name: c.Name, NameEN: c.NameEN, Owner: string(c.Owner),
		Department: c.DepartmentID, DeadlineDays: c.DeadlineDays, Keywords: nonNil(c.Keywords),
		ContextKeywords: nonNil(c.ContextKeywords)}
}

func toOfficialView(o feedback.Official) officialView {
	return officialView{Username: o.Username, Name: o.Name, UnitID: o.UnitID, Role: string(o.Role),
		Active: o.Active, OnDuty: o.OnDuty, Phone: string(o.Phone), OpenCount: o.OpenCount, Leave: toLeaveViews(o.Leave)}
}

func toOfficialRecord(o feedback.Official, passwordSet bool) officialRecord {
	return officialRecord{Username: o.Username, Name: o.Name, UnitID: o.UnitID, Role: string(o.Role),
		Active: o.Active, OnDuty: o.OnDuty, Phone: string(o.Phone), PasswordSet: passwordSet}
}

func toHolidayView(h feedback.Holiday) holidayView {
	return holidayView{Date: h.Date, Name: h.Name, Working: h.Working}
}

func toRoutingRuleView(r feedback.RoutingRule) routingRuleView {
	return routingRuleView{Category: r.Category, Ward: r.Ward, UnitID: r.UnitID}
}

func toChangeView(c mongostore.OrgChange) changeView {
	v := changeView{ID: c.ID, At: c.At, Actor: c.Actor, Kind: c.Kind, Action: c.Action, Target: c.Target,
		Before: rawJSON(c.Before), After: rawJSON(c.After), Reason: c.Reason, Status: c.Status}
	if !c.DoneAt.IsZero() {
		at := c.DoneAt
		v.DoneAt = &at
	}
	return v
}

// rawJSON passes recorded JSON through as JSON; text that is not JSON
// (written by hand into the database, say) goes out as a string.
func rawJSON(s string) json.RawMessage {
	switch {
	case s == "":
		return json.RawMessage("null")
	case json.Valid([]byte(s)):
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

func toDeadLetterView(d natsbus.DeadLetter) deadLetterView {
	return deadLetterView{Seq: d.Seq, Time: d.Time, Subject: d.Subject, Consumer: d.Consumer, Reason: d.Reason,
		Stream: d.Stream, OrigSubject: d.OrigSubject, OrigSeq: d.OrigSeq, Attempts: d.Attempts, Size: d.Size,
		TrackingCode: string(d.Code), Channel: string(d.Channel), Replayable: d.Replayable()}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func toNeighbourhoodView(n feedback.Neighbourhood) neighbourhoodView {
	v := neighbourhoodView{Code: n.Code, Name: n.Name, Streets: nonNil(n.Streets), Landmarks: make([]landmarkView, 0, len(n.Landmarks))}
	for _, l := range n.Landmarks {
		v.Landmarks = append(v.Landmarks, landmarkView{Name: l.Name, Aliases: nonNil(l.Aliases)})
	}
	return v
}
