package website

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

// trackPage shows one item's status, or the lookup form alone. It holds
// only what the public may read: never the citizen's name or phone, never
// internal notes.
type trackPage struct {
	base
	Input        string // what was typed in the lookup form
	Code         string
	State        string // "", "found", "pending" or "notfound"
	Status       string
	StatusDetail string
	StatusClass  string
	Category     string
	Ward         string
	Unit         string
	Received     string
	Deadline     string
	Overdue      bool
	Content      string
	Replies      []replyView
}

type replyView struct {
	Author, Date, ISO, Body string
}

// hcmc is the city's time zone: UTC+7 all year (no daylight saving since
// 1975), so a fixed zone is exact when the tz database is missing.
func hcmc() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*60*60)
}

const dateLayout = "02/01/2006" // dd/mm/yyyy, as Vietnamese write dates

// handleLookup is the lookup form; a typed code, however written, is sent
// on to its canonical page.
func handleLookup(v *views, secure bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := langOf(c, secure)
		p := trackPage{base: v.base(lang, "/track")}
		typed, asked := c.QueryParams()["code"]
		if !asked {
			return v.render(c, http.StatusOK, "track", p)
		}
		p.Input = first(typed)
		code, err := feedback.ParseTrackingCode(p.Input)
		if err != nil {
			p.SummaryKey = "error.lookup"
			p.Errors = []fieldError{{Field: "code", Anchor: "code-input", Message: p.T("track.lookup.invalid")}}
			return v.render(c, web.Status(feedback.ErrorCode(err)), "track", p)
		}
		return c.Redirect(http.StatusSeeOther, "/track/"+string(code))
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// handleTrack shows a code's status: routed tickets from the store; codes
// handed out but not yet routed as "received"; anything else is 404. It
// relies on the codes bucket keeping every code handed out (it has no TTL).
func handleTrack(cfg Config, log *slog.Logger, intake Intake, tickets TicketReader, org OrgReader, v *views) echo.HandlerFunc {
	secure := strings.HasPrefix(cfg.PublicURL, "https://")
	loc := hcmc()
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		raw := c.Param("code")
		code, err := feedback.ParseTrackingCode(raw)
		if err != nil {
			return errNoPage
		}
		if string(code) != raw {
			// One address per item, whatever case or spacing was typed.
			return c.Redirect(http.StatusMovedPermanently, "/track/"+string(code))
		}
		lang := langOf(c, secure)
		p := trackPage{base: v.base(lang, "/track/"+string(code)), Code: string(code)}
		// The codes bucket is asked first: it is cheap, and it keeps someone
		// trying codes at random from costing a MongoDB scan per guess. If
		// NATS cannot answer, the store still can.
		known, kerr := intake.Known(ctx, code)
		if kerr == nil && !known {
			p.State = "notfound"
			return v.render(c, web.Status(feedback.ENOTFOUND), "track", p)
		}
		t, err := tickets.Ticket(ctx, code)
		switch {
		case err == nil:
			fillTicket(ctx, &p, t, log, org, loc, cfg.Now())
			return v.render(c, http.StatusOK, "track", p)
		case !feedback.IsCode(err, feedback.ENOTFOUND):
			return err
		case kerr != nil:
			return kerr
		}
		// Handed out, not routed yet.
		p.State = "pending"
		p.Status, p.StatusDetail, p.StatusClass = p.T("status.pending"), p.T("status.pending.detail"), "pending"
		return v.render(c, http.StatusOK, "track", p)
	}
}

// fillTicket copies the public part of a ticket into the page, naming
// category, ward and unit in the page's language where the organisation
// can be read, and by code where it cannot.
func fillTicket(ctx context.Context, p *trackPage, t *feedback.Ticket, log *slog.Logger, org OrgReader, loc *time.Location, now time.Time) {
	p.State = "found"
	p.StatusClass = string(t.Status)
	switch t.Status {
	case feedback.StatusAssigned, feedback.StatusTriage, feedback.StatusAnswered, feedback.StatusResolved, feedback.StatusLinked:
		p.Status, p.StatusDetail = p.T("status."+string(t.Status)), p.T("status."+string(t.Status)+".detail")
	default:
		p.Status, p.StatusDetail, p.StatusClass = p.T("status.pending"), p.T("status.pending.detail"), "pending"
	}
	en := p.Lang == langEN
	p.Category = p.T("track.uncategorised")
	if t.Category != "" {
		p.Category = t.Category
		if cats, err := org.Categories(ctx); err != nil {
			log.Warn("website: categories unavailable", "err", err)
		} else {
			for _, c := range cats {
				if c.Code == t.Category {
					p.Category = pick(en, c.Name, c.NameEN)
				}
			}
		}
	}
	p.Ward = p.T("track.unknown")
	if t.Ward != "" {
		p.Ward = t.Ward
		if wards, err := org.Wards(ctx); err != nil {
			log.Warn("website: wards unavailable", "err", err)
		} else {
			for _, w := range wards {
				if w.Code == t.Ward {
					p.Ward = w.Name // a proper name: the same in English
				}
			}
		}
	}
	p.Unit = p.T("track.unknown")
	if t.UnitID != "" {
		p.Unit = t.UnitID
		if units, err := org.Units(ctx); err != nil {
			log.Warn("website: units unavailable", "err", err)
		} else {
			for _, u := range units {
				if u.ID == t.UnitID {
					p.Unit = pick(en, u.Name, u.NameEN)
				}
			}
		}
	}
	if !t.ReceivedAt.IsZero() {
		p.Received = t.ReceivedAt.In(loc).Format(dateLayout)
	}
	p.Deadline = p.T("track.unknown")
	if !t.Deadline.IsZero() {
		p.Deadline = t.Deadline.In(loc).Format(dateLayout)
	}
	p.Overdue = t.Overdue(now)
	p.Content = t.Content
	for _, r := range t.PublicReplies() {
		author := r.AuthorName
		if author == "" {
			author = pick(en, "Cán bộ phụ trách", "The official")
		}
		p.Replies = append(p.Replies, replyView{
			Author: author, Body: r.Body,
			Date: r.At.In(loc).Format(dateLayout), ISO: r.At.In(loc).Format(time.RFC3339),
		})
	}
}

func pick(en bool, vi, english string) string {
	if en && english != "" {
		return english
	}
	return vi
}
