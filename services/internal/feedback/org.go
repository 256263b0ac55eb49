package feedback

import "time"

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
	Code    string
	Name    string
	Streets []string
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
}

// Role is what an official may do.
type Role string

// Roles, from least to most reach.
const (
	RoleOfficial    Role = "official"    // answers what is assigned in their unit
	RoleHead        Role = "head"        // unit head or ward chairman: all of the unit
	RoleCoordinator Role = "coordinator" // settles triage across the district
	RoleSupervisor  Role = "supervisor"  // sees every unit; audits response times
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

// Holiday is a public holiday on which the offices are closed.
type Holiday struct {
	Date string // YYYY-MM-DD in Asia/Ho_Chi_Minh
	Name string
}

// Organisation is the district as data: who answers what, and when offices are open.
type Organisation struct {
	Units      []Unit
	Wards      []Ward
	Categories []Category
	Officials  []Official
	Holidays   []Holiday
}
