package citizenapp

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/web"
)

func requireApp(tokens []string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if len(tokens) == 0 {
				return feedback.Errorf(feedback.EUNAUTHORIZED, "Kênh ứng dụng chưa được cấu hình.",
					"the app API has no tokens configured (PAKN_APP_TOKENS)")
			}
			tok, ok := auth.BearerToken(c.Request().Header.Get("Authorization"))
			if !ok || !tokenOK(tokens, tok) {
				return feedback.Errorf(feedback.EUNAUTHORIZED, "Mã truy cập không hợp lệ.", "missing or wrong bearer token")
			}
			return next(c)
		}
	}
}

// handleSubmit takes a citizen's item. The Idempotency-Key makes retries
// safe: the same key gives the same tracking code and one ticket.
func handleSubmit(intake Intake, m *metrics.Metrics, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get("Idempotency-Key")
		if err := checkIdempotencyKey(key); err != nil {
			return err
		}
		if err := web.RequireJSON(c.Request()); err != nil {
			return err
		}
		body, err := web.ReadBody(c, feedback.MaxBodyBytes)
		if err != nil {
			return err
		}
		it, err := DecodeFeedback(body)
		if err != nil {
			return err
		}
		it.Key = feedback.ItemKey(feedback.ChannelCitizenApp, key)
		it.Channel = feedback.ChannelCitizenApp
		it.ReceivedAt = now().UTC()
		if err := it.Validate(); err != nil {
			return err
		}
		m.ItemsAccepted.WithLabelValues(string(it.Channel)).Inc()
		code, err := intake.Submit(c.Request().Context(), &it)
		if err != nil {
			m.ItemsFailed.WithLabelValues("publish").Inc()
			return err
		}
		m.ItemsPublished.WithLabelValues(string(it.Channel)).Inc()
		return c.JSON(http.StatusAccepted, submitResponse{
			TrackingCode: string(code), Status: "received",
			StatusURL: "/app/v1/feedback/" + string(code),
		})
	}
}

func checkIdempotencyKey(key string) error {
	if key == "" {
		return feedback.Invalid("Idempotency-Key", "Thiếu tiêu đề Idempotency-Key.", "the Idempotency-Key header is required")
	}
	if len(key) > 200 {
		return feedback.Invalid("Idempotency-Key", "Idempotency-Key quá dài.", "Idempotency-Key is over 200 bytes")
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return feedback.Invalid("Idempotency-Key", "Idempotency-Key chứa ký tự không hợp lệ.",
				"Idempotency-Key must be printable ASCII without spaces")
		}
	}
	return nil
}

// handleStatus shows one item of the app channel: its status and public
// answers, never personal data. A code handed out but not yet routed is
// "received".
func handleStatus(tickets Tickets, intake Intake, loc *time.Location) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, err := feedback.ParseTrackingCode(c.Param("code"))
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		t, err := tickets.Ticket(ctx, code)
		if feedback.IsCode(err, feedback.ENOTFOUND) {
			known, kerr := intake.Known(ctx, code)
			if kerr != nil {
				return kerr
			}
			if known {
				return c.JSON(http.StatusOK, statusView{TrackingCode: string(code), Status: "received", Replies: []publicReply{}})
			}
			return err
		}
		if err != nil {
			return err
		}
		if t.Channel != feedback.ChannelCitizenApp {
			return feedback.Errorf(feedback.ENOTFOUND, "Không tìm thấy phản ánh %s.", "no ticket %s", code)
		}
		return c.JSON(http.StatusOK, toStatusView(t, loc))
	}
}

// handleCitizenItems lists a citizen's items ("my feedback" in the app).
func handleCitizenItems(tickets Tickets, loc *time.Location) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.QueryParam("citizen_id")
		if id == "" || len(id) > feedback.MaxShortRunes {
			return feedback.Invalid("citizen_id", "Thiếu mã công dân.", "citizen_id is required")
		}
		limit := 50
		if l := c.QueryParam("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 || n > 200 {
				return feedback.Invalid("limit", "Giới hạn phải từ 1 đến 200.", "limit must be 1..200")
			}
			limit = n
		}
		list, err := tickets.TicketsByCitizen(c.Request().Context(), feedback.ChannelCitizenApp, id, limit)
		if err != nil {
			return err
		}
		out := citizenItems{Items: make([]statusView, 0, len(list))}
		for _, t := range list {
			out.Items = append(out.Items, toStatusView(t, loc))
		}
		return c.JSON(http.StatusOK, out)
	}
}

type ratingRequest struct {
	Score   int    `json:"score"`
	Comment string `json:"comment"`
	Reopen  bool   `json:"reopen"` // not satisfied: back to the official
}

// handleRate takes the citizen's satisfaction with the answer (1 to 5),
// and reopens the ticket when the citizen asks to. A concurrent change of
// the ticket (an official's note) is retried.
func handleRate(store Ratings, outbox Flusher, log *slog.Logger, loc *time.Location, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, err := feedback.ParseTrackingCode(c.Param("code"))
		if err != nil {
			return err
		}
		if err := web.RequireJSON(c.Request()); err != nil {
			return err
		}
		body, err := web.ReadBody(c, 16<<10)
		if err != nil {
			return err
		}
		var req ratingRequest
		if err := web.DecodeJSON(body, &req); err != nil {
			return err
		}
		ctx := c.Request().Context()
		for attempt := 0; ; attempt++ {
			t, err := store.Ticket(ctx, code)
			if err != nil {
				return err
			}
			if t.Channel != feedback.ChannelCitizenApp {
				return feedback.Errorf(feedback.ENOTFOUND, "Không tìm thấy phản ánh %s.", "no ticket %s", code)
			}
			if err := t.Rate(req.Score, req.Comment, now().UTC()); err != nil {
				return err
			}
			if req.Reopen {
				if err := t.Reopen(req.Comment, now().UTC()); err != nil {
					return err
				}
			}
			err = store.UpdateTicket(ctx, t)
			if feedback.IsCode(err, feedback.ECONFLICT) && attempt < 3 {
				continue
			}
			if err != nil {
				return err
			}
			if err := outbox.Flush(ctx, t); err != nil {
				log.Warn("outbox flush failed; the sweeper will retry", "code", t.Code, "err", err)
			}
			return c.JSON(http.StatusOK, toStatusView(t, loc))
		}
	}
}
