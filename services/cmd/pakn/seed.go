package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/seed"
)

// ensureSeeded writes the demo organisation into a fresh database and
// prints the demo sign-ins once. The password is PAKN_DEMO_PASSWORD, or a
// generated one shown only now.
func ensureSeeded(ctx context.Context, store *mongostore.Store, password string, stdout io.Writer, log *slog.Logger) error {
	done, err := store.Seeded(ctx)
	if err != nil || done {
		return err
	}
	org, err := seed.Default()
	if err != nil {
		return err
	}
	if password == "" {
		password = generatePassword()
	}
	// One hash for every demo account: hashing each would cost seconds at
	// every fresh start, and they share the password anyway.
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := store.Seed(ctx, org, hash, time.Now()); err != nil {
		return err
	}
	log.Info("demo organisation seeded", "units", len(org.Units), "wards", len(org.Wards), "officials", len(org.Officials))
	printSignIns(stdout, org, password)
	return nil
}

func generatePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789" // no look-alikes
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func printSignIns(w io.Writer, org feedback.Organisation, password string) {
	fmt.Fprintln(w, "PAKN demo sign-ins (tài khoản dùng thử) — the desk is at /desk/")
	fmt.Fprintf(w, "  password for every demo account (mật khẩu chung): %s\n", password)
	names := map[string]string{}
	for _, u := range org.Units {
		names[u.ID] = u.Name
	}
	for _, o := range org.Officials {
		if o.Role == feedback.RoleSupervisor || o.Role == feedback.RoleCoordinator || (o.Role == feedback.RoleOperator && o.Active) {
			fmt.Fprintf(w, "  %-22s %-12s %s\n", o.Username, o.Role, o.Name)
		}
	}
	for _, u := range org.Units {
		var head, duty string
		for _, o := range org.Officials {
			switch {
			case o.UnitID != u.ID || !o.Active:
			case o.Role == feedback.RoleHead && head == "":
				head = o.Username
			case o.Role == feedback.RoleOfficial && o.OnDuty && duty == "":
				duty = o.Username
			}
		}
		fmt.Fprintf(w, "  %-40s head: %-14s on duty: %s\n", names[u.ID], head, duty)
	}
}
