package mongostore

import (
	"time"

	"pakn.local/services/internal/feedback"
)

type unitDoc struct {
	ID           string     `bson:"_id"`
	Name         string     `bson:"name"`
	NameEN       string     `bson:"name_en,omitempty"`
	Kind         string     `bson:"kind"`
	Ward         string     `bson:"ward,omitempty"`
	OnTimeTarget float64    `bson:"on_time_target"`
	Roster       *rosterDoc `bson:"roster,omitempty"`
}

// rosterDoc keeps each shift as a document: FerretDB refuses nested arrays.
type rosterDoc struct {
	Start  string     `bson:"start"`
	Shifts []shiftDoc `bson:"shifts"`
}

type shiftDoc struct {
	Officials []string `bson:"officials"`
}

type wardDoc struct {
	Code           string             `bson:"_id"`
	Name           string             `bson:"name"`
	Aliases        []string           `bson:"aliases"`
	UnitID         string             `bson:"unit_id"`
	Neighbourhoods []neighbourhoodDoc `bson:"neighbourhoods"`
	Boundary       []pointDoc         `bson:"boundary"` // FerretDB stores no nested arrays
}

type pointDoc struct {
	Lng float64 `bson:"lng"`
	Lat float64 `bson:"lat"`
}

type neighbourhoodDoc struct {
	Code      string        `bson:"code"`
	Name      string        `bson:"name"`
	Streets   []string      `bson:"streets"`
	Landmarks []landmarkDoc `bson:"landmarks,omitempty"`
}

type landmarkDoc struct {
	Name    string   `bson:"name"`
	Aliases []string `bson:"aliases,omitempty"`
}

type categoryDoc struct {
	Code         string   `bson:"_id"`
	Name         string   `bson:"name"`
	NameEN       string   `bson:"name_en,omitempty"`
	Owner        string   `bson:"owner"`
	DepartmentID string   `bson:"department_id,omitempty"`
	DeadlineDays int      `bson:"deadline_days"`
	Keywords     []string `bson:"keywords"`
	// ContextKeywords is left out of a category that has none (and of the
	// documents stored before there were any).
	ContextKeywords []string `bson:"context_keywords,omitempty"`
}

type officialDoc struct {
	Username       string     `bson:"_id"`
	Name           string     `bson:"name"`
	UnitID         string     `bson:"unit_id"`
	Role           string     `bson:"role"`
	Active         bool       `bson:"active"`
	OnDuty         bool       `bson:"on_duty"`
	Phone          string     `bson:"phone,omitempty"`
	PasswordHash   string     `bson:"password_hash"`
	LastAssignedAt time.Time  `bson:"last_assigned_at"`
	SignedOutAt    time.Time  `bson:"signed_out_at,omitempty"`
	Leave          []leaveDoc `bson:"leave,omitempty"`
}

type leaveDoc struct {
	From   string `bson:"from"`
	To     string `bson:"to"`
	Reason string `bson:"reason,omitempty"`
}

func toLeaveDocs(list []feedback.Leave) []leaveDoc {
	out := make([]leaveDoc, 0, len(list))
	for _, l := range list {
		out = append(out, leaveDoc{From: l.From, To: l.To, Reason: l.Reason})
	}
	return out
}

type holidayDoc struct {
	Date string `bson:"_id"`
	Name string `bson:"name"`
	// Working marks a make-up working weekend day; left out for a day
	// off, so documents written before it existed read the same.
	Working bool `bson:"working,omitempty"`
}

func toHolidayDoc(h feedback.Holiday) holidayDoc {
	return holidayDoc{Date: h.Date, Name: h.Name, Working: h.Working}
}

func fromHolidayDoc(d holidayDoc) feedback.Holiday {
	return feedback.Holiday{Date: d.Date, Name: d.Name, Working: d.Working}
}

func toUnitDoc(u feedback.Unit) unitDoc {
	return unitDoc{ID: u.ID, Name: u.Name, NameEN: u.NameEN, Kind: string(u.Kind), Ward: u.Ward, OnTimeTarget: u.OnTimeTarget,
		Roster: toRosterDoc(u.Roster)}
}

func fromUnitDoc(d unitDoc) feedback.Unit {
	u := feedback.Unit{ID: d.ID, Name: d.Name, NameEN: d.NameEN, Kind: feedback.UnitKind(d.Kind), Ward: d.Ward, OnTimeTarget: d.OnTimeTarget}
	if d.Roster != nil {
		u.Roster = &feedback.Roster{Start: d.Roster.Start, Shifts: make([][]string, 0, len(d.Roster.Shifts))}
		for _, sh := range d.Roster.Shifts {
			u.Roster.Shifts = append(u.Roster.Shifts, sh.Officials)
		}
	}
	return u
}

func toRosterDoc(r *feedback.Roster) *rosterDoc {
	if r == nil {
		return nil
	}
	d := &rosterDoc{Start: r.Start, Shifts: make([]shiftDoc, 0, len(r.Shifts))}
	for _, sh := range r.Shifts {
		d.Shifts = append(d.Shifts, shiftDoc{Officials: sh})
	}
	return d
}

func toWardDoc(w feedback.Ward) wardDoc {
	d := wardDoc{Code: w.Code, Name: w.Name, Aliases: w.Aliases, UnitID: w.UnitID,
		Boundary: []pointDoc{}, Neighbourhoods: []neighbourhoodDoc{}}
	for _, p := range w.Boundary {
		d.Boundary = append(d.Boundary, pointDoc{Lng: p[0], Lat: p[1]})
	}
	for _, n := range w.Neighbourhoods {
		nd := neighbourhoodDoc{Code: n.Code, Name: n.Name, Streets: n.Streets}
		for _, l := range n.Landmarks {
			nd.Landmarks = append(nd.Landmarks, landmarkDoc{Name: l.Name, Aliases: l.Aliases})
		}
		d.Neighbourhoods = append(d.Neighbourhoods, nd)
	}
	return d
}

func fromWardDoc(d wardDoc) feedback.Ward {
	w := feedback.Ward{Code: d.Code, Name: d.Name, Aliases: d.Aliases, UnitID: d.UnitID}
	for _, p := range d.Boundary {
		w.Boundary = append(w.Boundary, [2]float64{p.Lng, p.Lat})
	}
	for _, n := range d.Neighbourhoods {
		nb := feedback.Neighbourhood{Code: n.Code, Name: n.Name, Streets: n.Streets}
		for _, l := range n.Landmarks {
			nb.Landmarks = append(nb.Landmarks, feedback.Landmark{Name: l.Name, Aliases: l.Aliases})
		}
		w.Neighbourhoods = append(w.Neighbourhoods, nb)
	}
	return w
}

func toCategoryDoc(c feedback.Category) categoryDoc {
	return categoryDoc{Code: c.Code, Name: c.Name, NameEN: c.NameEN, Owner: string(c.Owner),
		DepartmentID: c.DepartmentID, DeadlineDays: c.DeadlineDays, Keywords: c.Keywords,
		ContextKeywords: c.ContextKeywords}
}

func fromCategoryDoc(d categoryDoc) feedback.Category {
	return feedback.Category{Code: d.Code, Name: d.Name, NameEN: d.NameEN, Owner: feedback.UnitKind(d.Owner),
		DepartmentID: d.DepartmentID, DeadlineDays: d.DeadlineDays, Keywords: d.Keywords,
		ContextKeywords: d.ContextKeywords}
}

func toOfficialDoc(o feedback.Official, passwordHash string) officialDoc {
	return officialDoc{Username: o.Username, Name: o.Name, UnitID: o.UnitID, Role: string(o.Role), Active: o.Active,
		OnDuty: o.OnDuty, Phone: string(o.Phone), PasswordHash: passwordHash,
		LastAssignedAt: o.LastAssignedAt, Leave: toLeaveDocs(o.Leave)}
}

func fromOfficialDoc(d officialDoc) feedback.Official {
	return feedback.Official{Username: d.Username, Name: d.Name, UnitID: d.UnitID, Role: feedback.Role(d.Role),
		Active: d.Active, OnDuty: d.OnDuty, Phone: feedback.Phone(d.Phone),
		LastAssignedAt: d.LastAssignedAt, SignedOutAt: d.SignedOutAt, Leave: fromLeaveDocs(d.Leave)}
}

func fromLeaveDocs(docs []leaveDoc) []feedback.Leave {
	if len(docs) == 0 {
		return nil
	}
	out := make([]feedback.Leave, 0, len(docs))
	for _, d := range docs {
		out = append(out, feedback.Leave{From: d.From, To: d.To, Reason: d.Reason})
	}
	return out
}

// assignmentDoc counts one open ticket for its official.
type assignmentDoc struct {
	Code     string    `bson:"_id"`
	Official string    `bson:"official"`
	At       time.Time `bson:"at"`
}
