// Package seed holds the demo district as data (district.json and
// categories.json) and turns files of that shape into a
// feedback.Organisation. The JSON types live only here; named converters
// take them to the domain at this border.
package seed

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"pakn.local/services/internal/feedback"
)

// The two files an organisation folder holds.
const (
	DistrictFile   = "district.json"
	CategoriesFile = "categories.json"
)

// SupervisorUsername is the account every organisation must have: the demo
// and the end-to-end tests sign in with it.
const SupervisorUsername = "supervisor"

// ErrDecode is wrapped by every error about the shape of a seed file:
// malformed JSON, an unknown field, a value of the wrong type.
var ErrDecode = errors.New("seed: cannot decode")

// ErrInvalid is wrapped by every error Validate reports about what the
// organisation says: a dangling reference, a duplicate, a missing role.
var ErrInvalid = errors.New("seed: invalid organisation")

//go:embed district.json categories.json
var embedded embed.FS

// Default returns the demo district embedded in the binary.
func Default() (feedback.Organisation, error) {
	return Load(embedded)
}

// Load reads district.json and categories.json from fsys, decodes them
// strictly and validates the result, so that an operator's own folder gets
// the same checks as the demo.
func Load(fsys fs.FS) (feedback.Organisation, error) {
	d, err := readDistrict(fsys)
	if err != nil {
		return feedback.Organisation{}, err
	}
	var cats []categoryJSON
	if err := readStrict(fsys, CategoriesFile, &cats); err != nil {
		return feedback.Organisation{}, err
	}
	org, err := toOrganisation(d, cats)
	if err != nil {
		return feedback.Organisation{}, err
	}
	if err := Validate(org); err != nil {
		return feedback.Organisation{}, err
	}
	return org, nil
}

type districtJSON struct {
	District  string         `json:"district"`
	Units     []unitJSON     `json:"units"`
	Wards     []wardJSON     `json:"wards"`
	Officials []officialJSON `json:"officials"`
	Holidays  []holidayJSON  `json:"holidays"`
}

type unitJSON struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	NameEN       string      `json:"name_en"`
	Kind         string      `json:"kind"`
	Ward         string      `json:"ward"`
	OnTimeTarget float64     `json:"on_time_target"`
	Roster       *rosterJSON `json:"roster"`
}

// rosterJSON is a unit's rotating desk: one list of usernames per working
// day from start, round and round (feedback.Roster).
type rosterJSON struct {
	Start  string     `json:"start"`
	Shifts [][]string `json:"shifts"`
}

type wardJSON struct {
	Code           string              `json:"code"`
	Name           string              `json:"name"`
	Aliases        []string            `json:"aliases"`
	Unit           string              `json:"unit"`
	Boundary       [][]float64         `json:"boundary"` // not [2]float64: encoding/json would drop a third number silently
	Neighbourhoods []neighbourhoodJSON `json:"neighbourhoods"`
}

type neighbourhoodJSON struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Streets   []string       `json:"streets"`
	Landmarks []landmarkJSON `json:"landmarks"`
}

type landmarkJSON struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

type officialJSON struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Role     string `json:"role"`
	Active   bool   `json:"active"`
	OnDuty   bool   `json:"on_duty"`
	Phone    string `json:"phone"`
}

type holidayJSON struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Working bool   `json:"working"` // a make-up working Saturday or Sunday
}

type categoryJSON struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	NameEN       string   `json:"name_en"`
	Owner        string   `json:"owner"`
	Department   string   `json:"department"`
	DeadlineDays int      `json:"deadline_days"`
	Keywords     []string `json:"keywords"`
	// ContextKeywords may be left out: most categories have none.
	ContextKeywords []string `json:"context_keywords,omitempty"`
}

// readDistrict decodes district.json strictly, except that top-level keys
// ending in "_note" may carry free text for the people who edit the file.
func readDistrict(fsys fs.FS) (districtJSON, error) {
	var d districtJSON
	var top map[string]json.RawMessage
	if err := readStrict(fsys, DistrictFile, &top); err != nil {
		return d, err
	}
	fields := map[string]any{
		"district":  &d.District,
		"units":     &d.Units,
		"wards":     &d.Wards,
		"officials": &d.Officials,
		"holidays":  &d.Holidays,
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first error reported does not depend on map order
	for _, k := range keys {
		dst, ok := fields[k]
		if !ok {
			if !strings.HasSuffix(k, "_note") {
				return d, fmt.Errorf("%w: %s: unknown field %q", ErrDecode, DistrictFile, k)
			}
			dst = new(string)
		}
		if err := decodeStrict(top[k], dst); err != nil {
			return d, fmt.Errorf("%w: %s: %q: %w", ErrDecode, DistrictFile, k, err)
		}
	}
	return d, nil
}

func readStrict(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDecode, err)
	}
	if err := decodeStrict(b, v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrDecode, name, err)
	}
	return nil
}

// decodeStrict rejects unknown fields and anything after the first value.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

func toOrganisation(d districtJSON, cats []categoryJSON) (feedback.Organisation, error) {
	org := feedback.Organisation{
		Units:      make([]feedback.Unit, 0, len(d.Units)),
		Wards:      make([]feedback.Ward, 0, len(d.Wards)),
		Categories: make([]feedback.Category, 0, len(cats)),
		Officials:  make([]feedback.Official, 0, len(d.Officials)),
		Holidays:   make([]feedback.Holiday, 0, len(d.Holidays)),
	}
	for _, u := range d.Units {
		org.Units = append(org.Units, toUnit(u))
	}
	for _, w := range d.Wards {
		ward, err := toWard(w)
		if err != nil {
			return feedback.Organisation{}, err
		}
		org.Wards = append(org.Wards, ward)
	}
	for _, c := range cats {
		org.Categories = append(org.Categories, toCategory(c))
	}
	for _, o := range d.Officials {
		org.Officials = append(org.Officials, toOfficial(o))
	}
	for _, h := range d.Holidays {
		org.Holidays = append(org.Holidays, toHoliday(h))
	}
	return org, nil
}

func toUnit(u unitJSON) feedback.Unit {
	return feedback.Unit{
		ID:           u.ID,
		Name:         u.Name,
		NameEN:       u.NameEN,
		Kind:         feedback.UnitKind(u.Kind),
		Ward:         u.Ward,
		OnTimeTarget: u.OnTimeTarget,
		Roster:       toRoster(u.Roster),
	}
}

func toRoster(r *rosterJSON) *feedback.Roster {
	if r == nil {
		return nil
	}
	return &feedback.Roster{Start: r.Start, Shifts: r.Shifts}
}

func toWard(w wardJSON) (feedback.Ward, error) {
	ward := feedback.Ward{
		Code:           w.Code,
		Name:           w.Name,
		Aliases:        slices.Clone(w.Aliases),
		UnitID:         w.Unit,
		Neighbourhoods: make([]feedback.Neighbourhood, 0, len(w.Neighbourhoods)),
		Boundary:       make([][2]float64, 0, len(w.Boundary)),
	}
	for _, n := range w.Neighbourhoods {
		ward.Neighbourhoods = append(ward.Neighbourhoods, toNeighbourhood(n))
	}
	for i, p := range w.Boundary {
		if len(p) != 2 {
			return feedback.Ward{}, fmt.Errorf("%w: %s: ward %q: boundary point %d has %d numbers, want [lng, lat]",
				ErrDecode, DistrictFile, w.Code, i, len(p))
		}
		ward.Boundary = append(ward.Boundary, [2]float64{p[0], p[1]})
	}
	return ward, nil
}

func toNeighbourhood(n neighbourhoodJSON) feedback.Neighbourhood {
	nb := feedback.Neighbourhood{Code: n.Code, Name: n.Name, Streets: slices.Clone(n.Streets)}
	for _, l := range n.Landmarks {
		nb.Landmarks = append(nb.Landmarks, feedback.Landmark{Name: l.Name, Aliases: slices.Clone(l.Aliases)})
	}
	return nb
}

func toOfficial(o officialJSON) feedback.Official {
	return feedback.Official{
		Username: o.Username,
		Name:     o.Name,
		UnitID:   o.Unit,
		Role:     feedback.Role(o.Role),
		Active:   o.Active,
		OnDuty:   o.OnDuty,
		Phone:    feedback.Phone(o.Phone),
	}
}

func toCategory(c categoryJSON) feedback.Category {
	return feedback.Category{
		Code:            c.Code,
		Name:            c.Name,
		NameEN:          c.NameEN,
		Owner:           feedback.UnitKind(c.Owner),
		DepartmentID:    c.Department,
		DeadlineDays:    c.DeadlineDays,
		Keywords:        slices.Clone(c.Keywords),
		ContextKeywords: slices.Clone(c.ContextKeywords),
	}
}

func toHoliday(h holidayJSON) feedback.Holiday {
	return feedback.Holiday{Date: h.Date, Name: h.Name, Working: h.Working}
}

// Validate checks that an organisation holds together: every reference
// points at something that exists, nothing is listed twice, and every unit
// can be given work. It reports every problem it finds, each wrapping
// ErrInvalid and naming what is wrong.
func Validate(org feedback.Organisation) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
	}

	units := make(map[string]feedback.Unit, len(org.Units))
	for _, u := range org.Units {
		switch {
		case u.ID == "":
			bad("unit %q has no id", u.Name)
			continue
		case u.Name == "":
			bad("unit %q has no name", u.ID)
		}
		if _, dup := units[u.ID]; dup {
			bad("unit id %q is used twice", u.ID)
		}
		units[u.ID] = u
		switch u.Kind {
		case feedback.UnitWard:
			if u.Ward == "" {
				bad("ward unit %q names no ward", u.ID)
			}
		case feedback.UnitDepartment:
			if u.Ward != "" {
				bad("department %q names ward %q; only ward units have one", u.ID, u.Ward)
			}
		default:
			bad("unit %q has kind %q, want %q or %q", u.ID, u.Kind, feedback.UnitWard, feedback.UnitDepartment)
		}
		if !(u.OnTimeTarget > 0 && u.OnTimeTarget <= 1) {
			bad("unit %q has on-time target %v, want a share in (0, 1]", u.ID, u.OnTimeTarget)
		}
	}
	if len(org.Units) == 0 {
		bad("no units")
	}

	wards := make(map[string]feedback.Ward, len(org.Wards))
	wardNames := make(map[string]string)      // folded name or alias -> ward code
	neighbourhoods := make(map[string]string) // code -> ward code
	landmarks := make(map[string]string)      // lower-case name or alias -> neighbourhood code
	for _, w := range org.Wards {
		if w.Code == "" {
			bad("ward %q has no code", w.Name)
			continue
		}
		if w.Name == "" {
			bad("ward %q has no name", w.Code)
		}
		if _, dup := wards[w.Code]; dup {
			bad("ward code %q is used twice", w.Code)
		}
		wards[w.Code] = w
		// A name or alias that two wards share would let an address point to either.
		for _, a := range append([]string{w.Name}, w.Aliases...) {
			key := strings.ToLower(strings.TrimSpace(a))
			if key == "" {
				bad("ward %q has an empty alias", w.Code)
				continue
			}
			if other, dup := wardNames[key]; dup && other != w.Code {
				bad("ward %q: name or alias %q is also ward %q's", w.Code, a, other)
			}
			wardNames[key] = w.Code
		}
		switch u, ok := units[w.UnitID]; {
		case !ok:
			bad("ward %q: unit %q does not exist", w.Code, w.UnitID)
		case u.Kind != feedback.UnitWard:
			bad("ward %q: unit %q is a %s, not a ward unit", w.Code, w.UnitID, u.Kind)
		case u.Ward != w.Code:
			bad("ward %q: unit %q belongs to ward %q", w.Code, w.UnitID, u.Ward)
		}
		for _, n := range w.Neighbourhoods {
			if n.Code == "" {
				bad("ward %q: neighbourhood %q has no code", w.Code, n.Name)
				continue
			}
			if other, dup := neighbourhoods[n.Code]; dup {
				bad("neighbourhood code %q is used in ward %q and ward %q", n.Code, other, w.Code)
			}
			neighbourhoods[n.Code] = w.Code
			if n.Name == "" {
				bad("neighbourhood %q has no name", n.Code)
			}
			for _, s := range n.Streets {
				if strings.TrimSpace(s) == "" {
					bad("neighbourhood %q has an empty street name", n.Code)
				}
			}
			for _, l := range n.Landmarks {
				if strings.TrimSpace(l.Name) == "" {
					bad("neighbourhood %q has a landmark with no name", n.Code)
					continue
				}
				// A name in two neighbourhoods would point at neither.
				for _, a := range append([]string{l.Name}, l.Aliases...) {
					key := strings.ToLower(strings.TrimSpace(a))
					if key == "" {
						bad("neighbourhood %q: landmark %q has an empty alias", n.Code, l.Name)
						continue
					}
					if other, dup := landmarks[key]; dup && other != n.Code {
						bad("landmark name or alias %q is in neighbourhood %q and neighbourhood %q", a, other, n.Code)
					}
					landmarks[key] = n.Code
				}
			}
		}
		if err := CheckRing(w.Boundary); err != nil {
			bad("ward %q: boundary %v", w.Code, err)
		}
	}
	if len(org.Wards) == 0 {
		bad("no wards")
	}
	// A landmark named like a ward would take that ward's name from it.
	for _, key := range slices.Sorted(maps.Keys(landmarks)) {
		if w, ok := wardNames[key]; ok {
			bad("neighbourhood %q: landmark %q is also ward %q's name or alias", landmarks[key], key, w)
		}
	}
	// The other direction: a ward unit whose ward does not know it would
	// never be routed anything.
	for _, u := range org.Units {
		if u.Kind != feedback.UnitWard || u.Ward == "" {
			continue
		}
		switch w, ok := wards[u.Ward]; {
		case !ok:
			bad("unit %q: ward %q does not exist", u.ID, u.Ward)
		case w.UnitID != u.ID:
			bad("unit %q: ward %q is served by unit %q", u.ID, u.Ward, w.UnitID)
		}
	}

	categories := make(map[string]bool, len(org.Categories))
	for _, c := range org.Categories {
		if c.Code == "" {
			bad("category %q has no code", c.Name)
			continue
		}
		if categories[c.Code] {
			bad("category code %q is used twice", c.Code)
		}
		categories[c.Code] = true
		if c.Name == "" {
			bad("category %q has no name", c.Code)
		}
		switch c.Owner {
		case feedback.UnitDepartment:
			if c.DepartmentID == "" {
				bad("category %q is owned by a department but names none", c.Code)
			}
		case feedback.UnitWard:
		default:
			bad("category %q has owner %q, want %q or %q", c.Code, c.Owner, feedback.UnitWard, feedback.UnitDepartment)
		}
		// A ward-owned category may still name a department (a fallback);
		// whatever is named must exist.
		if c.DepartmentID != "" {
			switch u, ok := units[c.DepartmentID]; {
			case !ok:
				bad("category %q: department %q does not exist", c.Code, c.DepartmentID)
			case u.Kind != feedback.UnitDepartment:
				bad("category %q: unit %q is not a department", c.Code, c.DepartmentID)
			}
		}
		if c.DeadlineDays <= 0 {
			bad("category %q has deadline of %d working days, want at least 1", c.Code, c.DeadlineDays)
		}
	}

	usernames := make(map[string]bool, len(org.Officials))
	onDuty := make(map[string]int) // unit -> active on-duty officials
	heads := make(map[string]int)  // unit -> active heads
	coordinators := 0
	for _, o := range org.Officials {
		if !validUsername(o.Username) {
			bad("official %q: username %q must be lower-case letters, digits and inner dots", o.Name, o.Username)
		}
		if usernames[o.Username] {
			bad("username %q is used twice", o.Username)
		}
		usernames[o.Username] = true
		if o.Name == "" {
			bad("official %q has no name", o.Username)
		}
		if _, ok := units[o.UnitID]; !ok {
			bad("official %q: unit %q does not exist", o.Username, o.UnitID)
		}
		switch o.Role {
		case feedback.RoleOfficial:
			if o.Active && o.OnDuty {
				onDuty[o.UnitID]++
			}
		case feedback.RoleHead:
			if o.Active {
				heads[o.UnitID]++
			}
		case feedback.RoleCoordinator:
			if o.Active {
				coordinators++
			}
		case feedback.RoleSupervisor, feedback.RoleOperator:
		default:
			bad("official %q has role %q", o.Username, o.Role)
		}
		var fe *feedback.Error
		if err := feedback.CheckLeave(o.Leave); errors.As(err, &fe) {
			bad("official %q: %s: %s", o.Username, fe.Field, fe.MessageEN)
		}
		if o.Phone != "" && !validPhone(string(o.Phone)) {
			// Logged masked elsewhere; here the operator needs to see it.
			bad("official %q: phone %q is not in +84 form", o.Username, string(o.Phone))
		}
	}
	for _, u := range org.Units {
		if u.Roster != nil {
			var fe *feedback.Error
			if err := u.Roster.Check(u.ID, org.Officials); errors.As(err, &fe) {
				bad("unit %q: roster %s: %s", u.ID, fe.Field, fe.MessageEN)
			}
		}
		if onDuty[u.ID] == 0 {
			bad("unit %q has no active on-duty official to assign items to", u.ID)
		}
		if heads[u.ID] != 1 {
			bad("unit %q has %d active heads, want exactly 1", u.ID, heads[u.ID])
		}
	}
	if coordinators == 0 {
		bad("no active coordinator to settle the triage queue")
	}
	if i := slices.IndexFunc(org.Officials, func(o feedback.Official) bool { return o.Username == SupervisorUsername }); i < 0 {
		bad("no official with username %q", SupervisorUsername)
	} else if o := org.Officials[i]; o.Role != feedback.RoleSupervisor || !o.Active {
		bad("official %q must be an active %s, is role %q active=%v", SupervisorUsername, feedback.RoleSupervisor, o.Role, o.Active)
	}

	days := make(map[string]bool, len(org.Holidays))
	for _, h := range org.Holidays {
		// An entry must change the calendar: a make-up working day on a
		// weekday, or a day off on a weekend, changes nothing and most
		// likely is a wrong date.
		if d, err := time.Parse(time.DateOnly, h.Date); err != nil {
			bad("holiday %q: date is not YYYY-MM-DD: %v", h.Name, err)
		} else if weekend := feedback.Weekend(d.Weekday()); h.Working && !weekend {
			bad("holiday %s is a working day but falls on a %s; only a Saturday or Sunday can be made up", h.Date, d.Weekday())
		} else if !h.Working && weekend {
			bad("holiday %s falls on a %s, already closed; list the compensatory weekday instead", h.Date, d.Weekday())
		}
		if days[h.Date] {
			bad("holiday %s is listed twice", h.Date)
		}
		days[h.Date] = true
		if h.Name == "" {
			bad("holiday %s has no name", h.Date)
		}
	}
	return errors.Join(errs...)
}

// CheckRing accepts a closed ring of at least four [lng, lat] points. In Ho
// Chi Minh City a ring written as [lat, lng] fails the latitude bound.
func CheckRing(ring [][2]float64) error {
	if len(ring) < 4 {
		return fmt.Errorf("has %d points, want a closed ring of at least 4", len(ring))
	}
	if ring[0] != ring[len(ring)-1] {
		return errors.New("is not closed: the last point must repeat the first")
	}
	for i, p := range ring {
		lng, lat := p[0], p[1]
		if math.IsNaN(lng) || math.IsNaN(lat) || lng < -180 || lng > 180 || lat < -90 || lat > 90 {
			return fmt.Errorf("point %d %v is out of range; points are [lng, lat]", i, p)
		}
	}
	return nil
}

func validUsername(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.') {
			return false
		}
	}
	return true
}

// validPhone accepts +84 and the 9 or 10 digits of a Vietnamese number.
func validPhone(s string) bool {
	d, ok := strings.CutPrefix(s, "+84")
	if !ok || len(d) < 9 || len(d) > 10 || d[0] == '0' {
		return false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
