package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/natsbus"
)

type deadLettersResponse struct {
	DeadLetters []deadLetterView `json:"dead_letters"`
}

func handleDeadLetters(js jetstream.JetStream) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, err := limitOf(c, 100, 1000)
		if err != nil {
			return err
		}
		list, err := natsbus.DeadLetters(c.Request().Context(), js, limit)
		if err != nil {
			return err
		}
		out := deadLettersResponse{DeadLetters: make([]deadLetterView, 0, len(list))}
		for _, d := range list {
			out.DeadLetters = append(out.DeadLetters, toDeadLetterView(d))
		}
		return c.JSON(http.StatusOK, out)
	}
}

// replayedView is the after of a replay in the audit trail: where it went.
type replayedView struct {
	ReplayedTo string `json:"replayed_to"`
}

func handleReplay(js jetstream.JetStream, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, reason, err := deadLetterOf(c, js)
		if err != nil {
			return err
		}
		if !d.Replayable() {
			return feedback.Errorf(feedback.ECONFLICT,
				"Thư lỗi số %d không ghi nơi gửi ban đầu nên không gửi lại được; chỉ có thể huỷ.",
				"dead letter %d names no original subject to replay to; it can only be discarded", d.Seq)
		}
		ch, err := j.commit(c.Request().Context(), signedIn(c), edit{
			kind: kindDeadLetter, action: "replay", target: strconv.FormatUint(d.Seq, 10), reason: reason,
			before: toDeadLetterView(d), after: replayedView{ReplayedTo: d.OrigSubject},
			apply: func(ctx context.Context) error { return natsbus.Replay(ctx, js, d.Seq) },
		})
		return answer(c, ch, err, false)
	}
}

func handleDiscard(js jetstream.JetStream, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, reason, err := deadLetterOf(c, js)
		if err != nil {
			return err
		}
		ch, err := j.commit(c.Request().Context(), signedIn(c), edit{
			kind: kindDeadLetter, action: "discard", target: strconv.FormatUint(d.Seq, 10), reason: reason,
			before: toDeadLetterView(d),
			apply:  func(ctx context.Context) error { return natsbus.Discard(ctx, js, d.Seq) },
		})
		return answer(c, ch, err, false)
	}
}

// deadLetterOf reads the dead letter the path names, and ?reason=.
func deadLetterOf(c echo.Context, js jetstream.JetStream) (natsbus.DeadLetter, string, error) {
	seq, err := strconv.ParseUint(c.Param("seq"), 10, 64)
	if err != nil || seq == 0 {
		return natsbus.DeadLetter{}, "", feedback.Invalid("seq", "Số thứ tự thư lỗi không hợp lệ.", "seq must be a positive number")
	}
	reason := c.QueryParam("reason")
	if err := checkText("reason", reason, maxReason, false); err != nil {
		return natsbus.DeadLetter{}, "", err
	}
	d, err := natsbus.DeadLetterAt(c.Request().Context(), js, seq)
	return d, reason, err
}
