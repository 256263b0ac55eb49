package admin

// The tests live in package admin_test; these give them the request
// decoders to fuzz.

// DecodedOfficial and DecodedCategory report what a decoder accepted, for
// the fuzz targets' invariants.
func DecodedOfficial(body []byte) (name, unit, role, phone, password string, err error) {
	r, err := decodeOfficial(body)
	return r.Name, r.UnitID, r.Role, r.Phone, r.Password, err
}

// DecodedHoliday reports what the holiday decoder accepted for a date.
func DecodedHoliday(date string, body []byte) (name string, working bool, err error) {
	r, err := decodeHoliday(date, body)
	return r.Name, r.Working, err
}

func DecodedCategory(body []byte) (name, owner, department string, deadlineDays int, keywords []string, err error) {
	r, err := decodeCategory(body)
	return r.Name, r.Owner, r.Department, r.DeadlineDays, r.Keywords, err
}

// DecodedRoster reports what the roster decoder accepted.
func DecodedRoster(body []byte) (start string, shifts [][]string, err error) {
	r, err := decodeRoster(body)
	return r.Start, r.Shifts, err
}

// DecodedWard and DecodedNeighbourhood report what the place decoders
// accepted.
func DecodedWard(body []byte) (name string, aliases []string, unit string, boundary [][2]float64, err error) {
	r, err := decodeWard(body)
	return r.Name, r.Aliases, r.UnitID, r.Boundary, err
}

func DecodedNeighbourhood(body []byte) (name string, streets []string, landmarks [][]string, err error) {
	r, err := decodeNeighbourhood(body)
	for _, l := range r.Landmarks {
		landmarks = append(landmarks, append([]string{l.Name}, l.Aliases...))
	}
	return r.Name, r.Streets, landmarks, err
}

// DecodedLeave reports what the leave decoder accepted.
func DecodedLeave(body []byte) (leave [][3]string, err error) {
	r, err := decodeLeave(body)
	for _, l := range r.leave() {
		leave = append(leave, [3]string{l.From, l.To, l.Reason})
	}
	return leave, err
}
