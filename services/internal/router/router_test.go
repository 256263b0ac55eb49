package router_test

import (
	"log/slog"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/router"
	"pakn.local/services/internal/seed"
)

func seeded(t testing.TB) *router.Router {
	t.Helper()
	org, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	r := router.New(nil, nil, slog.New(slog.DiscardHandler), metrics.New(), loc, nil)
	if err := r.Use(org); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDecide(t *testing.T) {
	r := seeded(t)
	cases := []struct {
		name   string
		item   feedback.Item
		unit   string
		triage bool
	}{
		{"ward-owned category goes to the ward",
			feedback.Item{Content: "Rác thải đổ bừa bãi ở đầu hẻm, bốc mùi hôi thối", Ward: "Bình Trị Đông B"}, "ward-binh-tri-dong-b", false},
		{"department-owned category goes to the department",
			feedback.Item{Content: "Đường Tên Lửa có ổ gà rất lớn", Ward: "btd b"}, "dept-qldt", false},
		{"the channel's category wins",
			feedback.Item{Content: "Đề nghị kiểm tra giúp", Category: "an-toan-thuc-pham", Ward: "An Lạc"}, "dept-kt", false},
		{"ward unknown for a ward-owned category: triage",
			feedback.Item{Content: "Hàng xóm xả rác thải ra đường, bốc mùi hôi"}, "", true},
		{"nothing recognisable: triage",
			feedback.Item{Content: "xin chào", Ward: "An Lạc"}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := r.Decide(tc.item)
			if err != nil {
				t.Fatal(err)
			}
			if d.Triage != tc.triage || (!tc.triage && d.UnitID != tc.unit) {
				t.Fatalf("decision %+v, want unit %q triage %v", d, tc.unit, tc.triage)
			}
			if d.Triage && d.Reason == "" {
				t.Fatal("triage without a reason")
			}
			if !d.Triage && d.DeadlineDays != feedback.DefaultDeadlineDays {
				t.Fatalf("deadline days %d", d.DeadlineDays)
			}
		})
	}
}

func TestPickOfficial(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	off := func(name string, role feedback.Role, active, duty bool, open int, last time.Time) feedback.Official {
		return feedback.Official{Username: name, Role: role, Active: active, OnDuty: duty, OpenCount: open, LastAssignedAt: last}
	}
	cases := []struct {
		name   string
		staff  []feedback.Official
		onDesk []string // nil: no roster
		want   string
	}{
		{"fewest open wins", []feedback.Official{
			off("a", feedback.RoleOfficial, true, true, 3, t0), off("b", feedback.RoleOfficial, true, true, 1, t0)}, nil, "b"},
		{"tie: longest since last assignment", []feedback.Official{
			off("a", feedback.RoleOfficial, true, true, 1, t0.Add(time.Hour)), off("b", feedback.RoleOfficial, true, true, 1, t0)}, nil, "b"},
		{"never off duty", []feedback.Official{
			off("a", feedback.RoleOfficial, true, false, 0, t0), off("b", feedback.RoleOfficial, true, true, 9, t0)}, nil, "b"},
		{"never inactive", []feedback.Official{
			off("a", feedback.RoleOfficial, false, true, 0, t0), off("b", feedback.RoleOfficial, true, true, 9, t0)}, nil, "b"},
		{"head only when no official is on duty", []feedback.Official{
			off("h", feedback.RoleHead, true, true, 0, t0), off("a", feedback.RoleOfficial, true, true, 5, t0)}, nil, "a"},
		{"head steps in", []feedback.Official{
			off("h", feedback.RoleHead, true, true, 0, t0), off("a", feedback.RoleOfficial, true, false, 0, t0)}, nil, "h"},
		{"nobody", []feedback.Official{off("a", feedback.RoleOfficial, true, false, 0, t0)}, nil, ""},
		{"the shift first, however busy", []feedback.Official{
			off("a", feedback.RoleOfficial, true, true, 0, t0), off("b", feedback.RoleOfficial, true, true, 7, t0)}, []string{"b"}, "b"},
		{"fewest open on the shift", []feedback.Official{
			off("a", feedback.RoleOfficial, true, true, 0, t0), off("b", feedback.RoleOfficial, true, true, 7, t0),
			off("c", feedback.RoleOfficial, true, true, 5, t0)}, []string{"b", "c"}, "c"},
		{"shift off duty: another official on duty", []feedback.Official{
			off("a", feedback.RoleOfficial, true, true, 4, t0), off("b", feedback.RoleOfficial, true, false, 0, t0),
			off("h", feedback.RoleHead, true, true, 0, t0)}, []string{"b"}, "a"},
		{"shift inactive: another official on duty", []feedback.Official{
			off("a", feedback.RoleOfficial, true, true, 4, t0), off("b", feedback.RoleOfficial, false, true, 0, t0)}, []string{"b"}, "a"},
		{"a head on the shift takes it", []feedback.Official{
			off("a", feedback.RoleOfficial, true, true, 0, t0), off("h", feedback.RoleHead, true, true, 3, t0)}, []string{"h"}, "h"},
		{"nobody on duty at all", []feedback.Official{
			off("a", feedback.RoleOfficial, true, false, 0, t0)}, []string{"a"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := feedback.PickOfficial(tc.staff, tc.onDesk)
			if got.Username != tc.want || ok != (tc.want != "") {
				t.Fatalf("picked %q (%v), want %q", got.Username, ok, tc.want)
			}
		})
	}
}

func BenchmarkDecide(b *testing.B) {
	r := seeded(b)
	it := feedback.Item{Content: "Đường Tên Lửa đoạn gần chợ có nhiều ổ gà, trời mưa ngập nước rất nguy hiểm",
		Address: "Tên Lửa, phường Bình Trị Đông B"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Decide(it); err != nil {
			b.Fatal(err)
		}
	}
}
