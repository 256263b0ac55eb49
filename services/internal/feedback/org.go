package feedback

import (
	"slices"
	"sort"
	"time"
)

// UnitKind tells wards from district departments.
type UnitKind string

// Kinds of unit.
const (
	UnitWard       UnitKind = "ward"
	UnitDepartment UnitKind = "department"
)

// Unit is a ward's People's Committee or a district department: a place that
// answers feedback and whose head answers for its on-time rate.
type Unit struct {
	ID           string
	Name         string
	NameEN       string
	Kind         UnitKind
	Ward         string  // for ward units: the ward's code
	OnTimeTarget float64 // share of items to answer on time, 0..1
	Roster       *Roster // nil: whoever is on duty staffs the desk every day
}

// Ward is one of the district's wards, with the neighbourhoods (khu phố) in it.
type Ward struct {
	Code           string
	Name           string
	Aliases        []string // other ways people write it: "P. BTĐ B", "phuong 10"
	UnitID         string   // the ward's own unit
	Neighbourhoods []Neighbourhood
	Boundary       [][2]float64 // polygon ring of [lng, lat]; approximate in the demo
}

// Neighbourhood is a khu phố inside a ward.
type Neighbourhood struct {
	Code      string
	Name      string
	Streets   []string
	Landmarks []Landmark // places in it that people name instead of a street
}

// Landmark is a well-known place that citizens name instead of an address:
// a bus station, a market, a hospital, a school, an industrial park, a
// roundabout. It names its neighbourhood, and so its ward, precisely.
type Landmark struct {
	Name    string   // as it is signposted, with diacritics: "Bến xe Miền Tây"
	Aliases []string // other ways people write it: "BX Miền Tây", "Aeon Bình Tân"
}

// Category is a subject area, the kind of unit that owns it and how long it
// has to answer.
type Category struct {
	Code         string
	Name         string
	NameEN       string
	Owner        UnitKind // UnitWard: the item's ward answers; UnitDepartment: DepartmentID answers
	DepartmentID string
	DeadlineDays int      // working days
	Keywords     []string // phrases that point to this category, written without diacritics
	// ContextKeywords are weaker phrases, written like Keywords, that say
	// where or who ("via he", "quan an", "can bo") rather than what is
	// wrong: they count half, and alone they decide nothing.
	ContextKeywords []string
}

// Role is what an official may do.
type Role string

// Roles, from least to most reach.
const (
	RoleOfficial    Role = "official"    // answers what is assigned in their unit
	RoleHead        Role = "head"        // unit head or ward chairman: all of the unit
	RoleCoordinator Role = "coordinator" // settles triage across the district
	RoleSupervisor  Role = "supervisor"  // sees every unit; audits response times
	RoleOperator    Role = "operator"    // staffs the hotline: types in what callers say
)

// Official is a person who answers feedback.
type Official struct {
	Username       string
	Name           string
	UnitID         string
	Role           Role
	Active         bool
	OnDuty         bool // staffing the unit's feedback desk now
	Phone          Phone
	OpenCount      int       // open tickets assigned now
	LastAssignedAt time.Time // to break ties fairly
	// SignedOutAt ends every sign-in made before it (the official signed
	// out, on a shared office computer perhaps); zero when never.
	SignedOutAt time.Time
	Leave       []Leave // days away, planned ahead
}

// SeesAllUnits reports whether the official may read every unit's tickets.
func (o Official) SeesAllUnits() bool {
	return o.Role == RoleSupervisor || o.Role == RoleCoordinator
}

// CanRead reports whether the official may see a ticket.
func (o Official) CanRead(t *Ticket) bool {
	return o.SeesAllUnits() || (t.UnitID != "" && t.UnitID == o.UnitID)
}

// CanReply reports whether the official may answer a ticket: its assignee,
// or the head of its unit. Supervisors audit; they do not answer.
func (o Official) CanReply(t *Ticket) bool {
	if t.UnitID != o.UnitID {
		return o.Role == RoleCoordinator && t.Status == StatusTriage
	}
	return o.Role == RoleHead || t.Assignee == o.Username || o.Role == RoleCoordinator
}

// Holiday is an entry of the district's calendar of days off: a weekday on
// which the offices are closed (a public holiday, a compensatory day off,
// or a day swapped off), or, with Working, a Saturday or Sunday on which
// they open to make up for a swapped day (ngày làm bù). The government
// announces a swap as one decision, so both live in one list keyed by date:
// a date cannot be both, and one editor, store and audit trail serve both.
type Holiday struct {
	Date string // YYYY-MM-DD in Asia/Ho_Chi_Minh
	Name string
	// Working: offices open on this weekend day, making up for a swapped
	// holiday (Saturday 2026-01-10 for Friday 2026-01-02).
	Working bool
}

// Organisation is the district as data: who answers what, and when offices are open.
type Organisation struct {
	Units      []Unit
	Wards      []Ward
	Categories []Category
	Officials  []Official
	Holidays   []Holiday
	// RoutingRules override a category's owner in one ward; a few at most.
	RoutingRules []RoutingRule
}

// RoutingRule sends one category's items from one ward to a chosen unit
// instead of the category's owner: a ward whose drains a department looks
// after, say, while the category stays with the wards elsewhere.
type RoutingRule struct {
	Category string // category code
	Ward     string // ward code
	UnitID   string // the unit that answers instead
}

// PickOfficial chooses who in a unit answers next: an active official on
// duty with the fewest open items, the one waiting longest since their last
// assignment on a tie. With a roster (onDesk, from Roster.OnDesk) it picks
// among today's shift; when nobody on the shift can take the item, among
// the unit's other officials on duty, so that nothing waits for a shift.
// The unit head takes items only when no official of the unit is on duty.
func PickOfficial(staff []Official, onDesk []string) (Official, bool) {
	if onDesk != nil {
		desk := make([]Official, 0, len(onDesk))
		for _, o := range staff {
			if slices.Contains(onDesk, o.Username) {
				desk = append(desk, o)
			}
		}
		if o, ok := PickOfficialWithRole(desk, RoleOfficial); ok {
			return o, true
		}
		if o, ok := PickOfficialWithRole(desk, RoleHead); ok {
			return o, true // a small unit's head takes a shift of their own
		}
	}
	if o, ok := PickOfficialWithRole(staff, RoleOfficial); ok {
		return o, true
	}
	return PickOfficialWithRole(staff, RoleHead)
}

// PickOfficialWithRole is PickOfficial among the officials of one role.
func PickOfficialWithRole(staff []Official, role Role) (Official, bool) {
	var cands []Official
	for _, o := range staff {
		if o.Active && o.OnDuty && o.Role == role {
			cands = append(cands, o)
		}
	}
	if len(cands) == 0 {
		return Official{}, false
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.OpenCount != b.OpenCount {
			return a.OpenCount < b.OpenCount
		}
		if !a.LastAssignedAt.Equal(b.LastAssignedAt) {
			return a.LastAssignedAt.Before(b.LastAssignedAt)
		}
		return a.Username < b.Username
	})
	return cands[0], true
}
