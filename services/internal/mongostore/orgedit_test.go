package mongostore_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/seed"
)

func seeded(t *testing.T) *mongostore.Store {
	t.Helper()
	s := open(t)
	org, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(context.Background(), org, "seed-hash", time.Now()); err != nil {
		t.Fatal(err)
	}
	return s
}

func findOfficial(t *testing.T, org feedback.Organisation, username string) feedback.Official {
	t.Helper()
	i := slices.IndexFunc(org.Officials, func(o feedback.Official) bool { return o.Username == username })
	if i < 0 {
		t.Fatalf("no official %s", username)
	}
	return org.Officials[i]
}

func TestPutOfficialKeepsPasswordAndWorkload(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Millisecond)
	if err := s.TrackOpen(ctx, "anlac.lan", "AAAA-0101", at); err != nil {
		t.Fatal(err)
	}
	o, _, err := s.Official(ctx, "anlac.lan")
	if err != nil {
		t.Fatal(err)
	}
	o.Name, o.OnDuty, o.Phone = "Trần Thị Lan (đổi)", false, "+84909000111"
	if err := s.PutOfficial(ctx, o, ""); err != nil {
		t.Fatal(err)
	}
	got, hash, err := s.Official(ctx, "anlac.lan")
	if err != nil {
		t.Fatal(err)
	}
	staff, err := s.Officials(ctx, got.UnitID) // workloads come with the unit's staff
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range staff {
		if st.Username == got.Username {
			got.OpenCount, got.LastAssignedAt = st.OpenCount, st.LastAssignedAt
		}
	}
	if hash != "seed-hash" || got.OpenCount != 1 || !got.LastAssignedAt.Equal(at) {
		t.Fatalf("update lost what it must keep: hash %q open %d last %v", hash, got.OpenCount, got.LastAssignedAt)
	}
	if got.Name != o.Name || got.OnDuty || got.Phone != o.Phone {
		t.Fatalf("profile not updated: %+v", got)
	}

	// A new official gets the hash given, and no workload.
	n := feedback.Official{Username: "anlac.moi", Name: "Cán bộ mới", UnitID: "ward-an-lac",
		Role: feedback.RoleOfficial, Active: true, OnDuty: true}
	if err := s.PutOfficial(ctx, n, "new-hash"); err != nil {
		t.Fatal(err)
	}
	got, hash, err = s.Official(ctx, "anlac.moi")
	if err != nil || hash != "new-hash" || got.OpenCount != 0 || !got.LastAssignedAt.IsZero() || got.UnitID != "ward-an-lac" {
		t.Fatalf("new official: %+v %q %v", got, hash, err)
	}
	// A new password replaces the old one.
	if err := s.PutOfficial(ctx, n, "newer-hash"); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ = s.Official(ctx, "anlac.moi"); hash != "newer-hash" {
		t.Fatalf("password not changed: %q", hash)
	}
}

func TestSetOnDuty(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	if err := s.SetOnDuty(ctx, "anlac.minh", true); err != nil {
		t.Fatal(err)
	}
	if o, _, _ := s.Official(ctx, "anlac.minh"); !o.OnDuty {
		t.Fatal("not on duty")
	}
	if err := s.SetOnDuty(ctx, "nobody", true); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("unknown official: %v", err)
	}
}

func TestPutUnitCategoryHolidayAndRules(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	unit := feedback.Unit{ID: "dept-ytt", Name: "Phòng Y tế", NameEN: "Health Office", Kind: feedback.UnitDepartment, OnTimeTarget: 0.9}
	if err := s.PutUnit(ctx, unit); err != nil {
		t.Fatal(err)
	}
	cat := feedback.Category{Code: "y-te", Name: "Y tế", Owner: feedback.UnitDepartment, DepartmentID: "dept-ytt", DeadlineDays: 7,
		ContextKeywords: []string{"benh vien", "tram y te"}}
	if err := s.PutCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if err := s.PutHoliday(ctx, feedback.Holiday{Date: "2026-11-24", Name: "Ngày Văn hóa Việt Nam"}); err != nil {
		t.Fatal(err)
	}
	rule := feedback.RoutingRule{Category: "ngap-nuoc", Ward: "tan-tao", UnitID: "ward-tan-tao"}
	for range 2 { // a second put replaces, never duplicates
		if err := s.PutRoutingRule(ctx, rule); err != nil {
			t.Fatal(err)
		}
	}
	org, err := s.Organisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(org.Units, unit) {
		t.Error("unit not read back")
	}
	i := slices.IndexFunc(org.Categories, func(c feedback.Category) bool { return c.Code == "y-te" })
	if i < 0 || org.Categories[i].DeadlineDays != 7 || org.Categories[i].Keywords == nil ||
		!slices.Equal(org.Categories[i].ContextKeywords, cat.ContextKeywords) {
		t.Errorf("category read back as %+v", org.Categories[max(i, 0)])
	}
	if !slices.Contains(org.Holidays, feedback.Holiday{Date: "2026-11-24", Name: "Ngày Văn hóa Việt Nam"}) {
		t.Error("holiday not read back")
	}
	// The seed's make-up Saturdays come back working, its days off closed.
	for _, want := range []feedback.Holiday{
		{Date: "2026-01-02", Name: "Tết Dương lịch (nghỉ hoán đổi, làm bù thứ Bảy 10/01/2026)"},
		{Date: "2026-08-22", Name: "Làm bù thứ Bảy cho ngày nghỉ hoán đổi Quốc khánh 31/8/2026", Working: true},
	} {
		if !slices.Contains(org.Holidays, want) {
			t.Errorf("seeded %+v not read back", want)
		}
	}
	if !reflect.DeepEqual(org.RoutingRules, []feedback.RoutingRule{rule}) {
		t.Errorf("rules %+v", org.RoutingRules)
	}

	// A make-up working Saturday, then the same date put back as a plain
	// entry: a put replaces the whole entry, working flag and all.
	makeUp := feedback.Holiday{Date: "2026-11-21", Name: "Làm bù thứ Bảy", Working: true}
	for _, h := range []feedback.Holiday{makeUp, {Date: makeUp.Date, Name: "Nghỉ"}, makeUp} {
		if err := s.PutHoliday(ctx, h); err != nil {
			t.Fatal(err)
		}
		org, err := s.Organisation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(org.Holidays, func(x feedback.Holiday) bool { return x.Date == h.Date }); i < 0 || org.Holidays[i] != h {
			t.Errorf("put %+v, read back %+v", h, org.Holidays[max(i, 0)])
		}
	}

	if err := s.DeleteRoutingRule(ctx, "ngap-nuoc", "tan-tao"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRoutingRule(ctx, "ngap-nuoc", "tan-tao"); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("second delete: %v", err)
	}
	if err := s.DeleteHoliday(ctx, "2026-11-24"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteHoliday(ctx, "2026-11-24"); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("second delete: %v", err)
	}
	org, _ = s.Organisation(ctx)
	if len(org.RoutingRules) != 0 || slices.ContainsFunc(org.Holidays, func(h feedback.Holiday) bool { return h.Date == "2026-11-24" }) {
		t.Fatalf("deleted rule or holiday still read: %v", org.RoutingRules)
	}
	if err := seed.Validate(org); err == nil {
		// The new unit has no staff: Validate must say so (the admin API
		// relies on it to refuse such a change unless forced).
		t.Fatal("a unit without staff passed validation")
	}
}

func TestOrgChangesTrail(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	base := time.Now().UTC().Truncate(time.Millisecond)
	var ids []string
	for i, target := range []string{"anlac.lan", "anlac.minh", "anlac.thu"} {
		id, err := s.RecordChange(ctx, mongostore.OrgChange{
			At: base.Add(time.Duration(i%2) * time.Second), Actor: "supervisor", Kind: "official", Action: "duty",
			Target: target, Before: `{"on_duty":true}`, After: `{"on_duty":false}`, Reason: "nghỉ phép",
			Status: mongostore.ChangeApplied, // ignored: every change starts pending
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	got, err := s.OrgChange(ctx, ids[0])
	if err != nil || got.Status != mongostore.ChangePending || got.Before != `{"on_duty":true}` || got.Reason != "nghỉ phép" {
		t.Fatalf("recorded %+v %v", got, err)
	}
	done := base.Add(time.Minute)
	if err := s.MarkChange(ctx, ids[0], mongostore.ChangeApplied, done); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkChange(ctx, ids[0], mongostore.ChangeFailed, done); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("a settled change moved again: %v", err)
	}
	if err := s.MarkChange(ctx, ids[1], "pending", done); !feedback.IsCode(err, feedback.EINVALID) {
		t.Fatalf("bad status: %v", err)
	}
	list, err := s.OrgChanges(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: the one a second later, then the two at base, the later-made first.
	var order []string
	for _, c := range list {
		order = append(order, c.Target)
	}
	if !slices.Equal(order, []string{"anlac.minh", "anlac.thu", "anlac.lan"}) {
		t.Fatalf("order %v", order)
	}
	if list[2].Status != mongostore.ChangeApplied || !list[2].DoneAt.Equal(done) || !list[2].At.Equal(base) {
		t.Fatalf("applied change read back as %+v", list[2])
	}
	if short, _ := s.OrgChanges(ctx, 1); len(short) != 1 {
		t.Fatalf("limit ignored: %d", len(short))
	}
	if _, err := s.OrgChange(ctx, "nope"); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("missing change: %v", err)
	}
}
